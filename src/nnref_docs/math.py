"""Math typeset when the site is built, by the site's own KaTeX, so that nothing moves on the page.

Typeset in the browser, formulas change size about half a second after the first paint and push
the text below them down (a layout shift). Here the same vendored ``katex.min.js`` that the site
ships runs in QuickJS (the ``quickjs`` wheel: no node, no network) and the page arrives with
KaTeX's HTML, and its MathML for screen readers, in place of the TeX:

- pymdownx.arithmatex's ``<span class="arithmatex">\\(..\\)</span>`` and
  ``<div class="arithmatex">\\[..\\]</div>``: the wrapper and its class stay (the search index
  leaves ``.arithmatex`` out), only what is inside changes;
- the text of a lab notebook's Markdown cells (``.jp-RenderedMarkdown``), which keeps ``$..$``,
  ``$$..$$``, ``\\(..\\)`` and ``\\[..\\]`` as auto-render read them;
- the labels of table-of-contents links whose heading holds math.

TeX that KaTeX refuses is reported (:class:`TexError`) and left as it was; the hook turns each into
a warning, which fails the strict build. Rendered formulas are kept in a JSON cache keyed by the
KaTeX script's own hash, so a rebuild only typesets what changed.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .paths import DOCS

KATEX_JS = DOCS / "assets" / "vendor" / "katex" / "katex.min.js"

# what KaTeX needs of a browser's globals; console.warn collects strict-mode warnings
_PRELUDE = "var window = globalThis, self = globalThis; var console = {log() {}, warn() {}, error() {}};"
_RENDER = "(tex, display) => katex.renderToString(tex, {displayMode: display, throwOnError: true})"

_ARITHMATEX = re.compile(r'(<(span|div) class="arithmatex"[^>]*>)(.*?)(</\2>)', re.S)
_WRAPPED = re.compile(r"\A\s*\\([\[(])(.*)\\[\])]\s*\Z", re.S)
# auto-render's delimiters in its order: display before inline, $$ before $
_DELIMITED = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)|\$(.+?)\$", re.S)
_BRACKETS = re.compile(r"\\\((.+?)\\\)", re.S)
_TAG_OR_TEXT = re.compile(r"<!--.*?-->|<[^>]*>|[^<]+", re.S)
_NAV_LINK = re.compile(r'(<a\b[^>]*\bclass="md-nav__link[^"]*"[^>]*>)(.*?)(</a>)', re.S)
# text inside these is code, never math (auto-render's ignoredTags)
_NOT_MATH = {"script", "noscript", "style", "textarea", "pre", "code", "option"}


@dataclass(frozen=True)
class TexError:
    """TeX that KaTeX could not typeset, with KaTeX's message."""

    tex: str
    message: str

    def __str__(self) -> str:
        return f"KaTeX cannot typeset {self.tex!r}: {self.message}"


class Katex:
    """``renderToString`` of the vendored KaTeX, with a cache on disk (``cache``, a folder).

    Call it with TeX and ``display`` (block or inline); it returns KaTeX's HTML or raises
    :class:`ValueError` with KaTeX's message. :meth:`save` writes the formulas used since the
    last load back to the cache (those not used are dropped).
    """

    def __init__(self, script: Path = KATEX_JS, cache: Path | None = None):
        self.script = script
        source = script.read_bytes()
        self.version = hashlib.sha256(source).hexdigest()[:16]
        self._source = source.decode("utf-8")
        self._render = None
        self.cache_file = cache / f"katex-{self.version}.json" if cache else None
        self.known: dict[str, str] = {}
        if self.cache_file and self.cache_file.is_file():
            try:
                self.known = json.loads(self.cache_file.read_text(encoding="utf-8"))
            except ValueError:
                self.known = {}
        self.used: dict[str, str] = {}
        self.typeset = 0  # formulas KaTeX really ran for (not found in the cache)

    def _engine(self):
        if self._render is None:
            import quickjs

            context = quickjs.Context()
            context.eval(_PRELUDE)
            context.eval(self._source)
            self._render = context.eval(_RENDER)
        return self._render

    def __call__(self, tex: str, display: bool) -> str:
        key = ("D" if display else "I") + tex
        found = self.used.get(key) or self.known.get(key)
        if found is None:
            import quickjs

            try:
                found = self._engine()(tex, display)
            except quickjs.JSException as error:
                message = str(error).splitlines()[0].removeprefix("ParseError: ").removeprefix("KaTeX parse error: ")
                raise ValueError(message) from None
            self.typeset += 1
        self.used[key] = found
        return found

    def save(self) -> None:
        """Write the formulas used since the last load to the cache (atomically)."""
        if self.cache_file is None or self.used == self.known:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.cache_file.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self.used, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, self.cache_file)
        self.known = dict(self.used)


def _typeset(katex: Katex, tex: str, display: bool, errors: list[TexError]) -> str | None:
    try:
        return katex(tex, display)
    except ValueError as error:
        errors.append(TexError(tex, str(error)))
        return None


def typeset_arithmatex(html: str, katex: Katex, errors: list[TexError]) -> str:
    """Replace the TeX inside every arithmatex wrapper with KaTeX's HTML; the wrapper stays.

    A block without ``\\[ \\]`` (arithmatex keeps ``\\begin{align}..\\end{align}`` bare) is display
    math as a whole.
    """

    def replace(match: re.Match) -> str:
        opening, tag, body, closing = match.groups()
        source = htmllib.unescape(body)
        wrapped = _WRAPPED.match(source)
        if wrapped:
            tex, display = wrapped[2], wrapped[1] == "["
        elif tag == "div" and source.strip().startswith("\\begin"):
            tex, display = source.strip(), True
        else:
            return match[0]  # already typeset, or not TeX
        done = _typeset(katex, tex, display, errors)
        return match[0] if done is None else opening + done + closing

    return _ARITHMATEX.sub(replace, html)


def typeset_text(text: str, katex: Katex, errors: list[TexError], pattern: re.Pattern = _DELIMITED) -> str:
    """Typeset the delimited math in one run of HTML text (no tags in it)."""

    def replace(match: re.Match) -> str:
        groups = match.groups()
        index = next(i for i, g in enumerate(groups) if g is not None)
        tex = htmllib.unescape(groups[index]).strip()
        display = pattern is _DELIMITED and index < 2
        done = _typeset(katex, tex, display, errors)
        return match[0] if done is None or not tex else done

    return pattern.sub(replace, text)


def typeset_markdown_cells(html: str, katex: Katex, errors: list[TexError]) -> str:
    """Typeset the math in the text of a notebook page's Markdown cells (``jp-RenderedMarkdown``),
    outside code, as the browser's auto-render did."""
    out: list[str] = []
    depth = 0  # <div> nesting inside the current Markdown cell; 0: not in one
    skipping: list[str] = []  # open elements whose text is never math
    for token in _TAG_OR_TEXT.findall(html):
        if token.startswith("<"):
            name = re.match(r"</?([a-zA-Z0-9]+)", token)
            name = name[1].lower() if name else ""
            closing = token.startswith("</")
            if name == "div" and depth:
                depth += -1 if closing else 1
            elif name == "div" and not closing and re.search(r'class="[^"]*\bjp-RenderedMarkdown\b', token):
                depth = 1
            elif name in _NOT_MATH and depth and not token.endswith("/>"):
                if closing and skipping and skipping[-1] == name:
                    skipping.pop()
                elif not closing:
                    skipping.append(name)
            out.append(token)
        elif depth and not skipping and ("$" in token or "\\" in token):
            out.append(typeset_text(token, katex, errors))
        else:
            out.append(token)
    return "".join(out)


def typeset_toc(html: str, katex: Katex, errors: list[TexError], dollars: bool = False) -> str:
    """Typeset ``\\(..\\)`` (and ``$..$`` where ``dollars``: the labs) in the labels of the
    navigation's links, where a heading's math ends up in the table of contents."""
    pattern = _DELIMITED if dollars else _BRACKETS

    def label(match: re.Match) -> str:
        opening, inner, closing = match.groups()
        if "\\(" not in inner and not (dollars and "$" in inner):
            return match[0]
        parts = [
            typeset_text(part, katex, errors, pattern) if not part.startswith("<") else part
            for part in _TAG_OR_TEXT.findall(inner)
        ]
        return opening + "".join(parts) + closing

    return _NAV_LINK.sub(label, html)
