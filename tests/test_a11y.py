"""Accessibility audit of the built site with axe-core: no serious or critical violation.

The home page, one page of every chapter, a lab, the glossary and the errata page, each in the
light and the dark colour scheme; the pages alternate between the two languages (the templates
are the same, the text and ``lang`` differ), and the home page is audited in both. Two readers per language, one whose
browser prefers light and one dark (mkdocs.yml's palette follows `prefers-color-scheme`), each
read half the pages in one tab; on every page the reader's palette toggle switches the scheme,
which the next page keeps, as on the real site. In the second scheme only the rules that depend
on colours run again. axe-core ships inside the pinned `axe-playwright-python` package: nothing
is fetched. Transitions and animations are switched off for the audit, so that colours are
measured as they end up, not halfway through the palette's fade.
"""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from test_browser import browser, draw_diagrams, server  # noqa: F401  (fixtures: one Chromium, one server)

pytestmark = pytest.mark.browser

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
BLOCKING = ("serious", "critical")
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
PAGES = [
    "/01-foundations/neural-network/",  # a diagram, a figure, math, code
    "/02-backprop/",
    "/03-pytorch/",
    "/04-cnn/kernels/",
    "/05-sequences/memory-task/",
    "/06-training/cli/",  # console sessions
    "/07-vla/",
    "/labs/02-backprop/",
    "/glossary/",
    "/errata/",
]
# the home page in both languages, every other page in one: ko, en, ko, ...
PAGES_BY_LANG = {"ko": ["/", *PAGES[0::2]], "en": ["/", *PAGES[1::2]]}
NO_MOTION = """
document.addEventListener("DOMContentLoaded", () => {
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
  document.head.appendChild(style);
});
"""


def start_audit(page, rules: list[str] | None = None) -> None:
    """Start axe on the page without waiting for it (`finish_audit` collects the result)."""
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = rules
    page.evaluate("options => { window.nnrefAudit = axe.run(document, options); }", options)


def finish_audit(page) -> list[str]:
    """axe's serious and critical findings, one line per rule."""
    violations = page.evaluate("window.nnrefAudit.then(r => r.violations)")
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; e.g. {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def settle(page) -> str:
    """Wait until math and diagrams are drawn (axe should see what the reader sees); the scheme."""
    page.wait_for_load_state("load")
    draw_diagrams(page)
    if page.locator(".arithmatex, .jp-RenderedMarkdown").count():
        page.wait_for_selector("html.nnref-math-ready", timeout=30000)
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def toggle_scheme(page) -> None:
    """Switch the scheme with the palette toggle in the header; diagrams redraw in new colours."""
    page.evaluate("document.documentElement.classList.remove('nnref-mermaid-ready')")
    # activated without a pointer over it: a hovered toggle shows its tooltip, fading in while
    # axe measures colours
    page.locator("form[data-md-component=palette] label:not([hidden])").evaluate("label => label.click()")


class Reader:
    """One tab whose pages open one after another; Material keeps the palette choice between them."""

    def __init__(self, chromium, dark: bool):
        self.context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, color_scheme="dark" if dark else "light"
        )
        self.context.add_init_script(path=str(AXE))
        self.context.add_init_script(NO_MOTION)
        self.page = self.context.new_page()
        self.scheme = "slate" if dark else "default"  # what the next page should open in

    def check_scheme(self, path: str, scheme: str) -> None:
        assert scheme == self.scheme, f"{path} opened in {scheme}, expected {self.scheme}"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_serious_violations_in_light_and_dark(browser, server, lang):  # noqa: F811
    root = server + ("/en" if lang == "en" else "")
    readers = [Reader(browser, dark=False), Reader(browser, dark=True)]
    pages = PAGES_BY_LANG[lang]
    shares = [pages[0::2], pages[1::2]]
    found: list[str] = []
    # the two readers take their steps side by side, so both cores work
    for step in range(len(shares[0])):
        active = [(reader, share[step]) for reader, share in zip(readers, shares, strict=True) if step < len(share)]
        for reader, path in active:
            reader.page.goto(root + path, wait_until="commit")
        for switched in (False, True):
            for reader, path in active:
                if switched:
                    toggle_scheme(reader.page)
                    reader.scheme = "default" if reader.scheme == "slate" else "slate"
                reader.check_scheme(path, settle(reader.page))
                start_audit(reader.page, COLOUR_RULES if switched else None)
            for reader, path in active:
                found += [f"{lang} {path} [{reader.scheme}] {line}" for line in finish_audit(reader.page)]
    for reader in readers:
        reader.context.close()
    assert not found, "\n".join(found)
