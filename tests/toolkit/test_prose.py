"""Prose checked like code (nnref_docs.prose): numbers in running text are printed or set by the
page's code or carry a source; both languages carry the same numbers, links and code names; no
English sentence is left in Korean prose. Site-wide, and on the mistakes a contributor makes."""

import pytest

from nnref_docs.pairs import page_pairs
from nnref_docs.parse import Page
from nnref_docs.paths import ROOT
from nnref_docs.prose import number_problems, parity_problems, untranslated

PAIRS = page_pairs(ROOT / "docs")

PAGE = """# Memory

The activations of one batch take 64,000 bytes, and the loss falls to 0.8213 after training.

```python
print(f"{64_000:,} bytes, loss {0.82131:.4f}")
```

```text
64,000 bytes, loss 0.8213
```
"""


def problems(text, tmp_path):
    page = tmp_path / "page.en.md"
    page.write_text(text, encoding="utf-8")
    return [p.message for p in number_problems(Page.load(page, tmp_path))]


def test_numbers_the_page_prints_pass(tmp_path):
    assert problems(PAGE, tmp_path) == []
    assert problems(PAGE.replace("to 0.8213", "to 0.82"), tmp_path) == []  # the prose may round


def test_a_count_the_output_does_not_print_fails(tmp_path):
    [found] = problems(PAGE.replace("take 64,000 bytes", "take 32,000 bytes"), tmp_path)
    assert found.startswith("prose: 32,000 is not printed or set by this page's code")


def test_a_measurement_claimed_with_nothing_behind_it_fails(tmp_path):
    text = PAGE + "\nAs measured above, the sigmoid saturates once the logit reaches 17.\n"
    [found] = problems(text, tmp_path)
    assert found.startswith("prose: 17 is not printed")


def test_a_source_makes_a_number_citable(tmp_path):
    text = PAGE + "\nThe sigmoid saturates once the logit reaches 17 ([losses](losses.md#saturation)).\n"
    assert problems(text, tmp_path) == []
    assert problems(PAGE + "\nThe paper reports 92.7% (Goyal et al., 2017).\n", tmp_path) == []


def test_math_code_and_small_counts_are_not_prose_numbers(tmp_path):
    text = PAGE + "\nWith $\\eta = 0.37$ and `lr=0.37`, 3 layers of 4 units each.\n"
    assert problems(text, tmp_path) == []


def test_korean_particles_after_a_number_are_read(tmp_path):
    text = PAGE + "\n손실은 0.91로 떨어집니다.\n"
    assert [m.split(" is ")[0] for m in problems(text, tmp_path)] == ["prose: 0.91"]


def _pair(tmp_path, ko, en):
    (tmp_path / "p.ko.md").write_text(ko, encoding="utf-8")
    (tmp_path / "p.en.md").write_text(en, encoding="utf-8")
    ko, en = Page.load(tmp_path / "p.ko.md", tmp_path), Page.load(tmp_path / "p.en.md", tmp_path)
    return [p.message for p in parity_problems(ko, en)]


def test_the_languages_must_carry_the_same_numbers_links_and_names(tmp_path):
    ko = "# 가\n\n손실은 0.82이고 [손실](losses.md)과 `zero_grad()`를 봅니다.\n"
    en = "# A\n\nThe loss is 0.82; see [losses](losses.md) and `zero_grad()`.\n"
    assert _pair(tmp_path, ko, en) == []
    [found] = _pair(tmp_path, ko.replace("0.82", "0.28"), en)
    assert "only in ko: number 0.28; only in en: number 0.82" in found
    [found] = _pair(tmp_path, ko, en.replace("losses.md", "optimizers.md"))
    assert "only in ko: link losses.md; only in en: link optimizers.md" in found


def test_an_english_sentence_left_in_korean_prose_is_reported(tmp_path):
    page = tmp_path / "p.ko.md"
    page.write_text("# 가\n\n기울기를 구합니다. Then we update the weights with the gradient.\n", encoding="utf-8")
    [found] = untranslated(Page.load(page, tmp_path))
    assert found.line == 3 and "Then we update the weights with the gradient" in found.message
    page.write_text("# 가\n\n역전파(backpropagation through time, BPTT)를 씁니다.\n", encoding="utf-8")
    assert untranslated(Page.load(page, tmp_path)) == []  # an English term in parentheses is the style


@pytest.mark.parametrize("key", sorted(k for k, p in PAIRS.items() if set(p) == {"ko", "en"}))
def test_the_site_prose(key):
    ko, en = Page.load(PAIRS[key]["ko"], ROOT), Page.load(PAIRS[key]["en"], ROOT)
    found = number_problems(ko) + number_problems(en) + parity_problems(ko, en) + untranslated(ko)
    assert not found, "\n".join(map(str, found))
