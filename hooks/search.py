"""Search reads headings and prose, in the reader's language (the logic: nnref_docs.search).

Material's search plugin indexes ``page.content`` in its ``on_page_context`` (priority 0). Just
before, the page is swapped for :func:`~nnref_docs.search.searchable`; just after, the reader's
page is put back. After the build (and after mkdocs-static-i18n, priority -100, has merged the
languages' entries into one index), the index is split per language.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import CombinedEvent, event_priority

from nnref_docs.search import searchable, split_index


@event_priority(100)
def _before_search(context, page, config, nav):
    page.nnref_html = page.content
    page.content = searchable(page.content)
    return context


@event_priority(-100)
def _after_search(context, page, config, nav):
    page.content = page.nnref_html
    return context


on_page_context = CombinedEvent(_before_search, _after_search)


@event_priority(-110)
def on_post_build(config) -> None:
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        split_index(Path(config.site_dir))
