"""The contributor guide's Markdown examples are real: each runs through the harness and does
what the guide says (the good ones pass, the wrong one fails with the report the guide shows)."""

import re
import unittest
from pathlib import Path

import pytest

from nnref_docs.parse import parse_page
from nnref_docs.paths import ROOT
from nnref_docs.run import PageRun

GUIDES = {lang: ROOT / "docs" / f"contributing.{lang}.md" for lang in ("ko", "en")}
EXAMPLE = re.compile(r'^````markdown title="(?P<title>[^"]+)"\n(?P<body>.*?)^````$', re.S | re.M)
CONSOLE = re.compile(r"^```console\n(?P<body>.*?)^```$", re.S | re.M)
WRONG = {"틀린 예.md", "wrong-output.md"}
SKIPPED = {"건너뛰기.md", "skip.md"}


def run_example(tmp_path: Path, lang: str, body: str) -> list[str]:
    """Run one example page as docs/example.<lang>.md; return a note per block: ok/skip/message."""
    page = tmp_path / "docs" / f"example.{lang}.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")
    run = PageRun(page, tmp_path)
    run.setup({})
    notes = []
    try:
        for block in parse_page(body):
            try:
                notes.append(run.run_block(block) or "ok")
            except unittest.SkipTest as skip:
                notes.append(f"skip: {skip}")
    finally:
        run.teardown({})
    return notes


@pytest.mark.parametrize("lang", GUIDES)
def test_guide_examples_behave_as_described(tmp_path, lang):
    text = GUIDES[lang].read_text(encoding="utf-8")
    examples = {m["title"]: m["body"] for m in EXAMPLE.finditer(text)}
    assert len(examples) == 5, sorted(examples)
    for title, body in examples.items():
        notes = run_example(tmp_path / title.replace(" ", "_"), lang, body)
        if title in WRONG:
            [failure] = notes
            shown = CONSOLE.findall(text)
            report = next(s for s in shown if "differs" in s)
            assert failure.strip() == report.strip(), f"{title}: the guide shows another report"
        elif title in SKIPPED:
            assert [n.split(":")[0] for n in notes] == ["skip"], (title, notes)
        else:
            assert notes and all(n == "ok" for n in notes), (title, notes)
