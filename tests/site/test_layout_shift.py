"""Math pages that do not move, and pages that read on a phone, measured in headless Chromium.

- Layout shift: a ``PerformanceObserver`` ('layout-shift', buffered, installed before the page's own
  scripts) adds up every shift not caused by input while a math-heavy page loads, waits 2 s and
  scrolls to the bottom. The sum is at least the page's CLS; it must stay under 0.02 (math is
  typeset when the site is built: hooks/katex.py).
- At 390 px: the home page's learning-path diagram draws its labels at >= 10 CSS px (font size
  times the SVG's scale), display math wider than its column shows a shadow at the cut edge (read
  from the screenshot's pixels, before and after scrolling it to its end), and the figures' text is
  >= 8 CSS px. At 1280 px the same pieces keep their desktop layout.

Screenshots go to artifacts/screenshots/ (kept by CI).
"""

from __future__ import annotations

import io
import re

import pytest

from nnref_docs.paths import ROOT

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "screenshots"
MATH_PAGES = ["02-backprop/vanishing-gradients/", "02-backprop/chain-rule/", "02-backprop/manual-backprop/"]
PREFIX = {"ko": "/", "en": "/en/"}
PHONE = 390

WATCH_SHIFTS = """
window.nnrefShifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    window.nnrefShifts.push({value: e.value, at: Math.round(e.startTime), moved: e.sources.map(s =>
      s.node ? `${s.node.nodeName}.${String(s.node.className || '').split(' ')[0]} ${Math.round(s.previousRect.y)}->${Math.round(s.currentRect.y)}` : '?')});
  }
}).observe({type: 'layout-shift', buffered: true});
"""


def new_page(browser, width: int, shifts: bool = False):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    if shifts:
        page.add_init_script(WATCH_SHIFTS)
    return context, page


def shot(locator, name: str) -> bytes:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return locator.screenshot(path=str(SHOTS / name))


@pytest.mark.parametrize("width", [1280, PHONE])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_math_pages_do_not_shift(browser, server, lang, width):
    context, page = new_page(browser, width, shifts=True)
    moved = []
    for path in MATH_PAGES:
        page.goto(server + PREFIX[lang] + path, wait_until="load")
        page.wait_for_timeout(2000)
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(300)
        shifts = page.evaluate("window.nnrefShifts")
        total = sum(s["value"] for s in shifts)
        if total >= 0.02:
            worst = max(shifts, key=lambda s: s["value"])
            moved.append(
                f"{PREFIX[lang]}{path} at {width}px: {total:.3f}, worst at {worst['at']} ms: {worst['moved'][:3]}"
            )
        assert page.locator(".arithmatex .katex").count() > 10  # the math is there, typeset
    context.close()
    assert moved == [], "layout shift (CLS) >= 0.02:\n" + "\n".join(moved)


LABEL_SIZES = """() => Array.from(document.querySelectorAll('.nnref-mermaid svg')).map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const labels = Array.from(svg.querySelectorAll('.nodeLabel, .edgeLabel, text'))
    .filter(l => l.textContent.trim());
  return {scale, sizes: labels.map(l => parseFloat(getComputedStyle(l).fontSize) * scale),
          wide: svg.getBoundingClientRect().width > svg.getBoundingClientRect().height};
})"""


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_learning_path_labels_are_readable_on_a_phone(browser, server, lang):
    for width in (PHONE, 1280):
        context, page = new_page(browser, width)
        page.goto(server + PREFIX[lang], wait_until="networkidle")
        diagram = page.locator(".nnref-mermaid")
        diagram.scroll_into_view_if_needed()
        page.wait_for_selector("html.nnref-mermaid-ready", timeout=30000)
        [found] = page.evaluate(LABEL_SIZES)
        assert len(found["sizes"]) >= 7, found
        smallest = min(found["sizes"])
        shot(diagram, f"learning-path-{lang}-{width}.png")
        if width == PHONE:
            assert smallest >= 10, (
                f"at {width}px the diagram's labels are {smallest:.1f} CSS px (scale {found['scale']:.2f})"
            )
        else:  # the desktop keeps the left-to-right path, as wide as the column
            assert found["wide"] and smallest >= 10, found
        context.close()


# an element's screenshot as rows of grey levels (0 black .. 255 white)
def grey(png: bytes) -> list[list[int]]:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    data = image.tobytes()
    return [data[y * width : (y + 1) * width] for y in range(height)]


def edges(png: bytes, rows: range) -> tuple[float, float]:
    """Mean grey of the 3 px at the left and at the right edge over ``rows`` (rows without ink)."""
    pixels = grey(png)
    left = [v for y in rows for v in pixels[y][:3]]
    right = [v for y in rows for v in pixels[y][-3:]]
    return sum(left) / len(left), sum(right) / len(right)


def assert_cue_follows_the_cut(locator, name: str, rows: range) -> None:
    """A shadow at the right edge while more lies to the right; at the left once scrolled to the end."""
    locator.evaluate("e => { e.scrollLeft = 0; }")
    left, right = edges(shot(locator, f"{name}-start.png"), rows)
    assert right < left - 8, f"{name}: no shadow at the cut right edge (left {left:.0f}, right {right:.0f})"
    locator.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    left, right = edges(shot(locator, f"{name}-end.png"), rows)
    assert left < right - 8, f"{name}: scrolled to its end, no shadow at the left (left {left:.0f}, right {right:.0f})"


OVERFLOW = """(selector) => Array.from(document.querySelectorAll(selector)).map(e => ({
  cut: e.scrollWidth > e.clientWidth + 1, focusable: e.tabIndex === 0,
  cue: getComputedStyle(e).backgroundAttachment.split(',').map(s => s.trim()).includes('local')}))"""


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_wide_display_math_shows_that_it_scrolls(browser, server, lang):
    context, page = new_page(browser, PHONE)
    page.goto(server + PREFIX[lang] + "02-backprop/vanishing-gradients/", wait_until="networkidle")
    page.wait_for_selector("html.nnref-scrollers-marked")  # nnref.js: tabindex on cut boxes
    blocks = page.evaluate(OVERFLOW, "div.arithmatex")
    cut = [b for b in blocks if b["cut"]]
    assert cut, "expected a display equation wider than the phone's column"
    assert all(b["cue"] and b["focusable"] for b in cut), blocks
    widest = page.locator("div.arithmatex").nth(
        max(range(len(blocks)), key=lambda i: page.locator("div.arithmatex").nth(i).evaluate("e => e.scrollWidth"))
    )
    widest.scroll_into_view_if_needed()
    assert_cue_follows_the_cut(widest, f"wide-math-{lang}-{PHONE}", range(2, 8))  # KaTeX's top margin
    # on the desktop the same equation fits: no shadow at either edge
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_timeout(100)
    assert not widest.evaluate("e => e.scrollWidth > e.clientWidth + 1")
    left, right = edges(shot(widest, f"wide-math-{lang}-1280.png"), range(2, 8))
    assert min(left, right) > 250, (left, right)
    context.close()


# the smallest text a matplotlib figure draws, in its own units (pt): glyphs are paths scaled from
# a 100-unit font (matplotlib's svg backend), `scale(s -s)` is a font of 100 * s
def smallest_text(svg: str) -> float:
    scales = [float(s) for s in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg)]
    return 100 * min(s for s in scales if s < 1)


FIGURES = """() => Array.from(document.querySelectorAll('.md-typeset img[src$=".svg"]')).map(img => ({
  src: new URL(img.src).pathname, width: img.getBoundingClientRect().width, natural: img.naturalWidth,
  column: img.parentElement.clientWidth, focusable: img.parentElement.tabIndex === 0, cut: img.parentElement.scrollWidth > img.parentElement.clientWidth + 1}))"""


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_figure_text_is_legible_on_a_phone(browser, server, site, lang):
    from nnref_docs.sitebuild import base_path

    pages = [
        "01-foundations/universal-approximation/",
        "02-backprop/vanishing-gradients/",
        "02-backprop/scalar-engine/",
    ]
    small = []
    for width in (PHONE, 1280):
        context, page = new_page(browser, width)
        for path in pages:
            page.goto(server + PREFIX[lang] + path, wait_until="networkidle")
            figures = page.evaluate(FIGURES)
            assert figures, path
            for i, figure in enumerate(figures):
                svg = (site / figure["src"][len(base_path()) + 1 :]).read_text(encoding="utf-8")
                # the SVG's intrinsic width is its width in pt * 4/3: CSS px per pt as drawn
                text = smallest_text(svg) * figure["width"] / (figure["natural"] * 3 / 4)
                if width == PHONE and text < 7.95:
                    small.append(f"{path} {figure['src']}: text at {text:.1f} CSS px")
                if width == 1280:  # the desktop draws a figure as before: its size, or the column's
                    assert not figure["cut"] and abs(figure["width"] - min(figure["natural"], figure["column"])) < 1, (
                        figure
                    )
                assert figure["focusable"] == figure["cut"], figure  # the keyboard scrolls what is cut
                if width == PHONE and figure["cut"] and i == 0:
                    paragraph = page.locator(".md-typeset p:has(> img[src$='.svg'])").nth(i)
                    paragraph.scroll_into_view_if_needed()
                    assert_cue_follows_the_cut(paragraph, f"figure-{lang}-{path.split('/')[1]}", range(2, 6))
        context.close()
    assert small == [], "figure text under 8 CSS px at 390 px:\n" + "\n".join(small)
