"""Site-wide checks over docs/: every page in both languages, the same code in both, no python
fence that the harness does not run, every link to an existing page and heading, every page in
the nav. ``make check PAGE=...`` (nnref_docs.check) runs the same checks on one page pair."""

import re
from pathlib import Path

import pytest

from nnref_docs.labs import code_cells
from nnref_docs.links import link_problems
from nnref_docs.pairs import (
    comparable,
    first_difference,
    mask_code,
    nav_pages,
    page_pairs,
    parity_problems,
)
from nnref_docs.parse import Page
from nnref_docs.paths import DOCS, MKDOCS_YML, ROOT

PAIRS = page_pairs(DOCS)
LAB_PAIRS = page_pairs(DOCS, ext="py")

# Deliberately broad and independent of the parser: any fence whose info string starts like python.
PYTHON_LIKE_FENCE = re.compile(
    r"^[ \t>]*(`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(python|py|pycon|ipython|python3|py3)\b", re.IGNORECASE
)


def test_there_are_pages():
    assert len(PAIRS) >= 3


@pytest.mark.parametrize("key", sorted(PAIRS))
def test_page_exists_in_both_languages(key):
    assert set(PAIRS[key]) == {"ko", "en"}, f"docs/{key}: found {sorted(PAIRS[key])}, need ko and en"


@pytest.mark.parametrize("key", sorted(LAB_PAIRS))
def test_lab_exists_in_both_languages(key):
    assert set(LAB_PAIRS[key]) == {"ko", "en"}, f"docs/{key}: found {sorted(LAB_PAIRS[key])}"
    assert key.startswith("labs/"), f"docs/{key}.py: python files under docs/ belong in docs/labs/"


@pytest.mark.parametrize("key", sorted(k for k, v in PAIRS.items() if set(v) == {"ko", "en"}))
def test_both_languages_run_the_same_code(key):
    report(parity_problems(Page.load(PAIRS[key]["ko"], ROOT), Page.load(PAIRS[key]["en"], ROOT)))


def report(problems) -> None:
    """Fail with every finding as file:line, whole (an assert message would be cut short)."""
    if problems:
        pytest.fail("\n".join(map(str, problems)), pytrace=False)


@pytest.mark.parametrize(
    "path", sorted(p for v in PAIRS.values() for p in v.values()), ids=lambda p: p.relative_to(DOCS).as_posix()
)
def test_links_point_at_pages_and_headings_that_exist(path):
    report(link_problems(Page.load(path, ROOT), DOCS))


def test_every_page_and_lab_is_in_the_nav():
    listed = nav_pages(MKDOCS_YML)
    missing = [f"docs/{key}.md" for key in PAIRS if f"{key}.md" not in listed]
    missing += [f"docs/{key}.py" for key in LAB_PAIRS if f"{key}.py" not in listed]
    assert not missing, "not in mkdocs.yml's nav: " + ", ".join(missing)


def lab_code_cells(path: Path) -> list[str]:
    return [mask_code(source) for source in code_cells(path)]


@pytest.mark.parametrize("key", sorted(k for k, v in LAB_PAIRS.items() if set(v) == {"ko", "en"}))
def test_both_languages_of_a_lab_run_the_same_code(key):
    ko, en = (lab_code_cells(LAB_PAIRS[key][lang]) for lang in ("ko", "en"))
    assert len(ko) == len(en), f"docs/{key}: {len(ko)} code cells in ko, {len(en)} in en"
    for number, (a, b) in enumerate(zip(ko, en, strict=True), start=1):
        assert a == b, f"docs/{key}: code cell {number} differs between ko and en: {first_difference(a, b)}"


def test_different_lab_code_is_caught(tmp_path):
    (tmp_path / "lab.ko.py").write_text('# %%\nprint("하나", 1)\n')
    (tmp_path / "lab.en.py").write_text('# %%\nprint("one", 2)\n')
    ko, en = lab_code_cells(tmp_path / "lab.ko.py"), lab_code_cells(tmp_path / "lab.en.py")
    assert ko != en and "1" in first_difference(ko[0], en[0])


def _python_like_fences(text: str) -> set[int]:
    lines, inside = set(), None
    for number, line in enumerate(text.splitlines(), start=1):
        fence = re.match(r"^[ \t>]*(`{3,}|~{3,})(.*)$", line)
        if inside is not None:
            if fence and fence[1][0] == inside[0] and len(fence[1]) >= len(inside) and not fence[2].strip():
                inside = None
            continue
        if fence:
            inside = fence[1]
            if PYTHON_LIKE_FENCE.match(line):
                lines.add(number)
    return lines


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.md")), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_python_fence_is_collected(path):
    text = path.read_text(encoding="utf-8")
    collected = {b.line for b in Page(path, ROOT, text).blocks if b.kind != "hidden"}
    missed = sorted(_python_like_fences(text) - collected)
    assert not missed, "python fences the harness would not run: " + ", ".join(
        f"{path.relative_to(ROOT).as_posix()}:{n}" for n in missed
    )


def test_mask_code_ignores_comments_and_strings_only():
    assert mask_code('print("안녕")  # 인사\n') == mask_code("print('hello')  # greet\n")
    assert mask_code('print(f"값 {x:.2f}")\n') == mask_code('print(f"value {x:.2f}")\n')
    assert mask_code("x = 1\n") != mask_code("x = 2\n")
    assert mask_code("print(a)\n") != mask_code("print(b)\n")


def test_a_lone_korean_page_is_caught(tmp_path):
    (tmp_path / "ch").mkdir()
    (tmp_path / "ch" / "page.ko.md").write_text("# 쪽\n")
    (tmp_path / "ch" / "both.ko.md").write_text("# 둘\n")
    (tmp_path / "ch" / "both.en.md").write_text("# Both\n")
    pairs = page_pairs(tmp_path)
    assert pairs["ch/page"].keys() == {"ko"}
    assert pairs["ch/both"].keys() == {"ko", "en"}


def test_different_code_is_caught(tmp_path):
    (tmp_path / "a.ko.md").write_text('```python\nprint("하나", 1)\n```\n')
    (tmp_path / "a.en.md").write_text('```python\nprint("one", 2)\n```\n')
    [ko], [en] = Page.load(tmp_path / "a.ko.md", tmp_path).blocks, Page.load(tmp_path / "a.en.md", tmp_path).blocks
    assert comparable(ko) != comparable(en)


def test_the_broad_fence_scan_sees_what_a_parser_might_miss():
    text = "```Python\nx\n```\n\n```{ .py }\ny\n```\n\n````markdown\n```python\nz\n```\n````\n"
    assert _python_like_fences(text) == {1, 5}
