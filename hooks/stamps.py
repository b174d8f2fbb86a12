"""Stamp each page with when, and with which versions, its code was last verified; under each cell
of a lab, show what it printed in that run.

The record is written by the test run that executed the pages and labs (``nnref_docs.stamps``); CI
runs the tests before the build. The build reads it and never runs a lab itself: the outputs shown
are those of the run the stamp speaks of (``nnref_docs.labs.lab_page``). The toolkit's parser
decides what counts as code: one parser for tests and build.
"""

from __future__ import annotations

from pathlib import Path

from nnref_docs.labs import lab_page
from nnref_docs.pages import page_language
from nnref_docs.parse import ParseError, parse_page
from nnref_docs.stamps import read_record, stamp


def _root(config) -> Path:
    return Path(config.config_file_path).parent


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    if not src.endswith(".md"):
        return markdown
    lang = page_language(src)
    try:
        has_code = bool(parse_page(markdown))
    except ParseError:  # the tests report it with its line; the stamp must not break the build
        has_code = True
    source = Path(page.file.abs_src_path).read_bytes()
    kind, text = stamp(read_record(_root(config)).get(f"docs/{src}"), lang, has_code, source)
    return markdown + f'\n\n<div class="nnref-stamp nnref-stamp--{kind}" markdown>\n{text}\n</div>\n'


def on_page_content(html: str, page, config, files) -> str:
    """A lab (a jupytext notebook page, ``labs/x.<lang>.py``): its outputs and its stamp."""
    src = page.file.src_uri
    if not src.endswith(".py"):
        return html
    root = _root(config)
    source = Path(page.file.abs_src_path).read_bytes()
    return lab_page(html, root, f"docs/{src}", source, page_language(src), read_record(root))
