"""Math typeset at build time (nnref_docs.math); refused TeX is a warning. Not named ``math``: it
would shadow the stdlib, as MkDocs puts hooks/ on ``sys.path`` while it loads a hook."""

import logging
from pathlib import Path

from nnref_docs.math import Katex, typeset_arithmatex, typeset_markdown_cells, typeset_toc

log = logging.getLogger("mkdocs.hooks.katex")
_katex: Katex | None = None


def on_config(config):
    global _katex
    _katex = Katex(cache=Path(config.config_file_path).parent / ".cache" / "nnref")


def on_page_content(html: str, page, config, files) -> str:
    errors: list = []
    html = typeset_arithmatex(html, _katex, errors)
    if page.file.src_uri.endswith(".py"):  # a lab: its Markdown cells keep $..$
        html = typeset_markdown_cells(html, _katex, errors)
    return _report(page, errors, html)


def on_post_page(output: str, page, config) -> str:
    errors: list = []
    return _report(page, errors, typeset_toc(output, _katex, errors, dollars=page.file.src_uri.endswith(".py")))


def _report(page, errors, html: str) -> str:
    for error in errors:
        log.warning("%s: %s", page.file.src_uri, error)
    return html


def on_post_build(config) -> None:
    log.debug("math: %d formulas typeset, %d from the cache", _katex.typeset, len(_katex.used) - _katex.typeset)
    _katex.save()
