"""Links into the API reference and its torch-mirror table (the logic: nnref_docs.apiref)."""

from pathlib import Path

from nnref_docs.apiref import drop_signature_ids, page_markdown, reset_autorefs
from nnref_docs.pairs import page_language


def on_pre_build(config) -> None:
    if "autorefs" in config.plugins:
        reset_autorefs(config.plugins["autorefs"])


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    if not src.endswith(".md"):
        return markdown
    return page_markdown(markdown, src, page_language(src), Path(config.docs_dir))


def on_page_content(html: str, page, config, files) -> str:
    return drop_signature_ids(html)
