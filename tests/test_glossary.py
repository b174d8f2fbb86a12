"""One term for one concept: Korean pages use the glossary's spelling, not a variant of it."""

import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ENTRIES = yaml.safe_load((DOCS / "glossary.yml").read_text(encoding="utf-8"))
sys.path.insert(0, str(ROOT / "hooks"))
import glossary  # noqa: E402  (the hook that draws the tooltips)


def prose_lines(text: str):
    """(line number, text) of running text: no fences, inline code, comments, math or link targets."""
    inside, comment = None, False
    for number, line in enumerate(text.splitlines(), start=1):
        fence = re.match(r"^[ \t]*(`{3,}|~{3,})", line)
        if inside:
            if fence and fence[1][0] == inside[0] and len(fence[1]) >= len(inside):
                inside = None
            continue
        if fence:
            inside = fence[1]
            continue
        if "<!--" in line:
            comment = "-->" not in line.split("<!--", 1)[1]
            line = line.split("<!--", 1)[0]
        elif comment:
            comment = "-->" not in line
            continue
        line = re.sub(r"`[^`]*`", "", line)
        line = re.sub(r"\$[^$]*\$", "", line)
        line = re.sub(r"\]\([^)]*\)", "]", line)
        yield number, line


def test_entries_are_complete_and_unique():
    keys = ("ko", "en", "ko_def", "en_def", "avoid")
    for entry in ENTRIES:
        assert all(entry.get(k) for k in keys), entry
    for field in ("ko", "en"):
        values = [e[field] for e in ENTRIES]
        assert len(values) == len(set(values)), f"duplicate {field} terms"
    variants = [v for e in ENTRIES for v in e["avoid"]]
    assert not set(variants) & {e["ko"] for e in ENTRIES}, "a variant is another entry's term"


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.ko.md")), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_korean_page_uses_glossary_terms(path):
    problems = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for entry in ENTRIES:
            for variant in entry["avoid"]:
                if variant in line:
                    problems.append(f"{path.relative_to(ROOT)}:{number}: '{variant}' -> '{entry['ko']}'")
    assert not problems, "\n".join(problems)


def test_the_check_can_fail():
    text = "그래디언트를 구합니다.\n\n```python\n# 그래디언트 in code is fine\n```\n"
    found = [(n, v) for n, line in prose_lines(text) for e in ENTRIES for v in e["avoid"] if v in line]
    assert found == [(1, "그래디언트")]


def test_tooltips_wrap_first_use_in_text_only():
    html = "<p>역전파를 씁니다. 역전파는 또 나옵니다.</p><pre><code>역전파</code></pre><h2>기울기</h2><p>Gradients</p>"
    out = glossary.add_tooltips(html, ENTRIES, "ko")
    assert out.count("<abbr") == 1 and out.startswith('<p><abbr title="backpropagation:')
    assert "<h2>기울기</h2>" in out and "<code>역전파</code>" in out
    out_en = glossary.add_tooltips("<p>Two gradients and a gradient.</p>", ENTRIES, "en")
    assert out_en.count("<abbr") == 1 and ">gradients</abbr>" in out_en
