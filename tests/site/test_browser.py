"""The built site in a real headless Chromium: Korean text in a Korean font, math and diagrams
rendered, the language switcher, the notebook download, no request to another host, no console
error (search: tests/site/test_search.py). Screenshots go to artifacts/screenshots/ (kept by CI).

Skipped, with the reason counted, when no Chromium is installed; `.ci/run` installs one.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from nnref_docs.paths import ROOT
from nnref_docs.sitebuild import base_path

pytestmark = [pytest.mark.browser, pytest.mark.spread]

SHOTS = ROOT / "artifacts" / "screenshots"
KOREAN_FONTS = ("nanum", "noto sans cjk", "noto sans kr", "apple sd gothic", "malgun")


BASE = base_path()


class Visit:
    """One page load with every request and console error recorded."""

    def __init__(self, browser, server: str, path: str, width: int = 1280, dark: bool = False):
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light"
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(server + path, wait_until="networkidle")

    def foreign_requests(self) -> list[str]:
        return [
            u for u in self.requests if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith("data:")
        ]

    def fonts_of(self, selector: str) -> list[str]:
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [f["familyName"] for f in fonts]

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / name), full_page=False)

    def close(self) -> None:
        self.context.close()


def draw_diagrams(page) -> None:
    """Scroll to each diagram in turn, as a reader would (one is drawn when it comes near the
    screen), and wait until all are drawn."""
    diagrams = page.locator(".nnref-mermaid")
    for i in range(diagrams.count()):
        diagrams.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "d => d.hasAttribute('data-processed')", arg=diagrams.nth(i).element_handle(), timeout=30000
        )
    if diagrams.count():
        page.wait_for_selector("html.nnref-mermaid-ready", timeout=30000)


@pytest.mark.parametrize(("lang", "path"), [("ko", "/"), ("en", "/en/")])
def test_home_renders_text_math_and_diagram(browser, server, lang, path):
    visit = Visit(browser, server, path)
    page = visit.page
    draw_diagrams(page)
    assert page.locator(".arithmatex .katex").count() >= 2  # typeset when the site was built
    assert page.locator(".nnref-mermaid svg").count() == 1
    assert page.locator(".nnref-mermaid svg .node").count() == 7  # the seven chapters
    heading = page.locator("h1").first.inner_text()
    if lang == "ko":
        assert "신경망" in heading
        fonts = [f.lower() for f in visit.fonts_of("h1")]
        assert any(k in f for f in fonts for k in KOREAN_FONTS), f"Korean heading drawn with {fonts}"
    else:
        assert "Neural-network" in heading
    page.locator("#learning-path").scroll_into_view_if_needed()
    visit.shot(f"home-{lang}.png")
    # the plain flowchart is laid out with dagre: Mermaid's 1.6 MB ELK layout chunk stays unloaded
    assert not [url for url in visit.requests if "/elk-" in url]
    assert visit.foreign_requests() == []
    assert visit.errors == []
    visit.close()


def test_language_switcher_keeps_the_page(browser, server):
    visit = Visit(browser, server, "/contributing/")
    page = visit.page
    link = page.locator('a[hreflang="en"]').first
    href = link.get_attribute("href")
    page.goto(urljoin(page.url, href), wait_until="networkidle")
    assert urlparse(page.url).path == f"{BASE}/en/contributing/"
    assert page.locator("h1").first.inner_text().rstrip("¶") == "Contributing"
    back = page.locator('a[hreflang="ko"]').first.get_attribute("href")
    page.goto(urljoin(page.url, back), wait_until="networkidle")
    assert urlparse(page.url).path == f"{BASE}/contributing/"
    visit.close()


def test_phone_width_and_dark_mode(browser, server):
    visit = Visit(browser, server, "/contributing/", width=390, dark=True)
    page = visit.page
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme == "slate"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone"
    draw_diagrams(page)
    visit.shot("contributing-ko-phone-dark.png")
    assert visit.errors == [] and visit.foreign_requests() == []
    visit.close()


def test_notebook_page_and_download(browser, server, site):
    assert (site / "labs" / "02-backprop").is_dir()
    visit = Visit(browser, server, "/labs/02-backprop/")
    page = visit.page
    assert page.locator(".jp-Cell").count() >= 2
    assert page.locator(".jp-RenderedMarkdown .katex").count() > 5  # $...$ in markdown cells is typeset
    assert "$w_1" not in page.locator(".jp-RenderedMarkdown").first.inner_text()
    toc = page.locator(".md-sidebar--secondary .md-nav__link")
    assert toc.count() >= 8 and toc.first.get_attribute("href").startswith("#문제")
    # code cells are the site's own code blocks (colours, copy button), without JupyterLab's CSS
    assert page.locator(".jp-CodeCell .highlight pre > code").count() >= 8
    assert page.locator(".jp-CodeCell button.md-code__button[data-md-type=copy]").count() >= 8
    assert page.locator(".jupyter-wrapper style, .jupyter-wrapper script").count() == 0
    link = page.locator("a.nnref-download--notebook")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".ko.ipynb")
    import json

    notebook = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    visit.shot("lab-ko.png")
    assert visit.errors == [] and visit.foreign_requests() == []
    visit.close()


def test_page_code_downloads_as_a_script(browser, server, site):
    visit = Visit(browser, server, "/en/02-backprop/chain-rule/")
    page = visit.page
    assert page.locator("a.nnref-download").count() == 2  # .py and .ipynb next to the title
    with page.expect_download() as info:
        page.locator("a.nnref-download--script").click()
    download = info.value
    assert download.suggested_filename == "02-backprop-chain-rule.en.py"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text == (site / "en" / "02-backprop" / "chain-rule" / download.suggested_filename).read_text(
        encoding="utf-8"
    )
    from nnref_docs.export import INSTALL_COMMAND

    assert text.startswith("# Chain rule") and INSTALL_COMMAND in text
    assert visit.errors == [] and visit.foreign_requests() == []
    visit.close()


def test_copy_up_to_here_copies_code_that_runs(browser, server, site, tmp_path):
    """A block that uses earlier names says which; its button copies the page's code through it."""
    import subprocess
    import sys

    from nnref_docs.compare import check_output
    from nnref_docs.export import page_code

    source = ROOT / "docs" / "02-backprop" / "chain-rule.ko.md"
    code = page_code(source.read_text(encoding="utf-8"), source="docs/02-backprop/chain-rule.ko.md", lang="ko")
    dependent = [cell for cell in code.block_cells() if cell.uses]
    cell = dependent[1]
    visit = Visit(browser, server, "/02-backprop/chain-rule/")
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = visit.page
    notes = page.locator(".nnref-uses")
    assert notes.count() == len(dependent)
    note = notes.nth(1)
    assert note.locator("code").all_inner_texts() == (cell.uses if len(cell.uses) <= 7 else cell.uses[:6])
    assert "앞 블록에서 만든 이름을 씁니다" in note.inner_text()
    # the note sits right above the block it describes
    assert note.evaluate("n => n.nextElementSibling.querySelector('code').textContent").startswith(
        cell.block.source.splitlines()[0]
    )
    button = note.locator("button")
    button.click()
    page.wait_for_function("b => b.classList.contains('nnref-uses__copy--done')", arg=button.element_handle())
    copied = page.evaluate("navigator.clipboard.readText()")
    script = (site / "02-backprop" / "chain-rule" / "02-backprop-chain-rule.ko.py").read_text(encoding="utf-8")
    # from the seed cell, not the header that speaks of the whole file, through the block
    assert copied == "\n".join(script.split("\n")[code.cells[0].start - 1 : cell.end]) + "\n"
    assert copied.startswith("# %% ") and "pip install" not in copied
    assert cell.block.source in copied
    ran = subprocess.run(
        [sys.executable, "-I", "-c", copied],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert ran.returncode == 0, ran.stderr
    tail = "\n".join(ran.stdout.rstrip().splitlines()[-len(cell.expected.strip().splitlines()) :])
    assert check_output(cell.expected, tail, cell.block.tolerance) is None
    visit.shot("copy-up-to-here-ko.png")
    assert visit.errors == [] and visit.foreign_requests() == []
    visit.close()
