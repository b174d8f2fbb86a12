"""What the site says about its own tests must stay true.

The home page, the README, the chapter indexes and the contributor guide tell readers that the code
blocks run as tests. A block skipped with ``<!-- skip: next "reason" -->`` is the exception, so:

- a page that says "every code block ... runs" or "no block goes unrun" may only say so of a scope
  with no skipped block;
- a page that gives the number of blocks not run must give the number the harness's own parser
  counts, and link to every page that holds one (that is where the reader finds the reason);
- the skip label (nnref_docs.skiplabel, run by hooks/skip_label.py) shows each skipped block's reason above it.
"""

import re
from pathlib import Path

import pytest

from nnref_docs.fences import text_lines
from nnref_docs.parse import parse_page
from nnref_docs.paths import ROOT
from nnref_docs.skiplabel import label_skips

DOCS = ROOT / "docs"

# "N blocks are not run": the number a page states
COUNT = {
    "ko": re.compile(r"실행하지 않는 (?:코드 )?블록은 (?:전체에서 |이 장에서 )?(\d+)개"),
    "en": re.compile(r"\b(\d+) (?:code )?blocks? (?:is|are) not run\b"),
}
# "every code block runs": true only where nothing is skipped (a sentence about running, not, say, licensing)
ALL = {
    "ko": re.compile(
        r"모든 (?:페이지의 )?(?:모든 )?(?:(?:코드 |파이썬 )?블록|코드(?: 예제)?)(?:은|는|이|가|도) [^.\n]*?(?:실행|테스트)"
    ),
    "en": re.compile(
        r"\bevery (?:code (?:block|example)|python block|block)s?\b[^.]*?\b(?:runs?|run by|tested)\b", re.IGNORECASE
    ),
}
# the same claim put the other way round: "no block goes unrun"
NONE = {
    "ko": re.compile(r"실행되지 않(?:고 지나가)?는 (?:코드 |파이썬 )?블록(?:은|이|도) (?:하나도 )?없"),
    "en": re.compile(
        r"\bno (?:code |python )?blocks? (?:goes|go|is|are|stays?|remains?) (?:unrun|not run|skipped)\b", re.IGNORECASE
    ),
}


def prose(text: str) -> str:
    """The page without its fenced blocks and HTML comments (an example of a skip is not a claim).

    Fences are found by the harness's own scanner, so a line that starts with inline code such as
    ```` ```pycon ```` stays prose instead of opening a "fence" that hides the rest of the page."""
    return re.sub(r"<!--.*?-->", "", "\n".join(line.text for line in text_lines(text)), flags=re.S)


def skipped_blocks(pages) -> list[tuple[Path, int, str]]:
    found = []
    for path in pages:
        for block in parse_page(path.read_text(encoding="utf-8")):
            if block.skip_reason is not None:
                found.append((path, block.line, block.skip_reason))
    return found


def claim_problems(text: str, lang: str, skipped: list[tuple[Path, int, str]], here: Path) -> list[str]:
    """What is false in ``text`` (a page of language ``lang`` in folder ``here``) about ``skipped``."""
    text = prose(text)
    problems = []
    for match in COUNT[lang].finditer(text):
        if int(match[1]) != len(skipped):
            problems.append(f"says {match[0]!r}, but the harness skips {len(skipped)} block(s)")
    if COUNT[lang].search(text):
        for path, _, _ in skipped:
            target = re.sub(r"\.(ko|en)\.md$", ".md", Path(path).relative_to(here).as_posix())
            if f"]({target}" not in text:
                problems.append(f"gives the count but does not link to {target}, where a block is skipped")
    if skipped:
        for pattern in (ALL[lang], NONE[lang]):
            for match in pattern.finditer(text):
                problems.append(f"says {match[0].strip()!r}, but {len(skipped)} block(s) are skipped")
    return problems


def language_pages(lang: str, folder: Path = DOCS):
    return sorted(folder.rglob(f"*.{lang}.md"))


# the contributor guide speaks of the whole site, as the home page does
CLAIM_PAGES = (
    [DOCS / f"index.{lang}.md" for lang in ("ko", "en")]
    + [DOCS / f"contributing.{lang}.md" for lang in ("ko", "en")]
    + sorted(DOCS.glob("*/index.*.md"))
)


@pytest.mark.parametrize("page", CLAIM_PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_what_an_index_page_says_about_skipped_blocks_is_true(page):
    lang = page.name.split(".")[-2]
    scope = page.parent
    skipped = skipped_blocks(language_pages(lang, scope))
    problems = claim_problems(page.read_text(encoding="utf-8"), lang, skipped, scope)
    assert not problems, f"{page.relative_to(ROOT)}: " + "; ".join(problems)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_home_page_gives_the_count(lang):
    text = prose((DOCS / f"index.{lang}.md").read_text(encoding="utf-8"))
    assert COUNT[lang].search(text), f"docs/index.{lang}.md does not say how many blocks are not run"


def test_both_languages_skip_the_same_blocks():
    pages = {
        lang: [
            p.relative_to(DOCS).as_posix().removesuffix(f".{lang}.md")
            for p, _, _ in skipped_blocks(language_pages(lang))
        ]
        for lang in ("ko", "en")
    }
    assert pages["ko"] == pages["en"], pages


def test_the_readme_tells_the_truth():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for lang in ("ko", "en"):
        skipped = skipped_blocks(language_pages(lang))
        problems = [p for p in claim_problems(text, lang, skipped, DOCS) if "does not link" not in p]
        assert not problems, "README.md: " + "; ".join(problems)


def test_the_claim_check_can_fail(tmp_path):
    page = tmp_path / "ch" / "p.en.md"
    page.parent.mkdir()
    page.write_text('<!-- skip: next "needs the network" -->\n```python\nx = 1\n```\n')
    skipped = skipped_blocks([page])
    assert len(skipped) == 1 and skipped[0][2] == "needs the network"
    assert claim_problems("Every code block in this chapter runs as a test.", "en", skipped, tmp_path)
    assert claim_problems("In this chapter 2 blocks are not run.", "en", skipped, tmp_path)
    assert claim_problems("In this chapter 1 block is not run.", "en", skipped, tmp_path)  # no link to ch/p.md
    assert not claim_problems("In this chapter 1 block is not run: [this one](ch/p.md).", "en", skipped, tmp_path)
    assert claim_problems("이 장의 모든 코드 블록은 테스트로 실행됩니다.", "ko", skipped, tmp_path)
    assert claim_problems("실행하지 않는 블록은 전체에서 3개입니다. [여기](ch/p.md)", "ko", skipped, tmp_path)
    assert not claim_problems("실행하지 않는 블록은 전체에서 1개입니다. [여기](ch/p.md)", "ko", skipped, tmp_path)
    assert not claim_problems("Every code block in this chapter runs as a test.", "en", [], tmp_path)
    assert not claim_problems("Code, including every code block on the pages, is MIT.", "en", skipped, tmp_path)
    example = '````markdown\n<!-- skip: next "x" -->\nEvery code block runs.\n````\n'
    assert not claim_problems(example, "en", skipped, tmp_path), "text inside a fence is an example, not a claim"
    inline = "- Blocks such as\n  ```` ```pycon ```` run. No Python block goes unrun.\n"
    assert claim_problems(inline, "en", skipped, tmp_path), "a line that starts with inline code is prose"


def one_skipped_block(tmp_path, lang):
    """A site with one page holding one skipped block: what the skip claims are checked against."""
    page = tmp_path / "ch" / f"p.{lang}.md"
    page.parent.mkdir()
    page.write_text('<!-- skip: next "needs the network" -->\n```python\nx = 1\n```\n')
    return skipped_blocks([page])


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [  # what the contributor guide once said while docs/04-cnn/vgg16 held a skipped block
        ("en", "| `run` | every block runs in page order and prints what its output block shows |"),
        ("en", "No Python block goes unrun: if the harness does not collect one, that alone fails the tests."),
        ("ko", "| `run` | 모든 블록이 페이지 순서대로 실행되고, 출력 블록과 같은 것을 출력한다 |"),
        ("ko", "실행되지 않고 지나가는 파이썬 블록은 없습니다. 어떤 파이썬 블록이 하네스에 잡히지 않으면"),
        ("en", "Every Python block on the site is run by the tests."),
        ("ko", "모든 코드 블록은 테스트로 실행됩니다."),
        ("ko", "실행되지 않는 블록은 하나도 없습니다."),
    ],
)
def test_the_guides_old_wordings_are_caught(tmp_path, lang, sentence):
    skipped = one_skipped_block(tmp_path, lang)
    assert claim_problems(sentence, lang, skipped, tmp_path), sentence
    assert not claim_problems(sentence, lang, [], tmp_path), "true where nothing is skipped"


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [  # how the guide says it now: the skip is named, and "not left out silently" is not "all run"
        ("en", "| `run` | the blocks run in page order, except a block skipped with a reason |"),
        ("en", "No Python block is passed over silently: if the harness does not collect one, the tests fail."),
        ("ko", "| `run` | 블록은 페이지 순서대로 실행된다(이유를 적어 건너뛴 블록만 예외) |"),
        ("ko", "파이썬 블록이 조용히 빠지는 일은 없습니다."),
    ],
)
def test_the_guides_wordings_pass(tmp_path, lang, sentence):
    assert not claim_problems(sentence, lang, one_skipped_block(tmp_path, lang), tmp_path), sentence


def test_the_label_goes_above_each_skipped_block_only():
    page = (
        "Intro.\n"
        '<!-- skip: next "needs the network" -->\n'
        "```python\nimport urllib\n```\n\n"
        "```python\nprint(1)\n```\n\n"
        "!!! note\n"
        '    <!-- skip: next "slow" -->\n'
        "    ```python\n    x = 1\n    ```\n"
        "````markdown\n"
        '<!-- skip: next "an example in a fence" -->\n'
        "```python\ny = 2\n```\n"
        "````\n"
    )
    out = label_skips(page, "ko")
    assert out.count("nnref-skip") == 2
    assert 'Intro.\n\n!!! warning nnref-skip "이 블록은 실행하지 않습니다: needs the network"\n\n<!-- skip:' in out
    assert '    !!! warning nnref-skip "이 블록은 실행하지 않습니다: slow"\n\n    <!-- skip: next "slow" -->' in out
    assert "an example in a fence" not in out.split("````markdown")[0]
    assert [b.skip_reason for b in parse_page(out)] == [b.skip_reason for b in parse_page(page)]
    assert label_skips(page, "en").count("Not run here: ") == 2
    assert label_skips("```python\nx\n```\n", "en") == "```python\nx\n```\n"
