"""`make check PAGE=...`: a contributor adds a page pair and makes the usual mistakes, one at a time;
each is reported as file:line, with the first differing line where there is one."""

import shutil

import pytest

from nnref_docs.check import check_pair, main, pair_key
from nnref_docs.pageserver import shared_server
from nnref_docs.paths import ROOT

KO = """# 새 페이지

기울기를 구합니다. [최적화](optimizers.md#adam)와 [합성곱](../04-cnn/convolution.md)을 보세요.

```python
import numpy as np

x = np.array([1.0, 2.0, 3.0])
print("합:", x.sum())
```

```text
합: 6.0
```
"""
EN = (
    KO.replace("# 새 페이지", "# New page")
    .replace(
        "기울기를 구합니다. [최적화](optimizers.md#adam)와 [합성곱](../04-cnn/convolution.md)을 보세요.",
        "We compute a gradient. See [optimizers](optimizers.md#adam) and [convolution](../04-cnn/convolution.md).",
    )
    .replace('"합:"', '"sum:"')
    .replace("합: 6.0", "sum: 6.0")
)


@pytest.fixture
def project(tmp_path):
    """A copy of the docs' skeleton: glossary, a page to link to, and a nav that lists the new page."""
    docs = tmp_path / "docs"
    (docs / "03-pytorch").mkdir(parents=True)
    (docs / "04-cnn").mkdir()
    shutil.copy(ROOT / "docs" / "glossary.yml", docs / "glossary.yml")
    for lang in ("ko", "en"):
        (docs / "03-pytorch" / f"optimizers.{lang}.md").write_text("# Optimizers\n\n## Adam {#adam}\n")
        (docs / "04-cnn" / f"convolution.{lang}.md").write_text("# Convolution\n")
        (docs / "03-pytorch" / f"new.{lang}.md").write_text(KO if lang == "ko" else EN, encoding="utf-8")
    mkdocs = tmp_path / "mkdocs.yml"
    mkdocs.write_text(
        "site_name: x\nnav:\n  - 파이토치:\n      - 03-pytorch/optimizers.md\n      - 03-pytorch/new.md\n"
    )
    return docs, mkdocs


def findings(project, run=False):
    docs, mkdocs = project
    found, _ = check_pair("03-pytorch/new", docs, mkdocs, run=run, server=shared_server() if run else None)
    return [str(f) for f in found]  # named from the project's root, docs/...


def edit(project, lang, old, new):
    page = project[0] / "03-pytorch" / f"new.{lang}.md"
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    "argument", ["docs/03-pytorch/new.ko.md", "03-pytorch/new.en.md", "03-pytorch/new.md", "03-pytorch/new"]
)
def test_any_name_of_the_pair_finds_it(argument):
    assert pair_key(argument) == "03-pytorch/new"


def test_a_good_pair_passes(project):
    assert findings(project) == []


def test_a_missing_language(project):
    (project[0] / "03-pytorch" / "new.en.md").unlink()
    assert findings(project) == [
        "docs/03-pytorch/new.en.md:1: missing: every page needs 03-pytorch/new.ko.md and 03-pytorch/new.en.md"
    ]


def test_code_that_differs_between_languages(project):
    """At the first differing line of the block (not its fence), both lines shown as written."""
    edit(project, "en", "x.sum()", "x.mean()")
    assert findings(project) == [
        "docs/03-pytorch/new.en.md:9: the code differs from new.ko.md:9 (beyond comments and strings):\n"
        '  ko: print("합:", x.sum())\n'
        '  en: print("sum:", x.mean())'
    ]


def test_a_line_only_one_language_has(project):
    edit(project, "en", "x = np.array", "y = 2\nx = np.array")
    assert findings(project) == [
        "docs/03-pytorch/new.en.md:8: the code differs from new.ko.md:8 (beyond comments and strings):\n"
        "  ko: x = np.array([1.0, 2.0, 3.0])\n"
        "  en: y = 2"
    ]


def test_an_avoided_glossary_spelling(project):
    edit(project, "ko", "기울기를 구합니다.", "그래디언트를 구합니다.")
    assert findings(project) == ["docs/03-pytorch/new.ko.md:3: glossary: write '기울기', not '그래디언트'"]


def test_a_broken_link_and_a_missing_anchor(project):
    edit(project, "ko", "optimizers.md#adam", "optimizers.md#sgd")
    edit(project, "en", "../04-cnn/convolution.md", "../04-cnn/convolutions.md")
    assert findings(project) == [
        "docs/03-pytorch/new.ko.md:3: prose differs from new.en.md:3: only in ko: link ../04-cnn/convolution.md, "
        "link optimizers.md#sgd; only in en: link ../04-cnn/convolutions.md, link optimizers.md#adam",
        "docs/03-pytorch/new.ko.md:3: optimizers.md#sgd: no heading #sgd in optimizers.ko.md",
        "docs/03-pytorch/new.en.md:3: ../04-cnn/convolutions.md: no file 04-cnn/convolutions.en.md",
    ]


def test_a_page_missing_from_the_nav(project):
    mkdocs = project[1]
    mkdocs.write_text(mkdocs.read_text().replace("      - 03-pytorch/new.md\n", ""))
    assert findings(project) == [
        "mkdocs.yml:4: nav: 03-pytorch/new.md is not in the nav (add it to its chapter's section, after optimizers.md)"
    ]


def test_a_page_of_a_chapter_missing_from_the_nav_points_at_the_nav(project):
    mkdocs = project[1]
    mkdocs.write_text(
        mkdocs.read_text().replace("      - 03-pytorch/new.md\n", "").replace("03-pytorch/opt", "04-cnn/x")
    )
    assert findings(project) == ["mkdocs.yml:2: nav: 03-pytorch/new.md is not in the nav (add it under its chapter)"]


def test_a_missing_image_is_named_as_written(project):
    for lang in ("ko", "en"):
        edit(project, lang, "```python", "![plot](new-plot.svg)\n\n```python")
    assert findings(project) == [
        f"docs/03-pytorch/new.{lang}.md:5: new-plot.svg: no file 03-pytorch/new-plot.svg" for lang in ("ko", "en")
    ]


FIGURE = 'import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.set_title("TITLE")\nax.plot([0, 1], [0, 1])\nfig.savefig("new-line.svg")\n'


def figure_findings(project, ko_title: str, en_title: str) -> list[str]:
    for lang, title in (("ko", ko_title), ("en", en_title)):
        edit(project, lang, "import numpy as np\n", FIGURE.replace("TITLE", title) + "import numpy as np\n")
    return [f for f in findings(project, run=True) if ".svg" in f]


@pytest.mark.slow
def test_a_figure_finding_is_at_its_savefig_line_and_says_what_fixes_it(project):
    assert figure_findings(project, "x", "x") == [
        f"docs/03-pytorch/new.{lang}.md:10: new-line.svg is made by the page but missing beside the page "
        f"(if the change is meant, run `make figures PAGE=docs/03-pytorch/new.{lang}.md`, look at the figure and "
        "commit it)"
        for lang in ("ko", "en")
    ]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Glyph")  # Matplotlib's default font has no Hangul: the mistake shown
def test_a_figure_labelled_in_two_languages_is_not_fixed_by_make_figures(project):
    found = figure_findings(project, "손실", "loss")
    assert len(found) == 2 and found[0].startswith("docs/03-pytorch/new.ko.md:10: new-line.svg is made"), found
    assert all("('손실' / 'loss')" in f and "`make figures` cannot fix that" in f for f in found), found


def test_each_page_is_parsed_once(project, monkeypatch):
    """Every check of make check gets the page parsed once (here without running the code; a run
    sends the same parsed blocks to the page server, which parses nothing)."""
    import nnref_docs.parse as parse

    parses = []
    monkeypatch.setattr(
        parse._PageParser, "parse", lambda self, real=parse._PageParser.parse: parses.append(1) or real(self)
    )
    edit(project, "en", "x.sum()", "x.mean()")  # a finding of parity, which reads the blocks too
    assert len(findings(project)) == 1 and len(parses) == 2  # one per language


def test_a_skip_without_reason_is_a_parse_error(project):
    edit(project, "ko", "```python", "<!-- skip: next -->\n```python")
    assert findings(project) == ['docs/03-pytorch/new.ko.md:5: a skip needs a reason: <!-- skip: next "why" -->']


@pytest.mark.slow
def test_a_wrong_digit_and_a_raising_block_when_the_code_runs(project, capsys):
    edit(project, "ko", "합: 6.0", "합: 7.0")
    edit(project, "en", 'print("sum:", x.sum())', 'print("sum:", x.sum())\nx.reshape(2, 2)')
    found = findings(project, run=True)
    assert found[0].startswith("docs/03-pytorch/new.en.md:10: the code differs")  # parity sees the extra line
    assert any(
        f.startswith("docs/03-pytorch/new.ko.md:5: what the code printed differs from the text block at line 12\n")
        and "-합: 7.0\n+합: 6.0" in f
        for f in found
    ), found
    assert any(
        f.startswith("docs/03-pytorch/new.en.md:5: the block raised ValueError: cannot reshape") for f in found
    ), found


def test_the_command_prints_a_summary_and_fails(project, capsys, monkeypatch):
    import nnref_docs.check as check

    monkeypatch.setattr(check, "DOCS", project[0])
    monkeypatch.setattr(check, "MKDOCS_YML", project[1])
    edit(project, "ko", "기울기를 구합니다.", "그래디언트를 구합니다.")
    assert main(["03-pytorch/new", "--no-run"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("docs/03-pytorch/new (")
    assert "  glossary  1 variants\n" in out and "  nav       listed\n" in out
    assert out.rstrip().endswith("docs/03-pytorch/new.ko.md:3: glossary: write '기울기', not '그래디언트'")


@pytest.mark.slow
def test_an_output_that_changes_with_the_thread_count_fails_make_check(project, thread_fragile):
    """A float32 sum of 10^6 numbers printed to 7 decimals: what this machine prints at one thread
    passes make test, but at 3 threads the sum is split otherwise and its last digits move.
    make check runs the English page that way (nnref_docs.portable.CHECK_THREADS), so it fails there."""
    docs, mkdocs = project
    thread_fragile([docs / "03-pytorch" / f"new.{lang}.md" for lang in ("ko", "en")])
    found, summary = check_pair("03-pytorch/new", docs, mkdocs, run=True)  # servers of its own, as make check
    text = [str(f) for f in found]
    assert len(text) == 1 and text[0].startswith("docs/03-pytorch/new.en.md:3: what the code printed differs"), text
    assert "run       ko 1 ran; en 1 ran (3 threads, portable kernels) FAILED" in summary
