"""The book as a PDF per language, printed by the headless Chromium the browser tests use, and checked.

``python -m nnref_docs.pdf [SITE]`` (``make book``) serves the built site, opens each book page
(:mod:`.book`), waits until its math is typeset and its diagrams are drawn, scales down what is
still wider than the column, and prints it (Chromium's print to PDF, as ``--print-to-pdf``) to
``SITE/assets/book/nnref-book.<lang>.pdf``, where the book page's download link points.
``--check`` then runs :func:`problems` on each PDF (CI does); ``tests/site/test_book.py`` tests both.

The checks read the PDF with pypdf (pages, text, links) and poppler's ``pdftotext -bbox`` (where
every word lies on its page).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from .book import pdf_name
from .pairs import LANGS
from .paths import DOCS, MKDOCS_YML, ROOT

BOOK_PATH = {"ko": "/book/", "en": "/en/book/"}
MARGIN_MM = {"top": 16, "right": 15, "bottom": 18, "left": 15}  # the same as print.css's @page
A4_PT = (595.28, 841.89)
PT_PER_MM = 72 / 25.4
# the book has about 3 pages of A4 per page of the site; outside this range something is missing
# (a chapter, the figures) or broken (a page per line, code one character wide)
PAGES = {"min": 120, "max": 600}

# math comes typeset with the page (hooks/katex.py); diagrams are drawn before printing
DIAGRAMS_READY = """() => !document.querySelector('.nnref-mermaid')
  || document.documentElement.classList.contains('nnref-mermaid-ready')"""
# what cannot wrap and is still wider than its column once printed (a long formula, a wide diagram) is
# scaled down; code and tables wrap (print.css), and are left alone so that the margin check sees it
FIT = """() => {
  let scaled = 0;
  document.querySelectorAll('.katex-display, .nnref-mermaid')
    .forEach(node => {
      const box = node.parentElement.clientWidth, wide = node.scrollWidth;
      if (wide > box + 1) { node.style.zoom = (box / wide).toFixed(3); scaled++; }
    });
  return scaled;
}"""
FOOTER = '<div style="font-size:8px;width:100%;text-align:center;color:#666"><span class="pageNumber"></span></div>'


def print_book(browser, url: str, out: Path, timeout_ms: int = 180_000) -> dict:
    """Print one book page (``url``) to ``out``; returns what it did (elements scaled, seconds)."""
    import time

    start = time.monotonic()
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    page = context.new_page()
    try:
        page.goto(url, wait_until="load", timeout=timeout_ms)
        page.emulate_media(media="print")
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # draws every diagram
        page.wait_for_function(DIAGRAMS_READY, timeout=timeout_ms)
        page.evaluate("() => document.fonts.ready")
        scaled = page.evaluate(FIT)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(out),
            format="A4",
            margin={side: f"{mm}mm" for side, mm in MARGIN_MM.items()},
            print_background=True,
            display_header_footer=True,
            header_template="<div></div>",
            footer_template=FOOTER,
            outline=True,  # the headings as the PDF's bookmarks
            tagged=True,
        )
    finally:
        context.close()
    return {"scaled": scaled, "seconds": round(time.monotonic() - start, 1)}


def make(site: Path, langs=LANGS) -> dict[str, Path]:
    """Every language's PDF of the built ``site``, into the site."""
    from playwright.sync_api import sync_playwright

    from .browser import find_chromium, launch_chromium, serve

    executable = find_chromium()
    if executable is None:
        raise SystemExit("no Chromium: install chromium-headless-shell (bash .ci/run does)")
    httpd, base = serve(site)
    made = {}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p, executable)
            for lang in langs:
                made[lang] = site / pdf_name(lang)
                info = print_book(browser, base + BOOK_PATH[lang], made[lang])
                print(f"{made[lang]}: {info['seconds']} s, {info['scaled']} wide elements scaled to fit")
            browser.close()
    finally:
        httpd.shutdown()
    return made


# -- what the checks expect, from the sources --------------------------------------------------------


def nav_pages() -> list[list[str]]:
    """The pages of the book as mkdocs.yml's nav lists them: one list of source paths per top-level
    entry (``["01-foundations/index.md", "01-foundations/neural-network.md", ...]``)."""
    from .book import in_book
    from .sitebuild import mkdocs_config

    def sources(value):
        if isinstance(value, str):
            yield value
        for item in value if isinstance(value, list) else []:
            yield from sources(next(iter(item.values())) if isinstance(item, dict) else item)

    entries = [next(iter(e.values())) if isinstance(e, dict) else e for e in mkdocs_config(MKDOCS_YML)["nav"]]
    return [pages for pages in ([s for s in sources(e) if in_book(s)] for e in entries) if pages]


def chapter_titles(lang: str) -> list[str]:
    """The title (first heading) of each chapter's index page and of each top-level page of the book,
    in the language ``lang``, read from the nav in mkdocs.yml and the pages themselves."""
    titles = []
    for pages in nav_pages():
        heads = pages[:1] if pages[0].endswith("index.md") else pages  # the glossary and errata: one each
        for src in heads:
            source = DOCS / src.replace(".md", f".{lang}.md")
            heading = next(line for line in source.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
            titles.append(re.sub(r"\s*\{[^}]*\}\s*$", "", heading[2:]).strip())
    return titles


def built_page(site: Path, src: str, lang: str) -> Path:
    """Where a page of the nav lies in the built site: ``01-foundations/mlp.md`` ->
    ``[en/]01-foundations/mlp/index.html``."""
    stem = src[: -len(".md")]
    stem = stem[: -len("index")] if stem.endswith("index") else stem + "/"
    return site / ("" if lang == "ko" else f"{lang}/") / stem / "index.html"


def squash(text: str) -> str:
    """Text without white space or soft hyphens: a PDF's line breaks and a page's wrapping differ."""
    return re.sub(r"[\s\u00ad]+", "", text)


class _Code(HTMLParser):
    """Every line of every code block (``<pre>``: code and its printed output) of a built page."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.current = []

    def handle_endtag(self, tag):
        if tag == "pre" and self.current is not None:
            self.lines += [line for line in "".join(self.current).splitlines() if line.strip()]
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def code_lines(site: Path, lang: str) -> list[str]:
    """Every line of code and of code output on the built pages that the book holds."""
    parser = _Code()
    for pages in nav_pages():
        for src in pages:
            parser.feed(built_page(site, src, lang).read_text(encoding="utf-8"))
    return parser.lines


# -- reading the PDF ---------------------------------------------------------------------------------


def text(pdf: Path) -> str:
    """The PDF's text (pdftotext: some 50 times faster than pypdf's extraction on the book)."""
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def bookmarks(reader) -> list[str]:
    """The titles of the PDF's top-level bookmarks (printed from the h1 headings)."""
    return [item.title for item in reader.outline if not isinstance(item, list)]


# a word may end a little past the margin (a glyph's advance, rounding of px to pt): 3 pt is 1 mm
def words_past_margin(pdf: Path, tolerance: float = 3.0) -> list[str]:
    """Every word that reaches into the right margin: ``page N: 'word' ends at x`` (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    margin = MARGIN_MM["right"] * PT_PER_MM
    found, page, limit = [], 0, A4_PT[0] - margin + tolerance
    for line in out.splitlines():
        size = re.search(r'<page width="([\d.]+)"', line)
        if size:
            page, limit = page + 1, float(size[1]) - margin + tolerance
        word = re.search(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line)
        if word and float(word[1]) > limit:
            found.append(f"page {page}: {word[2]!r} ends at x={float(word[1]):.0f} pt (limit {limit:.0f})")
    return found


def links(reader) -> tuple[list[int], list[str]]:
    """The link annotations: (for each internal one, the page its destination lies on, -1 when it
    resolves to none), and the external URLs."""
    from pypdf.generic import IndirectObject

    named = reader.named_destinations
    page_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    internal, external = [], []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A") or {}
            dest = annot.get("/Dest") or (action.get("/D") if action.get("/S") == "/GoTo" else None)
            if action.get("/S") == "/URI":
                external.append(str(action["/URI"]))
                continue
            if dest is None:
                internal.append(-1)
                continue
            if not isinstance(dest, list) and not hasattr(dest, "__getitem__") or isinstance(dest, str):
                dest = named.get(str(dest))
                target = dest.page if dest is not None else None
            else:
                target = dest[0]
            if isinstance(target, IndirectObject):
                internal.append(page_of.get(target.idnum, -1))
            else:
                internal.append(-1 if target is None else int(target))
    return internal, external


def problems(pdf: Path, site: Path, lang: str) -> list[str]:
    """What is wrong with the book's PDF: page count, chapter titles, links, figures, math, code
    outputs, words past the right margin. Empty when all is well."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    found = []
    pages = len(reader.pages)
    if not PAGES["min"] <= pages <= PAGES["max"]:
        found.append(f"{pages} pages, expected {PAGES['min']} to {PAGES['max']}")
    words = text(pdf)
    flat = squash(words)
    marks = {squash(mark) for mark in bookmarks(reader)}
    for title in chapter_titles(lang):
        plain = squash(re.sub(r"\\\(.*?\\\)|[`*_]", "", title))  # a title's math and Markdown marks
        if plain not in flat or plain not in marks:
            found.append(f"chapter title not in the PDF's text and bookmarks: {title!r}")
    internal, external = links(reader)
    if len(internal) < 50:
        found.append(f"only {len(internal)} internal links (the contents alone has more)")
    unresolved = sum(1 for target in internal if target < 0)
    if unresolved:
        found.append(f"{unresolved} internal links resolve to no page of the PDF")
    local = [url for url in external if url.startswith(("http://127.", "http://localhost", "file:"))]
    if local:
        found.append(f"{len(local)} links point at the local server instead of inside the PDF: {local[:3]}")
    book = (site / BOOK_PATH[lang].strip("/") / "index.html").read_text(encoding="utf-8")
    images, diagrams = book.count("<img "), book.count('class="nnref-mermaid"')
    drawn, raster = figures(reader)
    if drawn < (images + 1) // 2:  # two small figures may share a page
        found.append(f"{drawn} pages draw a vector figure, the book has {images} figures")
    if raster < diagrams:
        found.append(f"{raster} images in the PDF, the book has {diagrams} diagrams (not drawn?)")
    for raw in ("\\(", "\\)", "\\[", "\\frac", "\\mathbb", "$$"):
        if raw in words:
            found.append(f"raw math source in the PDF's text: {raw!r} (math not typeset)")
    lines = code_lines(site, lang)  # a line cut at the right edge of its box misses its end
    missing = [line for line in lines if squash(line) not in flat]
    if not lines or missing:
        found.append(f"{len(missing)} of {len(lines)} lines of code and output not in the text in full: {missing[:3]}")
    past = words_past_margin(pdf)
    if past:
        found.append(f"{len(past)} words reach past the right margin: " + "; ".join(past[:5]))
    return found


def figures(reader, segments: int = 1000) -> tuple[int, int]:
    """(pages that draw a vector figure, image objects). A figure (an SVG, printed as vector paths)
    takes over a thousand path segments; a page of text, code boxes and math some 300 to 800."""
    drawn = raster = 0
    for page in reader.pages:
        drawn += len(re.findall(rb" [lc]\n", page.get_contents().get_data())) > segments
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        raster += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return drawn, raster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnref_docs.pdf", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site", help="the built site (make build)")
    parser.add_argument("--lang", choices=LANGS, action="append", help="one language (default: both)")
    parser.add_argument("--check", action="store_true", help="check each PDF too (exits 1 on a problem)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        raise SystemExit(f"{args.site}: no built site (run make build first)")
    if args.check and shutil.which("pdftotext") is None:
        raise SystemExit("--check needs pdftotext (apt-get install poppler-utils; bash .ci/run does)")
    made = make(args.site, args.lang or LANGS)
    failed = False
    for lang, pdf in made.items() if args.check else ():
        for problem in problems(pdf, args.site, lang):
            print(f"{pdf}: {problem}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
