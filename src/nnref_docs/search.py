"""What the site's search indexes, and one index per language.

Material's search plugin cuts each rendered page into sections and indexes their text. Left alone
it indexed code listings, checked outputs, the download notes' labels and raw TeX, and one index
held both languages, so an English search listed Korean pages first. Here:

- :func:`searchable` is the page as search should read it: headings and prose. Code blocks,
  output blocks, diagrams' source, display math, the "uses names from earlier blocks" notes and
  the "verified" stamp are left out; inline math becomes readable text (:func:`tex_to_text`);
  a table row becomes one line, its cells separated by " · ".
- :func:`split_index` writes each language's entries to its own index: the default language's at
  ``search/search_index.json``, another's at ``<lang>/search/search_index.json``.
  ``overrides/main.html`` makes a page request its own language's index.
- :data:`SEPARATOR` splits words for the index and for queries alike. Besides white space and
  hyphens it takes a Korean particle off the end of a word of two or more syllables, so
  "역전파를" and "역전파는" are both the word "역전파", and a query with a particle finds what the
  bare word finds.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from .pairs import LANGS

# particles (조사) that follow a noun, longest first; taken off only at the end of a word of at
# least two Hangul syllables before it, so "길이" (length) or "결과" (result) stay whole
PARTICLES = (
    "에서는 에서도 으로는 으로도 에게서 에서 에게 으로 로는 로도 에는 에도 와는 과는 까지 부터 보다 처럼 "
    "을 를 은 는 이 가 의 에 로 와 과 도 만"
).split()
SEPARATOR = r"[\s\-]+|(?<=[가-힣]{2})(?:" + "|".join(PARTICLES) + r")(?=[^가-힣]|$)"

# elements whose text is not what a reader searches for (matched by class, or <pre> by tag)
SKIP_CLASSES = {"highlight", "nnref-uses", "nnref-stamp", "nnref-mermaid", "mermaid", "katex-display"}
MATH = {"arithmatex", "katex"}  # arithmatex's wrapper; KaTeX's own (notebook cells typeset at build time)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

_SYMBOLS = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "lambda": "λ",
    "mu": "μ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "omega": "ω",
    "ell": "ℓ",
    "Delta": "Δ",
    "Sigma": "Σ",
    "Omega": "Ω",
    "partial": "∂",
    "nabla": "∇",
    "sum": "Σ",
    "prod": "Π",
    "int": "∫",
    "infty": "∞",
    "cdot": "·",
    "times": "×",
    "odot": "⊙",
    "otimes": "⊗",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "approx": "≈",
    "sim": "~",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "mapsto": "↦",
    "in": "∈",
    "lVert": "‖",
    "rVert": "‖",
    "Vert": "‖",
    "|": "‖",
    "lvert": "|",
    "rvert": "|",
    "ldots": "…",
    "dots": "…",
    "cdots": "…",
    "top": "ᵀ",
    "pm": "±",
    "log": "log",
    "exp": "exp",
    "max": "max",
    "min": "min",
    "tanh": "tanh",
    "ln": "ln",
    "mathbb{R}": "ℝ",
    "mathbb{E}": "E",
}
_COMMAND = re.compile(r"\\(mathbb\{[A-Z]\}|[A-Za-z]+|\|)")


def tex_to_text(tex: str) -> str:
    """Inline TeX as plain text for the index: ``\\lVert \\partial L / \\partial W_l \\rVert`` ->
    ``‖∂L / ∂W_l‖``. Greek letters and common symbols become characters, ``\\frac{a}{b}`` becomes
    ``a/b``, other commands (fonts, accents, spacing, sizes) are dropped with their backslash."""
    text = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", tex)
    text = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)\b\s*\\?", "", text)
    text = re.sub(r"\\[,;:! ]", " ", text)
    text = re.sub(r"([_^])\{([^{}]{2,})\}", r"\1(\2)", text)  # a_{l-1} -> a_(l-1)
    text = _COMMAND.sub(lambda m: _SYMBOLS.get(m[1], ""), text)
    text = text.replace("{", "").replace("}", "").replace("\\", "").replace("^ᵀ", "ᵀ").replace("∂ ", "∂")
    return re.sub(r"\s+", " ", text).strip()


class _Reader(HTMLParser):
    """Copies the page, leaving out the skipped elements (nested ones included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []  # open tags, for knowing where a skipped element ends
        self.skip_depth = 0  # > 0 inside a skipped element: its stack depth
        self.math: list[str] | None = None  # text of the inline math being read
        self.annotation: list[str] = []  # its TeX, where KaTeX rendered it at build time
        self.cells: list[list[str]] | None = None  # the cells of the table row being read

    def _classes(self, attrs) -> set[str]:
        return set((dict(attrs).get("class") or "").split())

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if not self.skip_depth and self.math is None:
                self.out.append(self.get_starttag_text())
            return
        self.stack.append(tag)
        if self.math is not None and tag == "annotation":
            self.annotation_depth = len(self.stack)
        if self.skip_depth or self.math is not None:
            return
        classes = self._classes(attrs)
        if tag == "pre" or classes & SKIP_CLASSES or (classes & MATH and tag == "div"):
            self.skip_depth = len(self.stack)
        elif classes & MATH:
            self.math, self.math_depth, self.annotation, self.annotation_depth = [], len(self.stack), [], 0
        elif tag == "tr":
            self.cells, self.header_row = [], True
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append([])
            self.header_row = self.header_row and tag == "th"  # a row of headers only is left out
        elif self.cells is None:
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack and self.stack[-1] != tag:  # an element left open inside this one
            self.stack.pop()
        depth = len(self.stack)
        self.stack.pop()
        if self.skip_depth:
            if depth == self.skip_depth:
                self.skip_depth = 0
            return
        if self.math is not None:
            if depth == self.annotation_depth:
                self.annotation_depth = 0
            if depth == self.math_depth:
                # KaTeX's TeX annotation (typeset at build time), else arithmatex's raw \(...\)
                text = tex_to_text("".join(self.annotation)) if self.annotation else _text_math("".join(self.math))
                self._write(html.escape(text, quote=False))
                self.math = None
            return
        if tag == "tr" and self.cells is not None:
            row = [" ".join("".join(cell).split()) for cell in self.cells]
            if any(row) and not self.header_row:
                self.out.append("<p>" + " · ".join(cell for cell in row if cell) + "</p>")
            self.cells = None
        elif self.cells is None and tag not in ("td", "th"):
            self.out.append(f"</{tag}>")

    def _write(self, text: str) -> None:
        if self.cells:
            self.cells[-1].append(text)
        elif self.cells is None:
            self.out.append(text)

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.math is not None:
            (self.annotation if self.annotation_depth else self.math).append(data)
        else:
            self._write(html.escape(_text_math(data), quote=False))

    def handle_comment(self, data):
        pass


# math that the browser finds in text (notebook cells, raw HTML): display math is left out, inline
# math becomes text
_DISPLAY = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]", re.S)
_INLINE = re.compile(r"\$(?=\S)(.+?)(?<=\S)\$|\\\((.+?)\\\)", re.S)


def _text_math(text: str) -> str:
    text = _DISPLAY.sub(" ", text)
    return _INLINE.sub(lambda m: tex_to_text(m[1] or m[2]), text)


def searchable(page_html: str) -> str:
    """The page as the search index should read it (see the module's docstring)."""
    reader = _Reader()
    reader.feed(page_html)
    reader.close()
    return "".join(reader.out)


def split_index(site_dir: Path, langs: tuple[str, ...] = LANGS) -> dict[str, int]:
    """Split the built site's one index (both languages' entries) into one index per language,
    in place; returns how many entries each got. An entry belongs to ``<lang>`` when its location
    starts with ``<lang>/``, else to the default language (``langs[0]``)."""
    default_path = Path(site_dir) / "search" / "search_index.json"
    index = json.loads(default_path.read_text(encoding="utf-8"))
    parts: dict[str, list] = {lang: [] for lang in langs}
    for doc in index["docs"]:
        lang = next((lang for lang in langs[1:] if doc["location"].startswith(f"{lang}/")), langs[0])
        parts[lang].append(doc)
    for lang, docs in parts.items():
        path = default_path if lang == langs[0] else Path(site_dir) / lang / "search" / "search_index.json"
        # the default language's pages quote English terms: that index keeps both stemmers
        config = dict(index["config"], separator=SEPARATOR)
        if lang != langs[0]:
            config["lang"] = [lang]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    return {lang: len(docs) for lang, docs in parts.items()}
