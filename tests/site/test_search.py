"""Search: one index per language, headings and prose only, Korean particles, and queries typed into
the built site the way a reader types them (keys for Latin text, the IME's composition for Korean).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from nnref_docs.browser import type_text
from nnref_docs.pairs import LANGS
from nnref_docs.search import SEPARATOR, searchable, split_index, tex_to_text
from nnref_docs.sitebuild import base_path

BASE = base_path()
TEX = re.compile(r"\\[A-Za-z()\[\]]|\$")


def words(text: str) -> list[str]:
    """The index's words, as Material's worker splits them with the same separator."""
    return [w for w in re.split(SEPARATOR, text) if w]


# --- the rules, on small inputs --------------------------------------------------------------------


def test_particles_come_off_and_short_words_stay_whole():
    assert words("역전파를 계산하면 역전파는 역전파에서는 끝난다") == [
        "역전파",
        "계산하면",
        "역전파",
        "역전파",
        "끝난다",
    ]
    # a word of one syllable before the particle is a word of its own: 길이 (length), 결과 (result)
    assert words("길이 결과 차이") == ["길이", "결과", "차이"]
    assert words("cross-entropy loss, LSTM's gates") == ["cross", "entropy", "loss,", "LSTM's", "gates"]


def test_searchable_keeps_prose_and_headings_and_drops_code_math_and_labels():
    page = (
        '<h2 id="a">Chain rule</h2><p>The slope <span class="arithmatex">\\(\\partial L / \\partial w\\)</span> is'
        " small.</p>"
        '<div class="language-python highlight"><pre><span></span><code>x = 1\n<div>nested</div>\n</code></pre></div>'
        '<div class="nnref-uses"><span class="nnref-uses__names">Uses names from earlier blocks: <code>x</code>'
        '</span> <button class="nnref-uses__copy">Copy the code up to here</button></div>'
        '<div class="arithmatex">\\[ y = \\frac{1}{2} \\]</div>'
        '<div class="nnref-stamp nnref-stamp--ok"><p>Verified</p></div>'
        '<div class="nnref-mermaid">graph LR; A-->B</div>'
        "<table><thead><tr><th>Term</th><th>Meaning</th></tr></thead>"
        "<tbody><tr><td><strong>gradient</strong></td><td>the vector of <em>partial</em> derivatives</td></tr>"
        '<tr><td>loss</td><td>what <span class="arithmatex">\\(L\\)</span> measures</td></tr></tbody></table>'
        "<p>After.</p>"
    )
    text = searchable(page)
    assert "Chain rule" in text and "The slope ∂L / ∂w is small." in text and "After." in text
    for gone in ("x = 1", "nested", "Uses names", "Copy the code", "frac", "Verified", "graph LR", "Term"):
        assert gone not in text, (gone, text)
    assert "<p>gradient · the vector of partial derivatives</p>" in text
    assert "<p>loss · what L measures</p>" in text


def test_math_typeset_at_build_time_is_read_from_its_tex_annotation():
    katex = (
        '<p>Then <span class="arithmatex"><span class="katex"><span class="katex-mathml"><math><semantics>'
        '<mrow><mi>σ</mi></mrow><annotation encoding="application/x-tex">\\sigma(z)</annotation></semantics>'
        '</math></span><span class="katex-html"><span class="mord">σ</span></span></span></span> saturates.</p>'
    )
    assert searchable(katex) == "<p>Then σ(z) saturates.</p>"


def test_tex_becomes_readable_text():
    assert tex_to_text(r"\lVert \partial L / \partial W_l \rVert") == "‖ ∂L / ∂W_l ‖"
    assert tex_to_text(r"\frac{\partial \ell}{\partial z} = \mathrm{softmax}(z)") == "(∂ℓ)/(∂z) = softmax(z)"
    assert tex_to_text(r"a_{l-1} = W_l^\top x") == "a_(l-1) = W_lᵀ x"
    assert "\\" not in tex_to_text(r"\mathcal{L} + \hat{y} \quad \left( x \right)")


def test_split_index_gives_each_language_its_own_entries(tmp_path):
    docs = [{"location": "a/", "title": "가", "text": ""}, {"location": "en/a/", "title": "A", "text": ""}]
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(
        json.dumps({"config": {"lang": ["ko", "en"], "separator": "[\\s]+"}, "docs": docs}), encoding="utf-8"
    )
    assert split_index(tmp_path, LANGS) == {"ko": 1, "en": 1}
    ko = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((tmp_path / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert [d["title"] for d in ko["docs"]] == ["가"] and [d["title"] for d in en["docs"]] == ["A"]
    assert ko["config"]["separator"] == en["config"]["separator"] == SEPARATOR
    assert ko["config"]["lang"] == ["ko", "en"] and en["config"]["lang"] == ["en"]


# --- the built site's indexes -----------------------------------------------------------------------


def load_index(site, lang: str) -> dict:
    path = site / ("" if lang == LANGS[0] else lang) / "search" / "search_index.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_the_built_index_holds_one_language_and_prose_only(site, lang):
    docs = load_index(site, lang)["docs"]
    others = [d["location"] for d in docs if d["location"].startswith("en/") != (lang == "en")]
    assert len(docs) > 300 and not others, others[:5]
    # the labels of the "uses names" notes, as the built pages show them
    page = (site / ("" if lang == LANGS[0] else lang) / "02-backprop" / "chain-rule" / "index.html").read_text(
        encoding="utf-8"
    )
    labels = set(re.findall(r'class="nnref-uses__names">([^<:]+):', page)) | set(
        re.findall(r'<button[^>]*class="nnref-uses__copy"[^>]*>([^<]+)</button>', page)
    )
    assert len(labels) == 2, labels
    bad = {
        "code": [d["location"] for d in docs if "<pre" in d["text"]],
        "tex": [d["location"] for d in docs if TEX.search(d["text"] + d["title"])],
        "labels": [d["location"] for d in docs if any(label in d["text"] for label in labels)],
    }
    assert bad == {"code": [], "tex": [], "labels": []}, {k: v[:5] for k, v in bad.items()}
    glossary = next(d for d in docs if d["location"] == ("" if lang == "ko" else "en/") + "glossary/")
    row = "역전파 · backpropagation · " if lang == "ko" else "backpropagation · 역전파 · "
    assert f"<p>{row}" in glossary["text"], glossary["text"][:300]


# --- in the browser -------------------------------------------------------------------------------------


def search(page, query: str) -> tuple[int, list[str], str]:
    """Type ``query`` into the empty search box; returns the result count, the first ten result
    paths and the first result's text."""
    page.fill(".md-search__input", "")  # empty the box between queries
    type_text(page, query)
    page.wait_for_function(
        "q => document.querySelector('.md-search__input').value === q"
        " && /\\d/.test(document.querySelector('.md-search-result__meta').textContent)"
        " && document.querySelector('.md-search-result__item > a')",
        arg=query,
        timeout=60000,  # the first query waits for the index to load and build, on a busy CI machine too
    )
    page.wait_for_timeout(300)  # the worker answers each key: let the last answer land
    count = int(re.search(r"\d+", page.inner_text(".md-search-result__meta"))[0])
    links = page.locator(".md-search-result__item > a")
    hrefs = [urlparse(links.nth(i).get_attribute("href")).path for i in range(min(10, links.count()))]
    return count, hrefs, page.locator(".md-search-result__item").first.inner_text()


# query -> the page the first result must be on (None: only the language is checked)
QUERIES = {
    "/": {"역전파": "/02-backprop/", "역전파를": "/02-backprop/", "과적합": None, "합성곱": "/04-cnn/", "학습률": None},
    "/en/": {
        "LSTM": "/en/05-sequences/lstm/",
        "cross entropy": "/en/03-pytorch/losses/",
        "backpropagation": "/en/02-backprop/",
    },
}

LAB_TITLES = {"역전파": "실습 2: 역전파와 자동 미분", "backpropagation": "Lab 2: Backpropagation and autodiff"}


@pytest.mark.browser
@pytest.mark.parametrize("path", QUERIES)
def test_typed_queries_find_pages_in_the_readers_language(browser, server, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + path, wait_until="networkidle")
    # the index is not fetched on page load, only when the reader reaches for search
    assert not any("search_index.json" in url for url in requests)
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    counts = {}
    for query, expected in QUERIES[path].items():
        counts[query], hrefs, first = search(page, query)
        english = [h.startswith(BASE + "/en/") for h in hrefs]
        assert all(english) if path == "/en/" else not any(english), (query, hrefs)
        if expected:
            assert hrefs[0].startswith(BASE + expected), (query, hrefs)
        assert not TEX.search(first) and "import " not in first, (query, first)
        if query in LAB_TITLES:
            # a lab is found by its title and prose; its excerpt is not the code listing
            lab = page.locator(".md-search-result__item", has=page.locator("a[href*='/labs/']")).first
            assert LAB_TITLES[query] in lab.inner_text() and "import " not in lab.inner_text(), lab.inner_text()
    if path == "/":
        # a particle after the word finds what the bare word finds
        assert counts["역전파를"] == counts["역전파"] > 20, counts
    index = [u for u in requests if "search_index.json" in u]
    assert len(index) == 1 and ("/en/search/" in index[0]) == (path == "/en/"), index
    context.close()
