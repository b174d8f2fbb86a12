"""Unit tests of the page parser: what counts as a block, and what is refused."""

import pytest

from nnref_docs.parse import ParseError, fence_language, parse_page


def test_python_block_with_output():
    page = "# T\n\n```python\nprint(1)\n```\n\n```text\n1\n```\n"
    [block] = parse_page(page)
    assert block.kind == "code"
    assert block.line == 3 and block.source_line == 4
    assert block.source == "print(1)\n"
    assert block.expected == "1\n" and block.expected_line == 7
    assert page[block.start : block.end].endswith("```text\n1\n```\n")


@pytest.mark.parametrize(
    ("info", "lang"),
    [
        ("python", "python"),
        ('python title="a.py"', "python"),
        ("py", "py"),
        ("{.python .copy}", "python"),
        ("{ .py }", "py"),
        ("pycon", "pycon"),
        ("Python", "python"),
        ("", ""),
    ],
)
def test_fence_language(info, lang):
    assert fence_language(info) == lang


def test_every_python_spelling_is_collected():
    page = "\n".join(
        [
            '```python title="x.py"',
            "a = 1",
            "```",
            "```py",
            "b = 2",
            "```",
            "```python3",
            "c = 3",
            "```",
            "```{.python}",
            "d = 4",
            "```",
            "~~~python",
            "e = 5",
            "~~~",
        ]
    )
    blocks = parse_page(page)
    assert [b.source.strip() for b in blocks] == ["a = 1", "b = 2", "c = 3", "d = 4", "e = 5"]


def test_doctest_by_language_or_prompt():
    page = "```pycon\n>>> 1 + 1\n2\n```\n\n```python\n>>> 2 * 2\n4\n```\n"
    assert [b.kind for b in parse_page(page)] == ["doctest", "doctest"]


def test_indented_blocks_are_dedented():
    page = '!!! note "n"\n\n    ```python\n    if True:\n        x = 1\n    ```\n\n    ```text\n    ok\n    ```\n'
    [block] = parse_page(page)
    assert block.source == "if True:\n    x = 1\n"
    assert block.expected == "ok\n"


def test_nested_fence_is_not_run():
    page = "````markdown\n```python\nraise SystemExit\n```\n````\n"
    assert parse_page(page) == []


def test_hidden_block_and_skip():
    page = (
        "<!-- invisible-code-block: python\nx = 1\n-->\n\n"
        '<!-- skip: next "needs a GPU" -->\n```python\nimport cuda_only\n```\n'
    )
    hidden, skipped = parse_page(page)
    assert hidden.kind == "hidden" and hidden.source == "x = 1\n" and hidden.skip_reason is None
    assert skipped.skip_reason == "needs a GPU"


@pytest.mark.parametrize(
    ("page", "line", "words"),
    [
        ("text\n\n```text\norphan\n```\n", 3, "must follow a python block"),
        ("```python\nx = 1\n```\nprose\n```text\n1\n```\n", 5, "must follow a python block"),
        ("<!-- skip: next -->\n```python\nx = 1\n```\n", 1, "needs a reason"),
        ('<!-- skip: next "why" -->\n\nno block follows\n', 1, "applies to no python block"),
        ("<!-- invisible-code-block: python\nx = 1\n", 1, "never closed"),
        ("<!-- invisible-code: python\nx = 1\n-->\n", 1, "unknown harness directive"),
        ("```python\nx = 1\n", 1, "never closed"),
    ],
)
def test_refusals_name_the_line(page, line, words):
    with pytest.raises(ParseError) as info:
        parse_page(page)
    assert info.value.line == line
    assert words in info.value.message


def test_text_after_doctest_is_refused():
    with pytest.raises(ParseError):
        parse_page("```pycon\n>>> 1\n1\n```\n\n```text\n1\n```\n")


def test_other_languages_are_ignored():
    page = "```bash\nmake test\n```\n\n```mermaid\ngraph LR\n```\n\n```console\n$ x\n```\n"
    assert parse_page(page) == []


def test_a_page_is_parsed_once_and_its_blocks_know_it(tmp_path, monkeypatch):
    """A Page reads its file once and parses it the first time its blocks are asked for; each
    block points back at the page, whose findings are named from its root."""
    import nnref_docs.parse as parse

    path = tmp_path / "docs" / "ch" / "page.en.md"
    path.parent.mkdir(parents=True)
    path.write_text("# x\n\n```python\nx = 1\n```\n\n```python\nprint(x)\n```\n", encoding="utf-8")
    parses = []
    monkeypatch.setattr(
        parse._PageParser, "parse", lambda self, real=parse._PageParser.parse: parses.append(1) or real(self)
    )
    page = parse.Page.load(path, tmp_path)
    assert (page.key, page.lang, parses) == ("ch/page", "en", [])
    assert page.blocks is page.blocks and len(parses) == 1
    assert [b.page for b in page.blocks] == [page, page]
    assert str(page.blocks[1].page.finding(page.blocks[1].line, "wrong")) == "docs/ch/page.en.md:7: wrong"
    assert "page" not in page.blocks[0].as_dict()  # what the page server sends its child


def test_a_finding_is_worded_file_line_message():
    from nnref_docs.findings import Finding
    from nnref_docs.paths import ROOT

    assert str(Finding("docs/a.ko.md", 3, "what is wrong")) == "docs/a.ko.md:3: what is wrong"
    assert Finding.at(ROOT / "docs" / "a.ko.md", 3, "x") == Finding("docs/a.ko.md", 3, "x")
    assert Finding.at("/elsewhere/a.md", 1, "x").file == "/elsewhere/a.md"  # outside the root: as given
