"""The book page of each language (docs/book.<lang>.md): every page of the nav on one page, in order.

A thin adapter: the pages are collected as they are written and the book is put into its page
once all of them are (the logic: nnref_docs.book; the PDF: nnref_docs.pdf, ``make book``).
mkdocs-static-i18n builds each language as a build of its own, so each build has its own book.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

from nnref_docs.book import MARKER, Book, intro, outline
from nnref_docs.pages import page_language

_state: dict = {}


def on_pre_build(config) -> None:
    _state.clear()


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    return intro(markdown, page_language(page.file.src_uri), config.site_url or "")


def on_page_context(context, page, config, nav):
    _state["nav"] = nav
    return context


@event_priority(-50)  # after the other hooks' on_post_page, whatever their order in mkdocs.yml
def on_post_page(output: str, page, config) -> str:
    lang = page_language(page.file.src_uri)
    book = _state.setdefault("book", Book(lang, config.site_url or ""))
    if page.file.src_uri.startswith("book."):
        book.book_url, book.book_dest = page.url, Path(page.file.abs_dest_path)
    else:
        book.add(page.file.src_uri, page.url, page.title, output)
    return output


def on_post_build(config) -> None:
    book, nav = _state.get("book"), _state.get("nav")
    if book is not None and nav is not None:
        book.finish(outline(nav.items, book))
