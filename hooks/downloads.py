"""Script and notebook downloads beside each page and lab (the logic: nnref_docs.downloads)."""

from pathlib import Path

from nnref_docs.downloads import lab_downloads, offer, page_downloads
from nnref_docs.pairs import page_language


def on_page_markdown(markdown: str, page, config, files) -> str:
    src, url = page.file.src_uri, (config.site_url or "").rstrip("/") + "/" + page.url
    if not src.endswith(".md"):
        return markdown
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    markdown, downloads = page_downloads(markdown, source, src, page_language(src), page.title, url)
    page.nnref_downloads = offer(Path(page.file.abs_dest_path).parent, downloads) or None
    return markdown


def on_page_context(context, page, config, nav):
    if page.file.src_uri.endswith(".py"):  # a lab (mkdocs-jupyter's NotebookFile)
        lab = Path(page.file.abs_src_path)
        page.nnref_downloads = offer(Path(page.file.abs_dest_path).parent, lab_downloads(lab, page_language(lab)))
    return context
