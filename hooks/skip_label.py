"""A warning box above each code block the tests skip (the logic: nnref_docs.skiplabel)."""

from nnref_docs.pairs import page_language
from nnref_docs.skiplabel import label_skips


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    return label_skips(markdown, page_language(src)) if src.endswith(".md") else markdown
