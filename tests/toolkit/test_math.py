"""Math typeset at build time (nnref_docs.math, hooks/katex.py): what replaces the TeX, what is left
alone, the cache, and a KaTeX parse error failing the strict build with the page and the TeX."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nnref_docs.math import Katex, typeset_arithmatex, typeset_markdown_cells, typeset_toc
from nnref_docs.paths import ROOT


@pytest.fixture(scope="module")
def katex():
    return Katex()


def test_arithmatex_keeps_its_wrapper_and_gets_html_and_mathml(katex):
    html = (
        '<p>a <span class="arithmatex">\\(x &lt; y_1\\)</span> b</p>\n'
        '<div class="arithmatex" data-search-exclude>\\[\n\\frac{a}{b}\n\\]</div>'
    )
    errors = []
    out = typeset_arithmatex(html, katex, errors)
    assert errors == []
    assert out.startswith('<p>a <span class="arithmatex"><span class="katex">')
    assert '<div class="arithmatex" data-search-exclude><span class="katex-display">' in out
    assert out.count("<math") == 2 and "<mo>&lt;</mo>" in out  # MathML for screen readers, TeX unescaped
    assert "\\(" not in out and "\\[" not in out
    assert typeset_arithmatex(out, katex, errors) == out  # typeset once


def test_a_parse_error_is_reported_with_the_tex_and_left_in_place(katex):
    html = '<span class="arithmatex">\\(\\frac{a\\)</span>'
    errors = []
    assert typeset_arithmatex(html, katex, errors) == html
    [error] = errors
    assert error.tex == "\\frac{a" and "expected '}'" in error.message


def test_notebook_markdown_math_outside_code(katex):
    html = (
        '<div class="jp-Cell"><div class="jp-RenderedMarkdown jp-MarkdownOutput"><p>loss $C = (y - o)^2$,'
        " <code>cost = $5</code></p><div><p>$$a^2$$</p></div></div></div><p>after $x$</p>"
    )
    errors = []
    out = typeset_markdown_cells(html, katex, errors)
    assert errors == []
    assert "$C" not in out and out.count('class="katex"') == 2 and 'class="katex-display"' in out
    assert "<code>cost = $5</code>" in out and out.endswith("<p>after $x$</p>")  # code, outside a cell


def test_toc_labels(katex):
    html = '<a href="#a" class="md-nav__link"><span class="md-ellipsis">Choosing \\(h\\)</span></a><a class="md-nav__link">$5</a>'
    out = typeset_toc(html, katex, [])
    assert out.startswith('<a href="#a" class="md-nav__link"><span class="md-ellipsis">Choosing <span class="katex">')
    assert out.endswith('<a class="md-nav__link">$5</a>')  # dollars only on lab pages


def test_cache_makes_a_rebuild_skip_katex(tmp_path):
    first = Katex(cache=tmp_path)
    html = first("e^{i\\pi}", False)
    first.save()
    again = Katex(cache=tmp_path)
    assert again("e^{i\\pi}", False) == html and again.typeset == 0 and again._render is None


def test_a_katex_error_fails_the_strict_build_naming_page_and_tex(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nFine: $x^2$. Broken: $\\frac{1}{$.\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nmarkdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'katex.py'}\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "index.md: KaTeX cannot typeset '\\\\frac{1}{'" in run.stderr, run.stderr
