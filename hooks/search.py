"""Search reads headings and prose, in the reader's language (the logic: nnref_docs.search)."""

from pathlib import Path

from mkdocs.plugins import CombinedEvent, event_priority

from nnref_docs.search import searchable, split_index


@event_priority(100)  # Material's search indexes page.content in its on_page_context (priority 0)
def _before_search(context, page, config, nav):
    page.nnref_html = page.content
    page.content = searchable(page.content)
    return context


@event_priority(-100)  # the reader's page back
def _after_search(context, page, config, nav):
    page.content = page.nnref_html
    return context


on_page_context = CombinedEvent(_before_search, _after_search)


@event_priority(-110)  # after mkdocs-static-i18n (-100) merged the languages' entries into one index
def on_post_build(config) -> None:
    if (Path(config.site_dir) / "search" / "search_index.json").exists():
        split_index(Path(config.site_dir))
