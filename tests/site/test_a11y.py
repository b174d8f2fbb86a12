"""Accessibility audit of the built site with axe-core: no serious or critical violation.

Which pages: every kind of page (the home page in both languages, a chapter index, a lab, the
glossary, the errata page, an API reference page), and content pages chosen so that together they
show everything a page can show: each admonition kind, each kind of code block, math, a figure, a
table and a skipped block's label. ``test_the_audited_pages_show_every_kind_of_content`` finds those
kinds in every page's source and fails, naming a page that has it, when one is not audited (a new
admonition kind, say). Each page is audited in one language (the templates are the same, the text
and ``lang`` differ), in the light and the dark colour scheme.

How: two readers per language, one whose browser prefers light and one dark (mkdocs.yml's palette
follows `prefers-color-scheme`), each a test of its own that reads half the pages in one tab; on
every page the reader's palette toggle switches the scheme, which the next page keeps, as on the
real site. In the second scheme only the rules that depend on colours run again. axe-core ships
inside the pinned `axe-playwright-python` package: nothing is fetched. Transitions and animations
are switched off for the audit, so that colours are measured as they end up, not halfway through
the palette's fade.
"""

from __future__ import annotations

import re
from pathlib import Path

import axe_playwright_python
import pytest
from test_browser import draw_diagrams  # the browser and server fixtures come from tests/conftest.py

from nnref_docs.fences import Fence, Text, scan
from nnref_docs.parse import parse_page
from nnref_docs.paths import DOCS

pytestmark = [pytest.mark.browser, pytest.mark.spread, pytest.mark.long]

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
BLOCKING = ("serious", "critical")
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
PAGES_BY_LANG = {
    "ko": [
        "/",
        "/contributing/",  # console, pycon, bash, markdown and plain blocks, a diagram, a table
        "/04-cnn/vgg16/",  # a skipped block's label; erratum and warning admonitions
        "/02-backprop/",  # a chapter index
        "/glossary/",
        "/reference/autograd/",  # an API reference page (mkdocstrings)
    ],
    "en": [
        "/",
        "/04-cnn/output-size/",  # math, a figure, python and text blocks
        "/02-backprop/scalar-engine/",  # a tip
        "/03-pytorch/lr-init/",  # a note
        "/labs/04-cnn/",  # a lab notebook
        "/errata/",
    ],
}
ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+(\w+)", re.M)
SHOWN_BY_TEXT = {"math": r"\$\$|\\\(", "figure": r"!\[", "table": r"^\|"}
NO_MOTION = """
document.addEventListener("DOMContentLoaded", () => {
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
  document.head.appendChild(style);
});
"""


def shows(text: str) -> set[str]:
    """What a page's Markdown shows a reader: its admonition kinds, code block kinds, math, ...
    (fences found by the toolkit's scanner, skipped blocks by the harness's own parser)."""
    items = list(scan(text, strict=False))
    prose = "\n".join(item.text for item in items if isinstance(item, Text))
    return (
        {f"{fence.lang} block" for fence in items if isinstance(fence, Fence)}
        | {f"{kind} admonition" for kind in ADMONITION.findall(prose)}
        | {name for name, pattern in SHOWN_BY_TEXT.items() if re.search(pattern, prose, re.M)}
        | ({"a skipped block's label"} if any(b.skip_reason is not None for b in parse_page(text)) else set())
    )


def source(path: str, lang: str) -> Path | None:
    """The Markdown page behind a site path ("/04-cnn/vgg16/" -> docs/04-cnn/vgg16.<lang>.md)."""
    stem = path.strip("/") or "index"
    for candidate in (DOCS / f"{stem}.{lang}.md", DOCS / stem / f"index.{lang}.md"):
        if candidate.exists():
            return candidate
    return None


def test_the_audited_pages_show_every_kind_of_content():
    audited = set()
    for lang, paths in PAGES_BY_LANG.items():
        for path in paths:
            page = source(path, lang)
            assert page or path.startswith("/labs/"), f"{path}: no docs/ page behind it"
            audited |= shows(page.read_text(encoding="utf-8")) if page else set()
    missing: dict[str, Path] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for kind in shows(page.read_text(encoding="utf-8")) - audited:
            missing.setdefault(kind, page)
    assert not missing, "no audited page shows: " + "; ".join(
        f"{kind} (e.g. {page.relative_to(DOCS)})" for kind, page in sorted(missing.items())
    )


def audit(page, rules: list[str] | None = None) -> list[str]:
    """axe's serious and critical findings on the page as it is now, one line per rule."""
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = rules
    violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; e.g. {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def settle(page) -> str:
    """Wait until the diagrams are drawn (axe should see what the reader sees; math comes typeset
    with the page); the scheme."""
    page.wait_for_load_state("load")
    draw_diagrams(page)
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def toggle_scheme(page) -> None:
    """Switch the scheme with the palette toggle in the header; diagrams redraw in new colours."""
    page.evaluate("document.documentElement.classList.remove('nnref-mermaid-ready')")
    # activated without a pointer over it: a hovered toggle shows its tooltip, fading in while
    # axe measures colours
    page.locator("form[data-md-component=palette] label:not([hidden])").evaluate("label => label.click()")


@pytest.mark.parametrize("prefers", ["light", "dark"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_serious_violations_in_light_and_dark(browser, server, lang, prefers):
    """One reader whose browser prefers ``prefers`` reads half of the language's pages in one tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=prefers)
    context.add_init_script(path=str(AXE))
    context.add_init_script(NO_MOTION)
    page = context.new_page()
    scheme = "slate" if prefers == "dark" else "default"  # Material's names; the next page keeps it
    pages = PAGES_BY_LANG[lang][0::2] if prefers == "light" else PAGES_BY_LANG[lang][1::2]
    root = server + ("/en" if lang == "en" else "")
    found: list[str] = []
    for path in pages:
        page.goto(root + path, wait_until="commit")
        for switched in (False, True):
            if switched:
                toggle_scheme(page)
                scheme = "default" if scheme == "slate" else "slate"
            opened = settle(page)
            assert opened == scheme, f"{path} opened in {opened}, expected {scheme}"
            found += [f"{lang} {path} [{scheme}] {line}" for line in audit(page, COLOUR_RULES if switched else None)]
    context.close()
    assert not found, "\n".join(found)
