"""Build the errata page from the erratum boxes on the pages (the logic: nnref_docs.errata)."""

from pathlib import Path

from nnref_docs.errata import MARKER, gather, render
from nnref_docs.pairs import page_language


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    lang, docs = page_language(page.file.src_uri), Path(config.docs_dir)
    return markdown.replace(MARKER, render(gather(docs, lang), lang, docs))
