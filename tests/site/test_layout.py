"""What the built site's layout lets a reader see, measured in headless Chromium: the "checked
output" label on output blocks covers neither output text nor the copy button (desktop and phone),
and every header tab shows in full at desktop widths, in both languages.

Boxes come from the browser itself: the output's text boxes from ``Range.getClientRects`` on its
text nodes, the label's box (a ``::after`` pseudo-element, which scripts cannot measure) from the
DevTools protocol's ``DOM.getBoxModel``. Screenshots go to artifacts/screenshots/ (kept by CI).
"""

from __future__ import annotations

import pytest

from nnref_docs.paths import ROOT

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "screenshots"

# pages with many output blocks, long output lines (losses, lstm, loop) and one-line outputs next to
# the copy button (output-size); each in both languages
SAMPLE = [
    "03-pytorch/losses/",
    "02-backprop/chain-rule/",
    "01-foundations/activations/",
    "04-cnn/output-size/",
    "05-sequences/lstm/",
    "06-training/loop/",
]
LABEL = {"ko": "✔ 검증된 출력", "en": "✔ checked output"}


# For each output block: the boxes of its text (each text node's non-blank run, one box per line it
# takes), its copy button, in viewport coordinates. Collapsed <details> are opened
# first, so that every block is laid out.
OUTPUT_BLOCKS = """() => {
  document.querySelectorAll('.md-typeset details').forEach(d => { d.open = true; });
  const box = r => [r.left, r.top, r.right, r.bottom];
  return Array.from(document.querySelectorAll('.md-typeset .language-text.highlight')).map(block => {
    const code = block.querySelector('pre > code');
    const text = [];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const start = node.data.search(/\\S/);
      if (start < 0) continue;
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, node.data.trimEnd().length);
      for (const r of range.getClientRects()) if (r.width > 0.5 && r.height > 0.5) text.push(box(r));
    }
    const button = block.querySelector('.md-code__button, .md-clipboard');
    return {text, button: button ? box(button.getBoundingClientRect()) : null,
            shown: code.getClientRects().length > 0};
  });
}"""


def label_boxes(cdp) -> list[list[float] | None]:
    """The border box of the ``::after`` label of every output block, in document order (``None``
    where it has none)."""
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]
    found = []

    def walk(node):
        attrs = node.get("attributes", [])
        classes = dict(zip(attrs[::2], attrs[1::2], strict=True)).get("class", "").split()
        if node.get("nodeName") == "DIV" and {"language-text", "highlight"} <= set(classes):
            after = [p for p in node.get("pseudoElements", []) if p.get("pseudoType") == "after"]
            box = None
            if after:
                try:
                    quad = cdp.send("DOM.getBoxModel", {"nodeId": after[0]["nodeId"]})["model"]["border"]
                    box = [min(quad[0::2]), min(quad[1::2]), max(quad[0::2]), max(quad[1::2])]
                except Exception:  # noqa: BLE001 - a pseudo-element that is not laid out has no box
                    box = None
            found.append(box)
        for child in node.get("children", []):
            walk(child)

    walk(root)
    return found


def overlaps(a, b, tolerance: float = 0.5) -> bool:
    """Whether two boxes (left, top, right, bottom) share more than a hairline."""
    return a[0] < b[2] - tolerance and b[0] < a[2] - tolerance and a[1] < b[3] - tolerance and b[1] < a[3] - tolerance


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_checked_output_label_covers_no_output_and_no_copy_button(browser, server, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    prefix = "/en/" if lang == "en" else "/"
    measured, problems = 0, []
    for path in SAMPLE:
        page.goto(server + prefix + path, wait_until="networkidle")
        blocks = page.evaluate(OUTPUT_BLOCKS)
        labels = label_boxes(cdp)
        assert len(labels) == len(blocks) > 0, (path, len(labels), len(blocks))
        for i, (block, label) in enumerate(zip(blocks, labels, strict=True)):
            where = f"{prefix}{path} output {i + 1} at {width}px"
            if not block["shown"]:
                continue  # in an unselected content tab: not laid out, nothing to cover
            measured += 1
            content = page.evaluate(
                "i => getComputedStyle(document.querySelectorAll('.md-typeset .language-text.highlight')[i],"
                " '::after').content",
                i,
            )
            assert content == f'"{LABEL[lang]}"', (where, content)
            if label is None or label[2] - label[0] < 1:
                problems.append(f"{where}: the label has no box")
                continue
            covered = [t for t in block["text"] if overlaps(label, t)]
            if covered:
                problems.append(f"{where}: the label covers output text at {covered[0]}")
            if block["button"] and overlaps(label, block["button"]):
                problems.append(f"{where}: the label sits on the copy button")
    assert measured >= 40, measured
    assert problems == [], "\n".join(problems)
    page.goto(server + prefix + SAMPLE[0], wait_until="networkidle")
    block = page.locator(".md-typeset .language-text.highlight").nth(3)
    block.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    block.screenshot(path=str(SHOTS / f"output-label-{lang}-{width}.png"))
    context.close()


# Every code block with a copy button (code and output, shown ones), scrolled to its right end:
# the boxes of its text that the button covers. Then, scrolled back to the start, those covered by
# the button that are not part of a line overflowing the block's content box (one that scrolls:
# its covered part shows once the reader scrolls).
COPY_BUTTON_COVERS = """() => {
  document.querySelectorAll('.md-typeset details').forEach(d => { d.open = true; });
  const over = (r, b) => r.left < b.right - 0.5 && b.left < r.right - 0.5 && r.top < b.bottom - 0.5 && b.top < r.bottom - 0.5;
  const found = [];
  document.querySelectorAll('.md-typeset .highlight').forEach((block, i) => {
    const code = block.querySelector('pre > code'), button = block.querySelector('.md-code__button');
    if (!code || !button || !code.getClientRects().length) return;
    for (const end of [true, false]) {
      code.scrollLeft = end ? code.scrollWidth : 0;
      // a line that reaches into the right padding overflows the content box: it scrolls
      const b = button.getBoundingClientRect();
      const edge = code.getBoundingClientRect().right - parseFloat(getComputedStyle(code).paddingRight);
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects())
          if (over(r, b) && (end || r.right <= edge + 0.5))
            found.push(`block ${i + 1}${end ? " (scrolled to the end)" : ""}: '${node.data.trim().slice(0, 40)}'`);
      }
    }
  });
  return found;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_copy_button_covers_no_line_end(browser, server, width):
    """The home page's one-line pip install, long code and output lines: their ends stay visible."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = []
    for path in ["/", "/en/", *(f"/en/{p}" for p in SAMPLE[:3]), *(f"/{p}" for p in SAMPLE[3:])]:
        page.goto(server + path, wait_until="networkidle")
        blocks = page.locator(".md-typeset .highlight")
        for i in range(blocks.count()):  # Material adds the copy button as a block comes into view
            blocks.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "n => document.querySelectorAll('.md-typeset .highlight .md-code__button').length >= n",
            arg=blocks.count() // 2,
        )
        problems += [f"{path} at {width}px, {found}" for found in page.evaluate(COPY_BUTTON_COVERS)]
    assert problems == [], "\n".join(problems)
    context.close()


# Each header tab's link: whether it shows in full, that is whether its box lies inside the viewport
# and inside every ancestor that clips (the tab bar scrolls sideways when the tabs do not fit), and
# its own text is not cut (ellipsis or overflow).
TABS = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('.md-tabs__item .md-tabs__link')).map(link => {
    const r = link.getBoundingClientRect();
    let left = Math.max(r.left, 0), right = Math.min(r.right, width);
    for (let e = link.parentElement; e; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible') {
        const c = e.getBoundingClientRect();
        left = Math.max(left, c.left); right = Math.min(right, c.right);
      }
    }
    const cut = link.scrollWidth > link.clientWidth + 1, shown = getComputedStyle(link).visibility !== 'hidden';
    return {text: link.textContent.trim(),
            full: shown && !cut && r.left >= 0 && r.right <= width && right - left >= r.width - 1};
  });
}"""


@pytest.mark.parametrize("width", [1220, 1280, 1920])  # 1220 px: the narrowest screen with tabs
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_header_tab_shows_in_full(browser, server, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(server + ("/en/" if lang == "en" else "/") + "errata/", wait_until="networkidle")
    tabs = page.evaluate(TABS)
    assert len(tabs) == 10, [t["text"] for t in tabs]  # home, seven chapters, labs, reference
    assert tabs[-1]["text"] == ("Reference" if lang == "en" else "참고")
    hidden = [t["text"] for t in tabs if not t["full"]]
    assert hidden == [], f"tabs not fully visible at {width}px: {hidden}"
    # the list itself does not scroll: nothing is hidden to its right
    assert page.evaluate("(l => l.scrollWidth - l.clientWidth)(document.querySelector('.md-tabs__list'))") <= 1
    if width == 1280:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SHOTS / f"tabs-{lang}-{width}.png"), clip={"x": 0, "y": 0, "width": width, "height": 100}
        )
    context.close()
