"""Stamp each page with when, and with which versions, its code was last verified.

The record is written by the test run that executed the pages (``nnref_docs.stamps``); CI runs the
tests before the build. The toolkit's parser decides what counts as code: one parser for tests and
build.
"""

from __future__ import annotations

import json
from pathlib import Path

from nnref_docs.pages import page_language
from nnref_docs.parse import ParseError, parse_page
from nnref_docs.paths import RECORD
from nnref_docs.stamps import stamp


def _record(config) -> dict:
    path = Path(config.config_file_path).parent / RECORD
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("pages", {})


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    if not src.endswith(".md"):
        return markdown
    lang = page_language(src)
    try:
        has_code = bool(parse_page(markdown))
    except ParseError:  # the tests report it with its line; the stamp must not break the build
        has_code = True
    kind, text = stamp(_record(config).get(f"docs/{src}"), lang, has_code)
    return markdown + f'\n\n<div class="nnref-stamp nnref-stamp--{kind}" markdown>\n{text}\n</div>\n'
