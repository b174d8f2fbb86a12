"""The glossary table and the tooltips on every page (the logic: nnref_docs.glossary)."""

from __future__ import annotations

from pathlib import Path

from nnref_docs.glossary import MARKER, add_tooltips, load, table
from nnref_docs.pages import page_language


def _entries(config):
    return load(str(Path(config.docs_dir) / "glossary.yml"))


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, table(_entries(config), page_language(page.file.src_uri)))
    return markdown


def on_page_content(content: str, page, config, files) -> str:
    if page.file.src_uri.startswith("glossary.") or page.file.src_uri.startswith("labs/"):
        return content
    return add_tooltips(content, _entries(config), page_language(page.file.src_uri))
