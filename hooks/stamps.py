"""Each page's "verified" stamp and each lab cell's output, from the record of the test run that
verified them (nnref_docs.stamps, nnref_docs.labs); the build never runs a lab itself."""

from pathlib import Path

from nnref_docs.book import is_book
from nnref_docs.labs import lab_page
from nnref_docs.pairs import page_language
from nnref_docs.stamps import read_record, with_stamp


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    if not src.endswith(".md") or is_book(markdown):  # the book's pages carry their own stamps
        return markdown
    record = read_record(Path(config.config_file_path).parent).get(f"docs/{src}")
    return with_stamp(markdown, record, page_language(src), Path(page.file.abs_src_path).read_bytes())


def on_page_content(html: str, page, config, files) -> str:
    src, root = page.file.src_uri, Path(config.config_file_path).parent
    if not src.endswith(".py"):  # a lab (a jupytext notebook page, labs/x.<lang>.py)
        return html
    source = Path(page.file.abs_src_path).read_bytes()
    return lab_page(html, root, f"docs/{src}", source, page_language(src), read_record(root))
