"""Typeset every formula when the site is built (nnref_docs.math), so pages arrive with their math
and nothing moves once they show. TeX that KaTeX refuses is a warning naming the page and the TeX,
which fails the strict build. Registered after the hooks that read TeX and before search and the
book, which see the typeset math inside its ``arithmatex`` wrapper. (Named ``katex``, not ``math``:
MkDocs puts hooks/ on ``sys.path`` while it loads a hook, and ``math`` would shadow the stdlib.)
"""

from __future__ import annotations

import logging
from pathlib import Path

from nnref_docs.math import Katex, typeset_arithmatex, typeset_markdown_cells, typeset_toc

log = logging.getLogger("mkdocs.hooks.katex")
_katex: Katex | None = None


def _report(page, errors) -> None:
    for error in errors:
        log.warning("%s: %s", page.file.src_uri, error)


def on_config(config):
    global _katex
    _katex = Katex(cache=Path(config.config_file_path).parent / ".cache" / "nnref")


def on_page_content(html: str, page, config, files) -> str:
    errors: list = []
    html = typeset_arithmatex(html, _katex, errors)
    if page.file.src_uri.endswith(".py"):  # a lab: its Markdown cells keep $..$
        html = typeset_markdown_cells(html, _katex, errors)
    _report(page, errors)
    return html


def on_post_page(output: str, page, config) -> str:
    errors: list = []
    output = typeset_toc(output, _katex, errors, dollars=page.file.src_uri.endswith(".py"))
    _report(page, errors)
    return output


def on_post_build(config) -> None:
    log.debug("math: %d formulas typeset, %d from the cache", _katex.typeset, len(_katex.used) - _katex.typeset)
    _katex.save()
