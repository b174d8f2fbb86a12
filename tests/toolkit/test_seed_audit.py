"""The seed audit (docs/seed-audit.yml) against the pages: every mistake of the study notes has its
erratum box, in both languages, on the errata page; and every erratum box is a row of the audit.

The home page says the pages "recompute every value and flag each mistake in an erratum box". The
audit lists the mistakes; these tests fail when a row is malformed, when its page lacks the box
(title, section id and the seed it names, in either language), when the box does not reach the
errata page (``nnref_docs.errata.gather`` and ``render``, what ``hooks/errata.py`` runs), and when
a box on a page is in no row. Where the notes themselves are at hand (``NNREF_SEEDS``, by default
``../shared/seeds`` beside the checkout), each quote must be verbatim in its note.
"""

from __future__ import annotations

import copy
import os
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from nnref_docs.errata import Erratum, find_errata, gather, render
from nnref_docs.pairs import LANGS
from nnref_docs.paths import DOCS, ROOT

AUDIT = DOCS / "seed-audit.yml"
SEEDS_DIR = Path(os.environ.get("NNREF_SEEDS", ROOT.parent / "shared" / "seeds"))
PREFIX = {"ko": "원본 노트 오류: ", "en": "Seed erratum: "}
KINDS = {"arithmetic", "sign", "api", "code", "claim"}
ROW_KEYS = {"seed", "where", "quote", "kind", "wrong", "verified", "page", "title_ko", "title_en"}
BOX_KEYS = {"page", "title_ko", "title_en"}
REVIEWED_KEYS = {"seed", "quote", "verdict"}
SEED_ID = re.compile(r"^00[0-4]$")

AUDIT_DATA = yaml.safe_load(AUDIT.read_text(encoding="utf-8"))
ROWS = AUDIT_DATA["mistakes"]


@cache
def page_boxes(key: str, lang: str, docs: Path = DOCS) -> tuple[Erratum, ...]:
    """The erratum boxes of one language of a page (``key`` as ``02-backprop/worked-example.md``)."""
    path = docs / f"{key.removesuffix('.md')}.{lang}.md"
    return tuple(find_errata(path, docs)) if path.exists() else ()


@cache
def errata_page(lang: str, docs: Path = DOCS) -> tuple[tuple[Erratum, ...], str]:
    """What the errata page of ``lang`` is made from, and the Markdown the hook puts on it."""
    errata = gather(docs, lang)
    return tuple(errata), render(errata, lang, docs)


def boxes_of(row: dict) -> list[dict]:
    """The row's box and its ``also`` boxes, each as ``{page, title_ko, title_en}``."""
    return [{k: row.get(k) for k in BOX_KEYS}, *row.get("also", [])]


def row_problems(row: dict, docs: Path = DOCS) -> list[str]:
    """Everything wrong with one audit row; empty when the site flags the mistake as the row says."""
    if not isinstance(row, dict):
        return [f"not a mapping: {row!r}"]
    problems = []
    missing = ROW_KEYS - row.keys()
    unknown = row.keys() - ROW_KEYS - {"also"}
    if missing:
        problems.append(f"missing fields: {sorted(missing)}")
    if unknown:
        problems.append(f"unknown fields: {sorted(unknown)}")
    for key in ROW_KEYS & row.keys():
        if not isinstance(row[key], str) or not row[key].strip():
            problems.append(f"{key} must be a non-empty string (a seed id in quotes: '001')")
    if problems:
        return problems
    seed = row["seed"]
    if not SEED_ID.match(seed):
        problems.append(f"seed {seed!r} is not one of 000 to 004")
    if row["kind"] not in KINDS:
        problems.append(f"kind {row['kind']!r} is not one of {sorted(KINDS)}")
    also = row.get("also", [])
    if not isinstance(also, list) or not all(isinstance(b, dict) and b.keys() == BOX_KEYS for b in also):
        return [*problems, f"also must be a list of {{{', '.join(sorted(BOX_KEYS))}}}"]
    for box in boxes_of(row):
        problems += box_problems(box, seed, docs)
    return problems


def box_problems(box: dict, seed: str, docs: Path = DOCS) -> list[str]:
    """The box ``{page, title_ko, title_en}`` on its page in both languages, naming ``seed``, with the
    same section id in both, and on the errata page of both."""
    page = box["page"]
    if not (isinstance(page, str) and page.endswith(".md") and not page.endswith((".ko.md", ".en.md"))):
        return [f"page {page!r}: give the page key, e.g. 02-backprop/worked-example.md"]
    problems, anchors = [], {}
    for lang in LANGS:
        title = box[f"title_{lang}"]
        where = f"{page} ({lang}) box {title!r}"
        if not isinstance(title, str) or not title.startswith(PREFIX[lang]):
            problems.append(f"{where}: a {lang} title starts with {PREFIX[lang]!r}")
            continue
        if not (docs / f"{page.removesuffix('.md')}.{lang}.md").exists():
            problems.append(f"{where}: no such page")
            continue
        found = [e for e in page_boxes(page, lang, docs) if e.title == title]
        if not found:
            titles = [e.title for e in page_boxes(page, lang, docs)]
            problems.append(f"{where}: no `!!! erratum` box with this title on the page (its boxes: {titles})")
            continue
        box_found = found[0]
        anchors[lang] = box_found.anchor
        if box_found.anchor is None:
            problems.append(f"{where}: the section above the box has no explicit id ({{#...}})")
        if seed not in box_found.seeds:
            problems.append(f"{where}: the box does not name 'seed {seed}' (it names {box_found.seeds})")
        errata, rendered = errata_page(lang, docs)
        if not any(e.page == page and e.title == title for e in errata):
            problems.append(f"{where}: not collected for the errata page (nnref_docs.errata.gather)")
        elif f'!!! erratum "{title.removeprefix(PREFIX[lang])}"' not in rendered:
            problems.append(f"{where}: not on the rendered errata page")
    if len(anchors) == 2 and anchors["ko"] != anchors["en"]:
        problems.append(f"{page}: the box sits under #{anchors['ko']} in ko but #{anchors['en']} in en")
    return problems


def test_the_seed_list_has_a_file_and_a_topic_per_seed():
    """An unquoted comma in a YAML flow mapping ends the value: three topics were cut so."""
    for seed, entry in AUDIT_DATA["seeds"].items():
        assert SEED_ID.match(seed) and set(entry) == {"file", "topic"}, (seed, entry)


def test_audit_file_is_well_formed():
    assert set(AUDIT_DATA) == {"seeds", "mistakes", "reviewed"}, sorted(AUDIT_DATA)
    assert sorted(AUDIT_DATA["seeds"]) == ["000", "001", "002", "003", "004"]
    assert all(isinstance(row, dict) for row in ROWS) and ROWS
    quotes = [(row.get("seed"), " ".join(str(row.get("quote")).split())) for row in ROWS]
    duplicates = {q for q in quotes if quotes.count(q) > 1}
    assert not duplicates, f"the same quote in two rows: {duplicates}"
    for row in AUDIT_DATA["reviewed"]:
        assert REVIEWED_KEYS <= row.keys() <= REVIEWED_KEYS | {"page"}, row
        assert SEED_ID.match(str(row["seed"])), row
        if "page" in row:
            assert all((DOCS / f"{row['page'].removesuffix('.md')}.{lang}.md").exists() for lang in LANGS), row


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r.get('seed')}-{str(r.get('page', '?')).removesuffix('.md')}-{i}" for i, r in enumerate(ROWS)]
)
def test_each_mistake_has_its_erratum_box(row):
    problems = row_problems(row)
    assert not problems, "\n".join(problems)


def unlisted_boxes(rows: list[dict], lang: str, docs: Path = DOCS) -> list[str]:
    """The boxes of the errata page of ``lang`` that no row names."""
    listed = {(box["page"], box[f"title_{lang}"]) for row in rows for box in boxes_of(row)}
    errata, _ = errata_page(lang, docs)
    return [f"{e.page}:{e.line} {e.title!r}" for e in errata if (e.page, e.title) not in listed]


@pytest.mark.parametrize("lang", LANGS)
def test_every_erratum_box_is_in_the_audit(lang):
    """A new box needs its row in docs/seed-audit.yml (what it corrects, in which note)."""
    unlisted = unlisted_boxes(ROWS, lang)
    assert not unlisted, "erratum boxes with no row in docs/seed-audit.yml:\n" + "\n".join(unlisted)


def test_quotes_are_verbatim_in_the_notes():
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the study notes are not at {SEEDS_DIR} (set NNREF_SEEDS)")
    texts = {}
    for seed, meta in AUDIT_DATA["seeds"].items():
        texts[seed] = " ".join((SEEDS_DIR / meta["file"]).read_text(encoding="utf-8").split())
    absent = [
        f"seed {row['seed']}: {row['quote']!r}"
        for row in [*ROWS, *AUDIT_DATA["reviewed"]]
        if " ".join(row["quote"].split()) not in texts[row["seed"]]
    ]
    assert not absent, "quotes not found in their note:\n" + "\n".join(absent)


def test_the_check_can_fail():
    row = next(r for r in ROWS if r["page"] == "02-backprop/worked-example.md")
    assert row_problems(row) == []

    def broken(**changes):
        bad = copy.deepcopy(row)
        bad.update(changes)
        return row_problems({k: v for k, v in bad.items() if v is not None})

    assert any("no `!!! erratum` box with this title" in p for p in broken(title_en="Seed erratum: no such box"))
    assert any("no `!!! erratum` box with this title" in p for p in broken(title_ko="원본 노트 오류: 없는 상자"))
    assert any("does not name 'seed 004'" in p for p in broken(seed="004"))
    assert any("no such page" in p for p in broken(page="02-backprop/no-such-page.md"))
    assert any("missing fields" in p for p in broken(verified=None))
    assert any("is not one of 000 to 004" in p for p in broken(seed="007"))
    assert any("must be a non-empty string" in p for p in broken(seed=1))
    assert any("kind" in p for p in broken(kind="typo"))
    assert any("also must be" in p for p in broken(also=[{"page": row["page"]}]))
    wrong_also = {"page": "03-pytorch/design.md", "title_ko": row["title_ko"], "title_en": row["title_en"]}
    assert any("design.md" in p for p in broken(also=[wrong_also]))


def test_a_box_off_the_errata_page_or_unlisted_fails(tmp_path):
    """A box on a page the errata page does not collect (contributing.*) fails the row, and a box on
    a page with no row fails the completeness check."""
    docs = tmp_path / "docs"
    for lang, title in (("ko", "원본 노트 오류: 예"), ("en", "Seed erratum: example")):
        for name in ("contributing", "01-x/page"):
            path = docs / f"{name}.{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f'# T\n\n## S {{#s}}\n\n!!! erratum "{title}"\n    Seed 001 says so.\n', encoding="utf-8")
    guide = {"page": "contributing.md", "title_ko": "원본 노트 오류: 예", "title_en": "Seed erratum: example"}
    assert any("not collected for the errata page" in p for p in box_problems(guide, "001", docs))
    page = dict(guide, page="01-x/page.md")
    assert box_problems(page, "001", docs) == []
    assert unlisted_boxes([], "en", docs) == ["01-x/page.md:5 'Seed erratum: example'"]
    assert unlisted_boxes([page], "en", docs) == unlisted_boxes([page], "ko", docs) == []
