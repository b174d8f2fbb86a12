"""The glossary table and the tooltips on every page (the logic: nnref_docs.glossary)."""

from pathlib import Path

from nnref_docs.glossary import MARKER, add_tooltips, load, table
from nnref_docs.pairs import page_language


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    entries = load(str(Path(config.docs_dir) / "glossary.yml"))
    return markdown.replace(MARKER, table(entries, page_language(page.file.src_uri)))


def on_page_content(content: str, page, config, files) -> str:
    if page.file.src_uri.startswith(("glossary.", "labs/")):
        return content
    return add_tooltips(content, load(str(Path(config.docs_dir) / "glossary.yml")), page_language(page.file.src_uri))
