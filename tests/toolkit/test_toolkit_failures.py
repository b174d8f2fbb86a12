"""The harness must fail, and say where: each failure mode on a fixture page, through real pytest.

All fixture pages in tests/fixtures/pages are copied into one throw-away project under docs/ and
run by one pytest session (pytester, in this process, so the pages run on this process's page
server), exactly as `make test` runs the real pages; each test then reads its page's part of the
report. One run keeps this file fast, and shows that a failing page does not disturb its
neighbours (each page runs in a fresh process, nnref_docs.pageserver).
"""

import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "fixtures" / "pages"


_REPORT: list[str] = []  # the one run's report, shared by the tests of this file


@pytest.fixture
def report(pytester: pytest.Pytester) -> str:
    if not _REPORT:
        docs = pytester.path / "docs"
        docs.mkdir()
        for page in sorted(FIXTURES.glob("*.md")):
            shutil.copy(page, docs / page.name)
        pytester.makeconftest(
            "from pathlib import Path\n"
            "from nnref_docs.sybil_plugin import make_sybil\n"
            "pytest_collect_file = make_sybil(Path(__file__).parent).pytest()\n"
        )
        pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -rs\n")
        result = pytester.runpytest_inprocess("docs", "-p", "no:hypothesispytest")
        assert result.ret == 1, result.stdout.str() + result.stderr.str()
        _REPORT.append(result.stdout.str())
    return _REPORT[0]


def section(report: str, page: str) -> str:
    """The lines of the report that belong to one fixture page's failures."""
    blocks = report.split("\n_____")
    return "\n".join(b for b in blocks if f"docs/{page}" in b)


def summary(report: str, page: str) -> str:
    """'.', 'F', 's' per example of one page, from pytest's progress line."""
    for line in report.splitlines():
        if line.startswith(f"docs/{page} "):
            return line.split()[1]
    raise AssertionError(f"{page} not in the report")


def test_wrong_output_is_reported_with_a_diff(report):
    text = section(report, "wrong_output.md")
    assert "docs/wrong_output.md:3: what the code printed differs from the text block at line 8" in text
    assert "\n-7\n+6" in text
    assert summary(report, "wrong_output.md") == "F"


def test_raising_block_is_reported_at_its_line(report):
    text = section(report, "raises.md")
    assert "docs/raises.md:10: the block raised ZeroDivisionError: division by zero" in text
    assert "docs/raises.md:11: halve(4)" in text  # the reader's line, not the harness's
    assert "docs/raises.md:5: return x / 0" in text
    assert "nnref_docs" not in text
    assert summary(report, "raises.md") == ".F"


def test_failing_doctest_is_reported(report):
    text = section(report, "failing_doctest.md")
    assert "docs/failing_doctest.md:3: 1 doctest example(s) failed" in text
    assert 'File "docs/failing_doctest.md", line 6' in text
    assert "[1, 2, 1, 2]" in text


def test_fences_with_attributes_are_run_not_skipped(report):
    text = section(report, "attributes.md")
    # the five unusual fences ran (they fill `seen`), then the last block failed on purpose
    assert "['title', 'py', 'braces', 'indented', 'python3']" in text
    assert "docs/attributes.md:27: the block raised AssertionError" in text
    assert summary(report, "attributes.md") == ".....F"


def test_skip_needs_a_reason(report):
    assert "docs/skip_without_reason.md:3: a skip needs a reason" in report
    assert summary(report, "skip_without_reason.md") == "F"


def test_skip_with_reason_is_counted(report):
    assert summary(report, "skip_with_reason.md") == "s."
    assert "docs/skip_with_reason.md:4: needs a network connection" in report


def test_orphan_text_block_fails(report):
    assert "docs/orphan_text.md:5: a ```text block is output the harness checks" in report
    assert summary(report, "orphan_text.md") == "F"


def test_a_good_page_passes_next_to_failing_ones(report):
    # seeded randomness, hidden setup and a doctest; no names leak in from the failing pages
    assert summary(report, "passing.md") == "..."


def test_numbers_that_differ_by_noise_pass_and_real_changes_fail(report):
    assert summary(report, "noisy_numbers.md") == ".FFFF"
    text = section(report, "noisy_numbers.md")
    assert "-val success rate 1.000\n+val success rate 0.992" in text
    assert "-valid loss 0.1255\n+train loss 0.1255" in text
    assert " epoch 1\n-epoch 2" in text
    assert "-parameters: 100\n+parameters: 101" in text
    assert "gelu" not in text  # the noisy line is not reported


def test_output_directives(report):
    # tolerance 5 lets 3 units pass; exact refuses the one unit the default would forgive;
    # a tolerance without a reason is refused where it is written
    assert summary(report, "output_directives.md") == ".F"
    assert "-0.0041\n+-0.0040\n(numbers compared exactly" in section(report, "output_directives.md")
    assert summary(report, "directive_without_reason.md") == "F"
    assert "docs/directive_without_reason.md:3: write <!-- output: exact --> or" in report


def test_each_page_starts_from_a_clean_process(report):
    # leaks_a sets a default dtype, print options and a module attribute; leaks_b runs after it
    assert summary(report, "leaks_a.md") == "."
    assert summary(report, "leaks_b.md") == "."


def test_a_page_that_ends_its_process_fails_there_and_after(report):
    assert summary(report, "exits.md") == ".FF"
    text = section(report, "exits.md")
    assert "docs/exits.md:7: the page's process ended with exit status 3" in text
    assert "docs/exits.md:12: the page's process is gone: an earlier block ended it" in text


def test_a_page_that_reads_stdin_gets_nothing_and_goes_on(report):
    # stdin is not the harness's channel to the page's process: input() meets the end of the input
    assert summary(report, "reads_stdin.md") == "F."
    assert "docs/reads_stdin.md:3: the block raised EOFError" in section(report, "reads_stdin.md")


def test_a_warning_in_a_pages_process_reaches_the_summary(report):
    assert summary(report, "warns.md") == "."
    assert "DeprecationWarning: this API is going away" in report.split("warnings summary", 1)[1]


def test_totals(report):
    assert report.rstrip().splitlines()[-1].startswith("=") and "15 failed, 17 passed, 1 skipped" in report
