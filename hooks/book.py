"""The book page of each language: every nav page on one page (nnref_docs.book; PDF: nnref_docs.pdf)."""

from pathlib import Path

from mkdocs.plugins import event_priority

from nnref_docs.book import MARKER, Book, intro, outline
from nnref_docs.pairs import page_language

_state: dict = {}  # per language build (mkdocs-static-i18n builds each language on its own)


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
    book = _state.setdefault("book", Book(page_language(page.file.src_uri), config.site_url or ""))
    if page.file.src_uri.startswith("book."):
        book.book_url, book.book_dest = page.url, Path(page.file.abs_dest_path)
    else:
        book.add(page.file.src_uri, page.url, page.title, output)
    return output


def on_post_build(config) -> None:
    if _state.get("book") is not None and _state.get("nav") is not None:
        _state["book"].finish(outline(_state["nav"].items, _state["book"]))
