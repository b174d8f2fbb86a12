"""The book (every page of the nav on one page per language) and its PDF.

The assembly (nnref_docs.book) is tested on small pages; the built book page for its ids and
sections; the PDF (nnref_docs.pdf) by printing the Korean book in headless Chromium and checking it
(CI prints and checks both languages: make book / .ci/run). Skipped without Chromium or pdftotext.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from types import SimpleNamespace

import pytest

from nnref_docs import pdf
from nnref_docs.book import PLACEHOLDER, Book, intro, outline, page_slug

SITE_URL = "https://nnref.github.io/nnref/"
PAGE = (
    '<html><head><link rel="stylesheet" href="../../assets/x.css"></head><body>'
    '<article class="md-content__inner md-typeset">'
    '<a href="p.ko.py" download class="md-content__button md-icon nnref-download">d</a>'
    '<h1 id="title">Title <span class="arithmatex">\\(x\\)</span><a class="headerlink" href="#title">&para;</a></h1>'
    '<h2 id="sec">Sec</h2><p><a href="#sec">here</a> <a href="../mlp/#deep">mlp</a> <a href="../mlp/">mlp</a> '
    '<a href="../../reference/scratch/#nnref.scratch.linear">api</a> <a href="https://example.org/">out</a></p>'
    '<input id="__tabbed_1_1" name="__tabbed_1"><label for="__tabbed_1_1">tab</label>'
    '<img src="../plot.svg" alt="plot"></article></body></html>'
)


def _book(lang="ko"):
    book = Book(lang, SITE_URL)
    prefix = "" if lang == "ko" else "en/"
    book.book_url = prefix + "book/"
    book.add("01-foundations/perceptron.md", prefix + "01-foundations/perceptron/", "Perceptron", PAGE)
    book.add("01-foundations/mlp.md", prefix + "01-foundations/mlp/", "MLP", PAGE.replace('id="sec"', 'id="deep"'))
    book.add("reference/scratch.md", prefix + "reference/scratch/", "API", PAGE)  # left out of the book
    return book


def test_a_page_joins_the_book_with_its_own_ids_and_links_inside_the_book():
    book = _book()
    assert set(book.pages) == {"01-foundations/perceptron/", "01-foundations/mlp/"}
    page = book.pages["01-foundations/perceptron/"]
    assert page.title == 'Title <span class="arithmatex">\\(x\\)</span>'  # the h1, not the nav's short title
    html = book.rewrite(page, shift=1)
    assert 'id="p-01-foundations-perceptron--sec"' in html and 'href="#p-01-foundations-perceptron--sec"' in html
    assert 'href="#p-01-foundations-mlp--deep"' in html and 'href="#p-01-foundations-mlp"' in html
    assert f'href="{SITE_URL}reference/scratch/#nnref.scratch.linear"' in html  # not in the book: the site's
    assert 'href="https://example.org/"' in html
    assert 'name="p-01-foundations-perceptron--__tabbed_1"' in html
    assert 'for="p-01-foundations-perceptron--__tabbed_1_1"' in html
    assert 'src="../01-foundations/plot.svg"' in html  # from the book's folder
    assert "<h2" in html and "<h1" not in html and "<h3" in html  # one level down inside a chapter
    assert "headerlink" not in html and "download" not in html


def test_english_pages_drop_the_language_from_their_prefix():
    assert page_slug("en/01-foundations/mlp/", "en") == "01-foundations-mlp"
    assert page_slug("en/", "en") == page_slug("", "ko") == "home"
    html = _book("en").rewrite(_book("en").pages["en/01-foundations/perceptron/"])
    assert 'href="#p-01-foundations-mlp--deep"' in html and 'src="../01-foundations/plot.svg"' in html


def test_chapters_follow_the_nav_and_the_page_gets_the_book():
    def page(src, url):
        return SimpleNamespace(is_page=True, file=SimpleNamespace(src_uri=src), url=url)

    nav = [
        SimpleNamespace(
            is_section=True,
            children=[
                page("01-foundations/index.md", "01-foundations/perceptron/"),  # stands in for the index
                page("01-foundations/mlp.md", "01-foundations/mlp/"),
                page("labs/01.py", "labs/01/"),
            ],
        ),
        SimpleNamespace(is_section=True, children=[page("reference/scratch.md", "reference/scratch/")]),
    ]
    book = _book()
    chapters = outline(nav, book)
    assert [(head.url, [p.url for p in rest]) for head, rest in chapters] == [
        ("01-foundations/perceptron/", ["01-foundations/mlp/"])
    ]
    markdown = intro("# Book\n\n<!-- nnref-book -->\n", "ko", SITE_URL)
    assert f'href="{SITE_URL}assets/book/nnref-book.ko.pdf"' in markdown and PLACEHOLDER in markdown
    rendered = book.render(chapters)
    assert '<li><a href="#p-01-foundations-mlp">Title <span' in rendered and rendered.count("nnref-book__chapter") == 1


def test_the_built_book_holds_every_page_once_with_unique_ids(site):
    for lang, path in pdf.BOOK_PATH.items():
        html = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
        sections = re.findall(r'<section class="nnref-book__page" id="p-([^"]+)">', html)
        expected = [
            pdf.built_page(site, s, lang).parent.relative_to(site).as_posix() for p in pdf.nav_pages() for s in p
        ]
        expected = [page_slug(url + "/" if url != "." else "", lang) for url in expected]
        assert sections == expected, f"{lang}: the book's pages are not the nav's, in its order"
        twice = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
        assert not twice, f"{lang}: ids used twice in the book: {twice[:5]}"
        assert PLACEHOLDER not in html and html.count("nnref-book__chapter") >= 10


# -- the PDF ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(browser, server, tmp_path_factory):
    """Prints a page of the served site to PDF: ``printed(path, name)`` -> the PDF's path."""
    if shutil.which("pdftotext") is None:
        pytest.skip("no pdftotext (bash .ci/run installs poppler-utils)")
    folder = tmp_path_factory.mktemp("book")

    def print_page(path: str, name: str, style: str = "", html: str = ""):
        out = folder / name
        if style or html:  # a page changed before printing: the broken cases
            context = browser.new_context()
            page = context.new_page()
            page.goto(server + path, wait_until="load")
            page.evaluate(
                "([style, html]) => { document.head.insertAdjacentHTML('beforeend', style);"
                " document.querySelector('article').insertAdjacentHTML('afterbegin', html); }",
                [style, html],
            )
            page.emulate_media(media="print")
            page.pdf(path=str(out), format="A4", margin={k: f"{v}mm" for k, v in pdf.MARGIN_MM.items()})
            context.close()
        else:
            pdf.print_book(browser, server + path, out)
        return out

    return print_page


# The whole book, printed and checked in both languages, is `make book` (a step of .ci/run, after the
# build): about 45 s a language on 2 cores, too long for make test's budget.


@pytest.mark.browser
def test_the_checks_fail_on_a_pdf_that_is_not_the_book(printed, site):
    """The home page alone: too few pages, chapter titles and internal links missing."""
    found = "\n".join(pdf.problems(printed("/", "home.pdf"), site, "ko"))
    for problem in ("pages, expected", "chapter title not in", "internal links", "lines of code and output"):
        assert problem in found


LONG_TEXT = " ".join(f"word{i}" for i in range(60))


@pytest.mark.browser
def test_a_long_code_line_wraps_and_is_caught_cut_without_pre_wrap(printed):
    html = f"<pre><code>{LONG_TEXT}</code></pre>"
    wrapped = printed("/", "wrapped.pdf", html=html)
    assert pdf.words_past_margin(wrapped) == [] and pdf.squash(LONG_TEXT) in pdf.squash(pdf.text(wrapped))
    # as the theme prints code without print.css: one line per line, scrolled (so clipped) in its box
    unwrapped = (
        "<style>@media print { .md-typeset pre, .md-typeset pre > code"
        " { white-space: pre !important; overflow: auto !important; } }</style>"
    )
    assert pdf.squash(LONG_TEXT) not in pdf.squash(pdf.text(printed("/", "cut.pdf", style=unwrapped, html=html)))
