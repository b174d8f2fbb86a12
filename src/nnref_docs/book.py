"""The book: every page of the nav on one page per language, in nav order, to read offline and print.

``hooks/book.py`` feeds it the built pages. Each page's article is taken from the built HTML and
made to live inside one document: its ids get a prefix per page (``p-<page>--<id>``), a link to
another page of the book becomes a link to that page's section (or to the heading inside it), a
link to a page the book leaves out (labs, API reference, contributing) points at the published
site, and images point at the same files from the book's folder. The result replaces the
placeholder of ``docs/book.<lang>.md`` in the built book page. :mod:`.pdf` prints it to PDF.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from .words import WORDS

MARKER = "<!-- nnref-book -->"
PLACEHOLDER = '<div class="nnref-book" id="nnref-book"></div>'
# pages the book leaves out (the book page says why): notebooks, the API reference, the guide for
# contributors, and the book itself
LEFT_OUT = ("labs/", "reference/", "contributing.", "book.")
TEXT = WORDS["book"]  # nnref_docs.words

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
_DROP = [  # what is for the screen only: page buttons (downloads, edit), permalinks, copy buttons
    re.compile(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.S),
    re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S),
    re.compile(r'<button [^>]*class="nnref-uses__copy"[^>]*>.*?</button>', re.S),
]
_IDS = re.compile(r'(\s(?:id|for|name|aria-labelledby|aria-describedby|aria-controls)=")([^"]*)(")')
_URLS = re.compile(r'(\s(href|src)=")([^"]*)(")')
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/?>')


def pdf_name(lang: str) -> str:
    """Where the PDF of the book lies in the built site (the same folder for both languages)."""
    return f"assets/book/nnref-book.{lang}.pdf"


def is_book(markdown: str) -> bool:
    """Whether a page's Markdown is the book page's (it holds the other pages)."""
    return MARKER in markdown


def in_book(src_uri: str) -> bool:
    return not src_uri.startswith(LEFT_OUT)


def page_slug(url: str, lang: str) -> str:
    """``en/01-foundations/perceptron/`` -> ``01-foundations-perceptron``; the home page -> ``home``."""
    path = url.strip("/")
    if lang != "ko" and (path == lang or path.startswith(lang + "/")):
        path = path[len(lang) :].strip("/")
    return path.replace("/", "-") or "home"


def intro(markdown: str, lang: str, site_url: str) -> str:
    """The book page's Markdown: the marker becomes the PDF link and the placeholder of the book."""
    link = (
        f'<p class="nnref-book__download"><a href="{site_url.rstrip("/")}/{pdf_name(lang)}" download>'
        f"{TEXT[lang]['download']}</a></p>"
    )
    return markdown.replace(MARKER, f"{link}\n\n{PLACEHOLDER}\n")


@dataclass
class Page:
    url: str  # from the site's root, as MkDocs gives it: "01-foundations/perceptron/"
    title: str
    article: str
    stylesheets: list[str]  # from the site's root


@dataclass
class Book:
    """The pages of one language build, collected as they are written, and the book made of them."""

    lang: str
    site_url: str
    pages: dict[str, Page] = field(default_factory=dict)  # by url
    book_url: str | None = None
    book_dest: Path | None = None

    def add(self, src_uri: str, url: str, title: str, output: str) -> None:
        """Keep a built page of the book (``output``: its HTML); pages the book leaves out are skipped."""
        found = _ARTICLE.search(output)
        if found is None or not in_book(src_uri):
            return
        h1 = _H1.search(found[1])
        if h1:  # the page's full title (a chapter's nav title is a short one)
            title = re.sub(r'\sid="[^"]*"|</?a\b[^>]*>', "", _DROP[1].sub("", h1[1])).strip()
        sheets = [_from_root(url, href) for href in _STYLESHEET.findall(output)]
        self.pages[url] = Page(url, title, found[1], sheets)

    def slug(self, url: str) -> str:
        return page_slug(url, self.lang)

    def render(self, outline: list[tuple[Page, list[Page]]]) -> str:
        """The table of contents and the chapters; ``outline``: (chapter page, its pages) in order."""
        words = TEXT[self.lang]
        toc, body = [], []
        for head, children in outline:
            sub = "".join(f'<li><a href="#p-{self.slug(p.url)}">{p.title}</a></li>' for p in children)
            sub = f"<ol>{sub}</ol>" if sub else ""
            toc.append(f'<li><a href="#p-{self.slug(head.url)}">{head.title}</a>{sub}</li>')
            sections = [self._section(head, shift=0)] + [self._section(p, shift=1) for p in children]
            body.append(f'<div class="nnref-book__chapter">{"".join(sections)}</div>')
        contents = (
            '<nav class="nnref-book__toc" aria-labelledby="nnref-book-toc">'
            f'<h2 id="nnref-book-toc">{words["contents"]}</h2><ol>{"".join(toc)}</ol></nav>'
        )
        return f'<div class="nnref-book" id="nnref-book">{contents}{"".join(body)}</div>'

    def _section(self, page: Page, shift: int) -> str:
        slug = self.slug(page.url)
        return f'<section class="nnref-book__page" id="p-{slug}">{self.rewrite(page, shift)}</section>'

    def rewrite(self, page: Page, shift: int = 0) -> str:
        """One page's article as a part of the book (see the module's docstring)."""
        text = page.article
        for pattern in _DROP:
            text = pattern.sub("", text)
        prefix = f"p-{self.slug(page.url)}--"
        text = _IDS.sub(lambda m: m[1] + " ".join(prefix + v for v in m[2].split()) + m[3], text)
        text = _URLS.sub(lambda m: m[1] + html.escape(self._url(page, m[2], html.unescape(m[3]))) + m[4], text)
        if shift:
            text = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}", text)
        return text

    def _url(self, page: Page, attribute: str, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme or value.startswith(("//", "data:")):
            return value
        if not parsed.path:  # "#x": inside the same page
            return f"#p-{self.slug(page.url)}--{unquote(parsed.fragment)}" if parsed.fragment else value
        target = _from_root(page.url, parsed.path)
        if attribute == "href" and target in self.pages:
            slug = self.slug(target)
            return f"#p-{slug}--{unquote(parsed.fragment)}" if parsed.fragment else f"#p-{slug}"
        if attribute == "href":  # a page or file the book does not hold: the published site's
            return self.site_url.rstrip("/") + "/" + target + (f"#{parsed.fragment}" if parsed.fragment else "")
        return posixpath.relpath(target, self.book_url or ".") if target else value

    def finish(self, outline: list[tuple[Page, list[Page]]]) -> None:
        """Write the book into its built page: the placeholder becomes the book, and the page gets
        the stylesheets that the collected pages had and it lacks (KaTeX's, for example)."""
        if self.book_dest is None or not outline:
            return
        built = self.book_dest.read_text(encoding="utf-8")
        sheets = _STYLESHEET.findall(built)
        have = {_from_root(self.book_url or "", href) for href in sheets}
        wanted = [s for p, kids in outline for q in (p, *kids) for s in q.stylesheets]
        missing = [s for s in dict.fromkeys(wanted) if s not in have]
        links = "".join(f'<link rel="stylesheet" href="{posixpath.relpath(s, self.book_url or ".")}">' for s in missing)
        built = built.replace(PLACEHOLDER, self.render(outline), 1).replace("</head>", links + "</head>", 1)
        self.book_dest.write_text(built, encoding="utf-8")


def _from_root(page_url: str, href: str) -> str:
    """A link of a page resolved to a path from the site's root, without its fragment."""
    path = urlparse(urljoin("http://site/" + page_url, href)).path
    return unquote(path.lstrip("/"))


def outline(items, book: Book) -> list[tuple[Page, list[Page]]]:
    """The nav (MkDocs' ``nav.items``) as the book's chapters: a section headed by an index page is
    one chapter (its index first, then its pages), and every other page of the book is a chapter of
    its own (the home page, the glossary, the errata)."""
    chapters: list[tuple[Page, list[Page]]] = []
    for item in items:
        pages = [p for p in _pages(item) if in_book(p.file.src_uri) and p.url in book.pages]
        if not pages:
            continue
        if getattr(item, "is_section", False) and posixpath.basename(pages[0].file.src_uri).startswith("index."):
            chapters.append((book.pages[pages[0].url], [book.pages[p.url] for p in pages[1:]]))
        else:
            chapters.extend((book.pages[p.url], []) for p in pages)
    return chapters


def _pages(item):
    if getattr(item, "is_page", False):
        yield item
    for child in getattr(item, "children", None) or []:
        yield from _pages(child)
