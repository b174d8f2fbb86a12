"""Every ``url(...)`` in the CSS the site ships names a file the site ships.

A stylesheet that points at a file nobody shipped costs a reader nothing while a fallback in the
same rule loads, but a crawler or an older browser asks for it and gets a 404: the vendored KaTeX
CSS named 40 ``.woff``/``.ttf`` fonts beside the ``.woff2`` ones it ships (the CSS's first comment
says how it was trimmed). Checked in the sources (in a second) and in the built site, which adds
the theme's own stylesheets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nnref_docs.paths import DOCS

COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")


def urls(css: str) -> list[str]:
    """The targets of the ``url(...)`` of a stylesheet, comments left out."""
    return [next(g for g in m.groups() if g is not None) for m in URL.finditer(COMMENT.sub("", css))]


def missing(css_file: Path, root: Path) -> list[str]:
    """The targets of ``css_file`` that are not files under ``root``, each as ``file: target``."""
    found = []
    for target in urls(css_file.read_text(encoding="utf-8")):
        if target.startswith(("data:", "#")):
            continue
        where = f"{css_file.relative_to(root).as_posix()}: url({target})"
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.IGNORECASE):
            found.append(f"{where} is on another host (the site ships everything it loads)")
            continue
        path = target.split("#", 1)[0].split("?", 1)[0]
        local = (root / path.lstrip("/")) if path.startswith("/") else (css_file.parent / path)
        if not local.resolve().is_file():
            found.append(f"{where} is not shipped")
    return found


def test_urls_are_read_from_every_form_and_comments_are_left_out():
    css = """/* url(comment.woff) */ a{src:url(a.woff2) format("woff2"),url("b c.ttf"),url( 'd.svg' )}
    b{background:url(data:image/svg+xml;charset=utf-8,<svg/>)}"""
    assert urls(css) == ["a.woff2", "b c.ttf", "d.svg", "data:image/svg+xml;charset=utf-8,<svg/>"]


def test_a_missing_or_foreign_target_is_named(tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "k.woff2").write_bytes(b"")
    css = tmp_path / "k.css"
    css.write_text(
        "@font-face{src:url(fonts/k.woff2) format('woff2'),url(fonts/k.woff) format('woff')}"
        "a{background:url(https://cdn.example/x.png)}",
        encoding="utf-8",
    )
    assert missing(css, tmp_path) == [
        "k.css: url(fonts/k.woff) is not shipped",
        "k.css: url(https://cdn.example/x.png) is on another host (the site ships everything it loads)",
    ]


def test_every_url_in_the_docs_stylesheets_is_shipped():
    sheets = sorted(DOCS.rglob("*.css"))
    assert any(sheet.name == "katex.min.css" for sheet in sheets)
    found = [problem for sheet in sheets for problem in missing(sheet, DOCS)]
    assert not found, "\n".join(found)


@pytest.mark.slow
def test_every_url_in_the_built_sites_stylesheets_is_shipped(site):
    sheets = sorted(site.rglob("*.css"))
    assert len(sheets) > 3  # the theme's, ours and KaTeX's
    found = [problem for sheet in sheets for problem in missing(sheet, site)]
    assert not found, "\n".join(found)
