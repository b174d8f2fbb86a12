"""The "verified" stamp's words: counts read right in English, and the book page (which holds the
other pages, each with its own stamp) gets none."""

from nnref_docs.book import MARKER, is_book
from nnref_docs.stamps import digest, stamp, with_stamp

SOURCE = b"# Page\n"
VERSIONS = {"nnref": "0.1.0", "torch": "2.13.0", "numpy": "2.4.6", "python": "3.11.7"}


def entry(passed: int, failed: int = 0) -> dict:
    return {
        "passed": passed,
        "failed": failed,
        "skipped": 0,
        "time": "2026-12-07 00:26 UTC",
        "versions": VERSIONS,
        "source": digest(SOURCE),
    }


def test_english_counts_are_singular_for_one():
    assert "(1 block) was run and passed" in stamp(entry(1), "en", True, SOURCE)[1]
    assert "(3 blocks) was run and passed" in stamp(entry(3), "en", True, SOURCE)[1]
    assert "(1 failure)" in stamp(entry(2, failed=1), "en", True, SOURCE)[1]
    assert "(12 cells) was run top to bottom" in stamp(entry(12), "en", True, SOURCE, lab=True)[1]
    assert "코드 블록 3개는" in stamp(entry(3), "ko", True, SOURCE)[1]


def test_a_failed_lab_says_why_its_cells_show_no_output():
    kind, words = stamp(entry(10, failed=2), "en", True, SOURCE, lab=True)
    assert kind == "failure" and "(2 failures), so its cells show no output" in words
    assert "셀의 출력을 보여 주지 않습니다" in stamp(entry(10, failed=2), "ko", True, SOURCE, lab=True)[1]


def test_the_book_page_is_told_apart_and_other_pages_get_a_stamp():
    assert is_book(f"# Book\n\nIntro.\n\n{MARKER}\n") and not is_book("# Page\n")
    page = "# Page\n\n```python\nprint(1)\n```\n"
    assert 'class="nnref-stamp nnref-stamp--success"' in with_stamp(page, entry(1), "en", SOURCE)
