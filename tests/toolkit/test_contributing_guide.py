"""The contributor guide's Markdown examples are real: each runs through the harness and does
what the guide says (the good ones pass, the wrong one fails with the report the guide shows)."""

import re
from pathlib import Path

import pytest

from nnref_docs.pageserver import shared_server
from nnref_docs.parse import Page
from nnref_docs.paths import ROOT

GUIDES = {lang: ROOT / "docs" / f"contributing.{lang}.md" for lang in ("ko", "en")}
EXAMPLE = re.compile(r'^````markdown title="(?P<title>[^"]+)"\n(?P<body>.*?)^````$', re.S | re.M)
CONSOLE = re.compile(r"^```console\n(?P<body>.*?)^```$", re.S | re.M)
WRONG = {"틀린 예.md", "wrong-output.md"}
SKIPPED = {"건너뛰기.md", "skip.md"}


def run_example(tmp_path: Path, lang: str, body: str) -> tuple[list[str], int, int]:
    """Run one example page as docs/example.<lang>.md, as make test and make check run a page
    (:meth:`~nnref_docs.pageserver.PageServer.run_page`); its findings as text, blocks run and skipped."""
    page = tmp_path / "docs" / f"example.{lang}.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(body, encoding="utf-8")
    found, ran, skipped = shared_server().run_page(page, tmp_path, Page.load(page, tmp_path).blocks)
    return [str(f) for f in found], ran, skipped


@pytest.mark.parametrize("lang", GUIDES)
def test_guide_examples_behave_as_described(tmp_path, lang):
    text = GUIDES[lang].read_text(encoding="utf-8")
    examples = {m["title"]: m["body"] for m in EXAMPLE.finditer(text)}
    assert len(examples) == 5, sorted(examples)
    for title, body in examples.items():
        found, ran, skipped = run_example(tmp_path / title.replace(" ", "_"), lang, body)
        if title in WRONG:
            [failure] = found
            shown = CONSOLE.findall(text)
            report = next(s for s in shown if "differs" in s)
            assert failure.strip() == report.strip(), f"{title}: the guide shows another report"
        elif title in SKIPPED:
            assert (found, ran, skipped) == ([], 0, 1), (title, found, ran, skipped)
        else:
            assert not found and ran and not skipped, (title, found, ran, skipped)
