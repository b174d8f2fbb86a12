"""The API reference (docs/reference/): every public name of nnref has a docstring and an entry with
a signature in both languages, every scratch op names the torch function it mirrors, pages link
``nnref.…`` code to the entries, and a broken cross-reference fails the strict build."""

import html
import importlib
import inspect
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import griffe
import pytest

from nnref_docs import apiref
from nnref_docs.paths import ROOT

DOCS = ROOT / "docs"
MODULES = ("autograd", "scratch", "models", "data", "train")


def public_names(module: str) -> list[str]:
    return list(importlib.import_module(f"nnref.{module}").__all__)


# ---- docstrings ---------------------------------------------------------------------------------


def missing_docstrings(package: griffe.Module, modules) -> list[str]:
    """Public names (``__all__``) whose object, followed through imports, has no docstring."""
    missing = []
    for name in modules:
        module = package.modules[name] if name != package.name else package
        for export in module.exports or ():
            member = module.members.get(str(export))
            target = member.final_target if member is not None and member.is_alias else member
            if target is None or not (target.docstring and target.docstring.value.strip()):
                missing.append(f"{module.path}.{export}")
    return missing


def test_every_public_name_has_a_docstring():
    package = griffe.load("nnref", search_paths=[str(ROOT / "src")], resolve_aliases=False)
    for name in MODULES:  # griffe reads __all__ statically: it must agree with the runtime
        assert [str(e) for e in package.modules[name].exports] == public_names(name), name
    missing = missing_docstrings(package, MODULES)
    assert not missing, "public names without a docstring (the reference has nothing to say): " + ", ".join(missing)


def test_the_docstring_check_can_fail(tmp_path):
    (tmp_path / "fakepkg").mkdir()
    (tmp_path / "fakepkg" / "__init__.py").write_text(
        '__all__ = ["said", "silent", "CONSTANT", "Quiet"]\n'
        'def said():\n    """Something."""\n'
        "def silent():\n    pass\n"
        "CONSTANT = 3\n"
        'class Quiet:\n    def method(self):\n        """Only the method speaks."""\n'
    )
    package = griffe.load("fakepkg", search_paths=[str(tmp_path)])
    assert missing_docstrings(package, ["fakepkg"]) == ["fakepkg.silent", "fakepkg.CONSTANT", "fakepkg.Quiet"]


# ---- entries in the built site ------------------------------------------------------------------


class _Entries(HTMLParser):
    """``{id: has a signature}`` for every mkdocstrings heading (``doc-heading``) of a page."""

    def __init__(self):
        super().__init__()
        self.entries: dict[str, bool] = {}
        self._last: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "doc-heading" in classes and attrs.get("id"):
            self._last = attrs["id"]
            self.entries[self._last] = False
        elif "doc-signature" in classes and self._last:
            self.entries[self._last] = True
            self._last = None
        elif "doc-contents" in classes:
            self._last = None


def entries(html: str) -> dict[str, bool]:
    parser = _Entries()
    parser.feed(html)
    return parser.entries


def reference_page(site: Path, module: str, lang: str) -> Path:
    return (site if lang == "ko" else site / "en") / "reference" / module / "index.html"


def missing_entries(html: str, module: str, names, callables) -> list[str]:
    found = entries(html)
    problems = [f"nnref.{module}.{n}: no entry" for n in names if f"nnref.{module}.{n}" not in found]
    problems += [
        f"nnref.{module}.{n}: no signature"
        for n in callables
        if f"nnref.{module}.{n}" in found and not found[f"nnref.{module}.{n}"]
    ]
    return problems


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("module", MODULES)
def test_every_public_name_has_an_entry_with_a_signature(site, module, lang):
    page = reference_page(site, module, lang)
    assert page.exists(), f"no reference page for nnref.{module} in the {lang} site"
    mod = importlib.import_module(f"nnref.{module}")
    names = public_names(module)
    # a signature for everything that takes arguments (a class without __init__, like Module, has none)
    callables = [n for n in names if callable(getattr(mod, n)) and inspect.signature(getattr(mod, n)).parameters]
    problems = missing_entries(page.read_text(encoding="utf-8"), module, names, callables)
    assert not problems, "\n".join(problems)


def test_the_entry_check_can_fail():
    html = (
        '<h2 id="nnref.x.f" class="doc doc-heading">f</h2><div class="doc-signature"><pre>f(a)</pre></div>'
        '<h2 id="nnref.x.g" class="doc doc-heading">g</h2><div class="doc doc-contents">g</div>'
    )
    assert entries(html) == {"nnref.x.f": True, "nnref.x.g": False}
    assert missing_entries(html, "x", ["f", "g", "h"], ["f", "g"]) == ["nnref.x.h: no entry", "nnref.x.g: no signature"]


def test_the_reference_is_in_the_nav_of_both_languages(site):
    for lang, title in (("ko", "API 참고서"), ("en", "API reference")):
        home = ((site if lang == "ko" else site / "en") / "index.html").read_text(encoding="utf-8")
        assert title in home, f"the {lang} navigation has no '{title}' section"
        for module in MODULES:
            assert f'href="reference/{module}/"' in home, f"{lang}: no nav link to reference/{module}/"
    ko = reference_page(site, "scratch", "ko").read_text(encoding="utf-8")
    assert "독스트링에서 가져온 영어" in ko, "the Korean page should say that the entries are in English"


# ---- scratch ops and the torch functions they mirror --------------------------------------------

MIRRORS = apiref.load_mirrors(DOCS / "reference" / "torch-mirrors.yml")
TORCH_NAME = re.compile(r"\btorch(?:\.[A-Za-z_]\w*)+")


def test_every_scratch_op_names_its_torch_counterpart_once():
    listed = [name for row in MIRRORS for name in row["nnref"]]
    duplicates = sorted({n for n in listed if listed.count(n) > 1})
    assert not duplicates, f"listed twice in torch-mirrors.yml: {duplicates}"
    assert sorted(listed) == sorted(public_names("scratch")), (
        f"missing: {sorted(set(public_names('scratch')) - set(listed))}; "
        f"not in nnref.scratch: {sorted(set(listed) - set(public_names('scratch')))}"
    )
    without = [row["nnref"] for row in MIRRORS if not row["torch"]]
    assert without == [["relative_error"]], f"ops without a torch counterpart: {without}"


def test_every_torch_counterpart_exists_in_the_pinned_torch():
    import torch

    for row in MIRRORS:
        for dotted in TORCH_NAME.findall(row["torch"] or ""):
            obj = torch
            for part in dotted.split(".")[1:]:
                assert hasattr(obj, part), f"{row['nnref']}: {dotted} does not exist in torch {torch.__version__}"
                obj = getattr(obj, part)
            assert callable(obj), f"{row['nnref']}: {dotted} is not callable"


def test_unsupported_entries_say_what_the_refusal_says():
    """Each ``unsupported:`` entry names a feature of the torch counterpart and what nnref's refusal
    says (tests/unit/test_torch_samples.py checks the refusals against torch's own samples)."""
    for row in MIRRORS:
        entries = row.get("unsupported", [])
        assert not entries or row["torch"], f"{row['nnref']}: unsupported features, but no torch counterpart"
        for entry in entries:
            assert set(entry) == {"feature", "says"}, f"{row['nnref']}: {entry} needs exactly feature and says"
            assert all(isinstance(v, str) and v.strip() for v in entry.values()), f"{row['nnref']}: {entry}"
            assert "`" not in entry["feature"] and "|" not in entry["feature"], (
                "the feature is one code span in a table"
            )
        features = [e["feature"] for e in entries]
        assert len(features) == len(set(features)), f"{row['nnref']}: a feature listed twice"


def test_the_mirror_table_has_a_column_of_what_is_not_supported():
    rows = [
        {"nnref": ["a", "a_backward"], "torch": "torch.a", "unsupported": [{"feature": "x=True", "says": "x"}]},
        {
            "nnref": ["b"],
            "torch": "torch.b",
            "unsupported": [{"feature": "p=<array>", "says": "p"}, {"feature": "y", "says": "y"}],
        },
        {"nnref": ["c"], "torch": None},
    ]
    assert apiref.mirrors_table(rows, "en").splitlines() == [
        "| nnref.scratch | PyTorch counterpart | Not supported |",
        "| --- | --- | --- |",
        "| [`a`][nnref.scratch.a], [`a_backward`][nnref.scratch.a_backward] | `torch.a` | `x=True` |",
        "| [`b`][nnref.scratch.b] | `torch.b` | `p=<array>`, `y` |",
        "| [`c`][nnref.scratch.c] | — |  |",
    ]
    assert apiref.mirrors_table(rows, "ko").splitlines()[0] == "| nnref.scratch | 대응하는 PyTorch | 지원하지 않음 |"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_scratch_page_shows_the_mirror_table(site, lang):
    page = reference_page(site, "scratch", lang).read_text(encoding="utf-8")
    assert f"<th>{apiref.MIRRORS_HEAD[lang][2]}</th>" in page, f"{lang}: the table has no unsupported column"
    for row in MIRRORS:
        for name in row["nnref"]:
            assert f'href="#nnref.scratch.{name}"' in page, f"{lang}: the table does not link {name}"
        if row["torch"]:
            assert row["torch"].split("(")[0] in page, f"{lang}: the table does not show {row['torch']}"
        for entry in row.get("unsupported", []):
            shown = f"<code>{html.escape(entry['feature'], quote=False)}</code>"
            assert shown in page, f"{lang}: the table does not show {row['nnref'][0]}'s unsupported {entry['feature']}"


# ---- links from the pages -----------------------------------------------------------------------

TARGETS = {
    "nnref.train": "nnref.train",
    "nnref.train.fit": "nnref.train.fit",
    "nnref.data.digits.digits_split": "nnref.data.digits_split",
}


def test_inline_code_naming_an_entry_becomes_a_link():
    link = apiref.link_inline_code
    assert link("Call `nnref.train.fit`.\n", TARGETS) == "Call [`nnref.train.fit`][nnref.train.fit].\n"
    assert (
        link("같은 루프를 묶은 `nnref.train.fit`과\n", TARGETS)
        == "같은 루프를 묶은 [`nnref.train.fit`][nnref.train.fit]과\n"
    )
    assert link('`nnref.train.fit(model, device="cuda")`\n', TARGETS) == (
        '[`nnref.train.fit(model, device="cuda")`][nnref.train.fit]\n'
    )
    assert link("`nnref.data.digits.digits_split`\n", TARGETS) == (
        "[`nnref.data.digits.digits_split`][nnref.data.digits_split]\n"
    )
    unchanged = (
        "```python\nnnref.train.fit\n`nnref.train.fit`\n```\n"
        "## `nnref.train.fit` in a heading\n"
        "[`nnref.train.fit`](../06-training/loop.md) is a link already\n"
        "<!-- invisible-code-block: python\n`nnref.train.fit`\n-->\n"
        "``nnref.train.fit`` `nnref.scratch.optim` (a module the reference does not list)\n"
    )
    assert link(unchanged, TARGETS) == unchanged


def test_fences_written_as_inline_code_do_not_hide_the_text_after_them():
    """The page's one fence scanner (nnref_docs.fences): ```` ```python ```` in a sentence is code, not a
    fence, so the text after it is still linked (a scanner of its own once took it for a fence)."""
    text = "```` ```python ```` blocks run in order.\nCall `nnref.train.fit`.\n````markdown\n`nnref.train.fit`\n````\n"
    assert apiref.link_inline_code(text, TARGETS) == text.replace(
        "Call `nnref.train.fit`.", "Call [`nnref.train.fit`][nnref.train.fit]."
    )


def test_inline_code_naming_nothing_is_a_warning(caplog):
    with caplog.at_level(logging.WARNING):
        assert apiref.link_inline_code("`nnref.train.fitt`\n", TARGETS, "x.md") == "`nnref.train.fitt`\n"
    assert "x.md: inline code `nnref.train.fitt` names nothing in nnref" in caplog.text


def test_documented_paths_cover_the_public_names():
    targets = apiref.documented()
    for module in MODULES:
        for name in public_names(module):
            assert targets.get(f"nnref.{module}.{name}") == f"nnref.{module}.{name}"
    assert targets["nnref.scratch.conv.unfold"] == "nnref.scratch.unfold"  # the defining path lands there too
    assert targets["nnref.autograd.Value.backward"] == "nnref.autograd.Value.backward"


def test_chapter_pages_link_to_the_reference(site):
    html = (site / "en" / "06-training" / "loop" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../reference/train/#nnref.train.fit"><code>nnref.train.fit' in html
    html = (site / "06-training" / "loop" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../reference/train/#nnref.train.fit"><code>nnref.train.fit' in html


def test_signature_blocks_carry_no_duplicate_ids(site):
    html = reference_page(site, "scratch", "en").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates[:10]}"


# ---- the strict build fails on a broken cross-reference -----------------------------------------


def test_a_broken_cross_reference_fails_the_strict_build(broken_build):
    """tests/conftest.py's one-page site: a cross-reference to no object, inline code naming nothing."""
    log = broken_build["stderr"]
    assert broken_build["returncode"] != 0, "the strict build passed despite a broken cross-reference"
    assert "Could not find cross-reference target 'nnref.autograd.NoSuchThing'" in log, log[-3000:]
    assert "inline code `nnref.autograd.Valu` names nothing in nnref" in log, log[-3000:]
    assert "target 'nnref.autograd.Value'" not in log, "a valid reference was reported"


# ---- the griffe extension and the per-language autorefs maps --------------------------------------


def test_the_extension_mkdocs_yml_names_turns_sphinx_roles_into_links():
    """mkdocs.yml loads the extension by its module path; loaded so, it rewrites nnref's docstrings."""
    name = re.search(r"\n[ \t]+extensions:\s*\n\s*- (\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))[1]
    assert name == "nnref_docs.apiref:SphinxRoles"
    pkg = griffe.load(
        "nnref", search_paths=[str(apiref.SRC)], resolve_aliases=False, extensions=griffe.load_extensions(name)
    )
    doc = pkg["train.loop.load_checkpoint"].docstring.value
    assert "[`save_checkpoint`][nnref.train.save_checkpoint]" in doc, doc
    assert ":func:" not in doc


def test_each_language_build_starts_with_empty_autorefs_maps():
    """What the Korean build registered is gone before the English build (hooks/api_reference.py)."""
    from mkdocs_autorefs import AutorefsPlugin

    plugin = AutorefsPlugin()
    plugin.register_anchor(type("Page", (), {"url": "reference/train/"})(), "nnref.train.fit")
    plugin.register_url("elsewhere", "https://example.org/#x")
    assert plugin.get_item_url("nnref.train.fit")[0] == "reference/train/#nnref.train.fit"
    apiref.reset_autorefs(plugin)
    for identifier in ("nnref.train.fit", "elsewhere"):
        with pytest.raises(KeyError):
            plugin.get_item_url(identifier)


def test_signature_ids_are_dropped_and_nothing_else():
    signature = (
        '<div class="language-python doc-signature highlight"><pre><span></span><code>'
        '<span id="__span-0-1"><a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>'
        "fit(model)</span></code></pre></div>"
    )
    other = '<div class="language-python highlight"><span id="__span-0-1">x</span></div>'
    out = apiref.drop_signature_ids(signature + other)
    assert "__span-0-1" not in out.replace(other, "") and "__codelineno" not in out
    assert out.endswith(other) and "fit(model)" in out
