"""Build the site once (strict) and check what readers get: both languages, rendered notebooks,
downloadable .ipynb files, and no resource loaded from another host."""

import html as html_lib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nnref_docs.pairs import page_pairs
from nnref_docs.parse import parse_page
from nnref_docs.paths import DOCS


def built_page(site: Path, key: str, lang: str) -> Path:
    prefix = site if lang == "ko" else site / "en"
    if key == "index":
        return prefix / "index.html"
    if key.endswith("/index"):
        return prefix / key[: -len("/index")] / "index.html"
    return prefix / key / "index.html"


def test_korean_at_root_english_under_en(site):
    ko = (site / "index.html").read_text(encoding="utf-8")
    en = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in ko and "검증된 코드로 배우는" in ko
    assert '<html lang="en"' in en and "code that is checked" in en


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_is_built(site, lang):
    missing = [key for key in page_pairs(DOCS) if not built_page(site, key, lang).exists()]
    assert not missing, f"not in the {lang} site: {missing}"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_notebook_pages_hold_rendered_cells(site, lang):
    labs = sorted(page_pairs(DOCS, ext="py"))
    assert labs, "no lab notebooks under docs/labs"
    for key in labs:
        page = built_page(site, key, lang)
        html = page.read_text(encoding="utf-8")
        assert "jp-Cell" in html and "jupyter-wrapper" in html, f"{page}: no rendered notebook cells"
        assert "# %%" not in html, f"{page}: raw jupytext source instead of a notebook"
        name = f"{Path(key).name}.{lang}.ipynb"
        assert f'href="{name}" download' in html, f"{page}: no download button"
        notebook = json.loads((page.parent / name).read_text(encoding="utf-8"))
        assert notebook["nbformat"] == 4 and any(c["cell_type"] == "code" for c in notebook["cells"])


SKIP_WORDS = {"ko": "이 블록은 실행하지 않습니다: ", "en": "Not run here: "}
SKIP_BOX = re.compile(
    r'<div class="admonition warning nnref-skip">\s*<p class="admonition-title">(?P<title>.*?)</p>\s*</div>'
    r"\s*(?:<!--.*?-->\s*)?(?P<next><div class=\"language-python highlight\">)?",
    re.S,
)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_skipped_block_shows_why_right_above_it(site, lang):
    pages = {}
    for path in sorted(DOCS.rglob(f"*.{lang}.md")):
        reasons = [b.skip_reason for b in parse_page(path.read_text(encoding="utf-8")) if b.skip_reason]
        if reasons:
            pages[path.relative_to(DOCS).as_posix().removesuffix(f".{lang}.md")] = reasons
    if not pages:
        pytest.skip("no page skips a block")
    for key, reasons in pages.items():
        page = built_page(site, key, lang).read_text(encoding="utf-8")
        boxes = list(SKIP_BOX.finditer(page))
        titles = [html_lib.unescape(re.sub(r"<[^>]+>", "", m["title"])) for m in boxes]
        assert titles == [SKIP_WORDS[lang] + r for r in reasons], f"{key} ({lang}): labels {titles}"
        assert all(m["next"] for m in boxes), f"{key} ({lang}): a label is not directly above its code block"


class _Resources(HTMLParser):
    """Collects the URLs a browser would fetch by itself (not the links a reader may click)."""

    FETCHED = {
        ("script", "src"),
        ("img", "src"),
        ("iframe", "src"),
        ("source", "src"),
        ("video", "src"),
        ("audio", "src"),
        ("embed", "src"),
        ("object", "data"),
    }
    LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "prefetch", "preconnect", "dns-prefetch", "manifest"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for t, a in self.FETCHED:
            if tag == t and attrs.get(a):
                self.urls.append(attrs[a])
        if tag == "link" and set((attrs.get("rel") or "").split()) & self.LINK_RELS and attrs.get("href"):
            self.urls.append(attrs["href"])
        if attrs.get("style") and "url(" in attrs["style"]:
            self.urls.extend(re.findall(r"url\(['\"]?([^'\")]+)", attrs["style"]))


EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def test_no_resource_comes_from_another_host(site):
    offenders = []
    for page in site.rglob("*.html"):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.relative_to(site)}: {u}" for u in parser.urls if EXTERNAL.match(u)]
    for sheet in list(site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        offenders += [
            f"{sheet.relative_to(site)}: {u}" for u in re.findall(r"@import\s+url\(['\"]?(https?://[^'\")]+)", text)
        ]
        offenders += [
            f"{sheet.relative_to(site)}: {u}"
            for u in re.findall(r"url\(['\"]?(https?://[^'\")]+)", text)
            if "w3.org" not in u
        ]
    assert not offenders, "\n".join(offenders[:20])


def test_the_resource_scan_can_fail():
    parser = _Resources()
    parser.feed(
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.example/a.css">'
        '<a href="https://github.com/">a link a reader clicks is fine</a>'
    )
    assert [u for u in parser.urls if EXTERNAL.match(u)] == ["https://cdn.example/x.js", "//fonts.example/a.css"]


def test_math_and_diagrams_are_vendored(site):
    assert (site / "assets" / "vendor" / "katex" / "katex.min.js").exists()
    assert (site / "assets" / "vendor" / "mermaid" / "mermaid.esm.min.mjs").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="arithmatex"' in home and 'class="nnref-mermaid"' in home


def test_a_broken_internal_link_fails_the_strict_build(broken_build):
    """tests/conftest.py's one-page site links to a page that is not there."""
    assert broken_build["returncode"] != 0
    assert "nowhere.md" in broken_build["stderr"], broken_build["stderr"][-3000:]
    assert "not found among documentation files" in broken_build["stderr"]
