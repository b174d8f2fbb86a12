"""One term for one concept: Korean pages use the glossary's spelling, not a variant of it."""

import pytest

from nnref_docs.glossary import add_tooltips, avoided_terms, load
from nnref_docs.paths import DOCS, ROOT

ENTRIES = load(str(DOCS / "glossary.yml"))


def test_entries_are_complete_and_unique():
    keys = ("ko", "en", "ko_def", "en_def", "avoid")
    for entry in ENTRIES:
        assert all(entry.get(k) for k in keys), entry
    for field in ("ko", "en"):
        values = [e[field] for e in ENTRIES]
        assert len(values) == len(set(values)), f"duplicate {field} terms"
    variants = [v for e in ENTRIES for v in e["avoid"]]
    assert not set(variants) & {e["ko"] for e in ENTRIES}, "a variant is another entry's term"


def test_a_definition_with_an_unquoted_comma_is_refused(tmp_path):
    """In YAML's flow style an unquoted comma ends the value: 15 definitions were cut short so."""
    path = tmp_path / "glossary.yml"
    path.write_text(
        "- {ko: 초기화, en: initialization, ko_def: 방법(Xavier, He 등), en_def: x, avoid: [y]}\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="초기화.*unknown fields.*quote a value that holds a comma"):
        load(str(path))
    path.write_text(
        '- {ko: 초기화, en: initialization, ko_def: "방법(Xavier, He 등)", en_def: x, avoid: [y]}\n', encoding="utf-8"
    )
    assert load(str(path))[0]["ko_def"] == "방법(Xavier, He 등)"


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.ko.md")), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_korean_page_uses_glossary_terms(path):
    found = avoided_terms(path.read_text(encoding="utf-8"), ENTRIES)
    assert not found, "\n".join(f"{path.relative_to(ROOT)}:{v.line}: '{v.found}' -> '{v.term}'" for v in found)


def test_the_check_can_fail():
    text = "그래디언트를 구합니다.\n\n```python\n# 그래디언트 in code is fine\n```\n"
    text += "<!-- 그래디언트 in a comment -->\n`그래디언트` in code, and [a link](그래디언트.md)\n"
    assert [(v.line, v.found, v.term) for v in avoided_terms(text, ENTRIES)] == [(1, "그래디언트", "기울기")]


def test_tooltips_wrap_first_use_in_text_only():
    html = "<p>역전파를 씁니다. 역전파는 또 나옵니다.</p><pre><code>역전파</code></pre><h2>기울기</h2><p>Gradients</p>"
    out = add_tooltips(html, ENTRIES, "ko")
    assert out.count("<abbr") == 1 and out.startswith('<p><abbr title="backpropagation:')
    assert "<h2>기울기</h2>" in out and "<code>역전파</code>" in out
    out_en = add_tooltips("<p>Two gradients and a gradient.</p>", ENTRIES, "en")
    assert out_en.count("<abbr") == 1 and ">gradients</abbr>" in out_en
