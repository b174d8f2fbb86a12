"""The API reference (docs/reference/) and the links into it, for ``hooks/api_reference.py``.

One notion of what the reference documents: the modules ``nnref.autograd``, ``.scratch``,
``.models``, ``.data``, ``.train``, every name in their ``__all__``, and the public members with a
docstring of the classes among them (:func:`documented`). On it stand:

- :func:`link_inline_code`: inline code on a page that names a documented object
  (```nnref.train.fit```, ```nnref.models.MLP(...)```) becomes a link to its entry. Inline code
  that starts with ``nnref.`` but names nothing in the package is a warning (a typo fails the
  strict build).
- :func:`mirrors_table`: ``<!-- torch-mirrors -->`` on the scratch reference page becomes the table
  of the torch function each ``nnref.scratch`` op mirrors and what of it the op does not support,
  from docs/reference/torch-mirrors.yml.
- :class:`SphinxRoles`, a griffe extension (mkdocs.yml loads ``nnref_docs.apiref:SphinxRoles``):
  the Sphinx roles in docstrings (``:func:`unfold```, ``:class:`~nnref.autograd.engine.Value```)
  become links too.

Links are autorefs links (``[text][nnref.x.y]``): autorefs resolves them per language build (see
:func:`reset_autorefs`), and an unknown target fails ``mkdocs build --strict``.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import griffe
import yaml

from .fences import uncommented
from .words import WORDS

MODULES = ("autograd", "scratch", "models", "data", "train")
SRC = Path(__file__).resolve().parents[1]
MIRRORS_MARKER = "<!-- torch-mirrors -->"
MIRRORS_HEAD = {lang: words["mirrors_head"] for lang, words in WORDS["apiref"].items()}  # nnref_docs.words
log = logging.getLogger("mkdocs.hooks.api_reference")


@lru_cache(maxsize=1)
def package() -> griffe.Module:
    """nnref as griffe sees it (static analysis: nothing is imported, torch included)."""
    return griffe.load("nnref", search_paths=[str(SRC)], resolve_aliases=False)


def exists(path: str, pkg: griffe.Object | None = None) -> bool:
    """Whether the dotted ``path`` names an object of nnref (documented or not)."""
    try:
        (pkg or package()).modules_collection.get_member(path)
    except (KeyError, ValueError):
        return False
    return True


def documented(pkg: griffe.Module | None = None) -> dict[str, str]:
    """``{path: identifier of its entry}`` for every path that lands on a reference entry: the public
    path (``nnref.scratch.unfold``) and the defining one (``nnref.scratch.conv.unfold``)."""
    pkg = pkg or package()
    found: dict[str, str] = {}
    for name in MODULES:
        module = pkg.modules[name]
        found[module.path] = module.path
        for export in module.exports or ():
            member = module.members.get(str(export))
            if member is None:
                continue
            public = f"{module.path}.{export}"
            target = member.final_target if member.is_alias else member
            found[public] = found[target.path] = public
            if target.is_class:  # members as mkdocs.yml renders them: public and with a docstring
                for child, obj in target.members.items():
                    if not child.startswith("_") and obj.has_docstring:
                        found[f"{public}.{child}"] = found[f"{target.path}.{child}"] = f"{public}.{child}"
    return found


# ---- the pages: inline code and the torch-mirror table ------------------------------------------

# Korean particles attach to the code (`nnref.train.fit`과): only ` and [ ] around it keep it plain
INLINE = re.compile(r"(?<![`\[])`(nnref(?:\.[A-Za-z_]\w*)+)([^`\n]*)`(?![`\]])")


def link_inline_code(markdown: str, targets: dict[str, str], where: str = "") -> str:
    """Every inline code span naming a documented object becomes ``[`...`][identifier]``; fenced
    blocks (:func:`nnref_docs.fences.scan`), HTML comments and headings are left alone."""
    lines = markdown.splitlines(keepends=True)
    for part, kept in uncommented(markdown):
        line = part.text
        if kept == line and not line.lstrip().startswith("#"):  # no comment on it, not a heading
            index = part.line - 1
            lines[index] = INLINE.sub(lambda m: _link(m, targets, where), lines[index])
    return "".join(lines)


def _link(match: re.Match, targets: dict[str, str], where: str) -> str:
    """The link for one code span, or the span unchanged (with a warning if it names nothing)."""
    path = match.group(1)
    if path not in targets and not exists(path):
        log.warning(f"{where}: inline code {match.group(0)} names nothing in nnref")
        return match.group(0)
    parts = path.split(".")
    for end in range(len(parts), 1, -1):  # nnref.autograd.Value.data -> the entry of nnref.autograd.Value
        head = ".".join(parts[:end])
        if head in targets:
            return f"[{match.group(0)}][{targets[head]}]"
    return match.group(0)  # real, but not in the reference (a submodule, a private helper)


def load_mirrors(path: Path) -> list[dict]:
    """The rows of torch-mirrors.yml."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def mirrors_table(rows: list[dict], lang: str) -> str:
    """The table in Markdown: the nnref names (links to their entries), the torch counterpart, and
    what of the counterpart's arguments and inputs nnref refuses (the row's ``unsupported`` list,
    one code span per feature; tests/unit/test_torch_samples.py holds nnref to it)."""
    head = MIRRORS_HEAD[lang]
    out = [f"| {head[0]} | {head[1]} | {head[2]} |", "| --- | --- | --- |"]
    for row in rows:
        names = ", ".join(f"[`{n}`][nnref.scratch.{n}]" for n in row["nnref"])
        torch_name = f"`{row['torch']}`" if row["torch"] else "—"
        unsupported = ", ".join(f"`{u['feature']}`" for u in row.get("unsupported", []))
        out.append(f"| {names} | {torch_name} | {unsupported} |")
    return "\n".join(out)


def page_markdown(markdown: str, src_uri: str, lang: str, docs_dir: Path) -> str:
    """A page's Markdown with the torch-mirror table filled in and its ``nnref.`` code spans linked."""
    if MIRRORS_MARKER in markdown:
        rows = load_mirrors(docs_dir / "reference" / "torch-mirrors.yml")
        markdown = markdown.replace(MIRRORS_MARKER, mirrors_table(rows, lang))
    if "`nnref." not in markdown:
        return markdown
    return link_inline_code(markdown, documented(), src_uri)


SIGNATURE = re.compile(r'<div class="language-python doc-signature highlight">.*?</div>', re.S)
LINE_IDS = re.compile(
    r'<a id="__codelineno-[^"]*" name="__codelineno-[^"]*" href="#__codelineno-[^"]*"></a>'
    r'|(?<=<span) id="__span-[^"]*"'
)


def drop_signature_ids(html: str) -> str:
    """Every signature block is a code block of its own, numbered from 0 by pymdownx.highlight, so
    each would carry the ids ``__span-0-1`` and ``__codelineno-0-1``; those ids are dropped."""
    if "doc-signature" not in html:
        return html
    return SIGNATURE.sub(lambda m: LINE_IDS.sub("", m.group(0)), html)


def reset_autorefs(plugin) -> None:
    """Empty the maps of the mkdocs-autorefs ``plugin`` (the anchors it collected), before a build.

    mkdocs-static-i18n builds each language again with the same plugin objects, so autorefs would
    still hold the Korean build's anchors in the English build ("Multiple primary URLs found") and
    could send an English reader to a Korean entry. mkdocs-autorefs (1.4) has no public way to
    forget them: its maps are private attributes, filled during a build and never emptied. So this
    function, the only place that reaches into them, empties every dict a new plugin starts with
    (found through the plugin's own constructor, not by name, so a renamed map is still emptied).
    """
    fresh = vars(type(plugin)())
    maps = [name for name, value in fresh.items() if isinstance(value, dict)]
    if not maps:  # a newer mkdocs-autorefs keeps its anchors in another shape: this needs updating
        log.warning("mkdocs-autorefs has no maps to reset: cross-references may mix the languages")
    for name in maps:
        getattr(plugin, name).clear()


# ---- the griffe extension -----------------------------------------------------------------------

ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|obj|exc):`(~?)([A-Za-z_][\w.]*)`")


def resolve_role(obj: griffe.Object, target: str) -> str | None:
    """The full path that ``target`` names in ``obj``'s docstring (a class's own members first)."""
    if target.startswith("nnref."):
        return target
    head, _, rest = target.partition(".")
    scopes = [obj] if obj.is_class or obj.is_module else []
    scopes += [obj.parent] if obj.parent is not None else []
    for scope in scopes:
        if scope.is_class and head in scope.members:
            return f"{scope.path}.{target}"
        try:
            path = scope.resolve(head)
        except (griffe.NameResolutionError, ValueError):
            continue
        return f"{path}.{rest}" if rest else path
    return None


def rewrite_roles(obj: griffe.Object, text: str, targets: dict[str, str]) -> str:
    """``text`` with every Sphinx role replaced by a link to its entry, or by plain code when the
    reference has no entry for it; a role naming nothing in nnref is a warning."""

    def replace(match: re.Match) -> str:
        tilde, target = match.groups()
        shown = target.rsplit(".", 1)[-1] if tilde else target
        path = resolve_role(obj, target)
        if path in targets:
            return f"[`{shown}`][{targets[path]}]"
        if path is None or not exists(path, obj):
            griffe.logger.warning(f"{obj.path}: the docstring's {match.group(0)} names nothing in nnref")
        return f"`{shown}`"

    return ROLE.sub(replace, text)


def _walk(obj: griffe.Object):
    """``obj`` and every member defined under it (aliases are not followed)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)


class SphinxRoles(griffe.Extension):
    """Rewrite ``:func:`x``` and friends in every docstring of nnref once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        if pkg.name != "nnref":
            return
        targets = documented(pkg)
        for obj in _walk(pkg):
            if obj.docstring is not None and ":`" in obj.docstring.value:
                obj.docstring.value = rewrite_roles(obj, obj.docstring.value, targets)
