"""A lab's page shows what its cells printed in the recorded test run, and the "verified" stamp of
that run, as pages do; without a current, passing run it shows no output and says it is not verified.

One small site (the real mkdocs.yml, hooks and theme) is built for these tests, with four copies of
a real lab and a record made the way the test run makes it (nnref_docs.labs.run_lab and
nnref_docs.stamps.Recorder):

- ``a``: run now; its page must show each cell's output under it, and its stamp.
- ``b``: passed once, then failed: no output (not even the first run's), a failure stamp.
- ``c``: run, then edited: the record is for an older source, so no output and "not verified".
- ``d``: the record was reset, the outputs of an earlier run were left: no output, "not verified".

and a home page recorded in both languages, the English one edited since.
"""

import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from nnref_docs.labs import code_cells, run_lab, with_outputs
from nnref_docs.pairs import LANGS
from nnref_docs.paths import DOCS, MKDOCS_YML, ROOT
from nnref_docs.sitebuild import build
from nnref_docs.stamps import RECORD, TEXT, Recorder, outputs_path, read_record, stamp

LAB = DOCS / "labs" / "01-foundations.{lang}.py"
HOME = "# {title}\n\n```python\nprint(6 * 7)\n```\n\n```text\n42\n```\n"


def _passing_block(page: str) -> SimpleNamespace:
    """A report as pytest hands the recorder one for a page's block that passed."""
    return SimpleNamespace(nodeid=f"{page}::line:3,column:1", when="call", outcome="passed", user_properties=[])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The project folder, its site built under ``site/``."""
    project = tmp_path_factory.mktemp("lab-outputs")
    docs = project / "docs"
    (docs / "labs").mkdir(parents=True)
    os.symlink(DOCS / "glossary.yml", docs / "glossary.yml")
    os.symlink(DOCS / "assets", docs / "assets")
    for name in ("hooks", "overrides", "src"):
        os.symlink(ROOT / name, project / name)
    for lang, title in zip(LANGS, ("홈", "Home"), strict=True):
        (docs / f"index.{lang}.md").write_text(HOME.format(title=title), encoding="utf-8")
        for name in "abcd":
            shutil.copyfile(str(LAB).format(lang=lang), docs / "labs" / f"{name}.{lang}.py")

    recorder = Recorder(project)
    runs = {lang: run_lab(docs / "labs" / f"a.{lang}.py", project) for lang in LANGS}
    for lang, run in runs.items():
        assert not run.found, run.found
        recorder.add(_passing_block(f"docs/index.{lang}.md"))
        for name in "abcd":  # the same source: one run stands for the four copies
            recorder.add_lab({**run.record(), "lab": f"docs/labs/{name}.{lang}.py"})
    recorder.write()
    record = project / RECORD
    kept = json.loads(record.read_text(encoding="utf-8"))
    for lang in LANGS:  # d: the record is reset, its outputs of the earlier run are left
        del kept["pages"][f"docs/labs/d.{lang}.py"]
        assert outputs_path(project, f"docs/labs/d.{lang}.py").exists()
    record.write_text(json.dumps(kept), encoding="utf-8")
    failing = Recorder(project)
    for lang in LANGS:  # b: a later run fails
        failed = {**runs[lang].record(), "lab": f"docs/labs/b.{lang}.py", "failed": 1}
        failing.add_lab(failed, passed=False)
    failing.write()
    for path in [*(docs / "labs").glob("c.*.py"), docs / "index.en.md"]:  # edited after the run
        path.write_text(path.read_text(encoding="utf-8") + "\n# %%\nprint('edited')\n", encoding="utf-8")

    config = project / "mkdocs.yml"
    nav = "".join(f"  - labs/{name}.py\n" for name in "abcd")
    config.write_text(f"INHERIT: {MKDOCS_YML}\ndocs_dir: docs\nnav:\n  - index.md\n{nav}", encoding="utf-8")
    result = build(config, project / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return project


def page(project: Path, name: str, lang: str) -> str:
    prefix = project / "site" / ("en" if lang == "en" else "")
    path = prefix / "index.html" if name == "index" else prefix / "labs" / name / "index.html"
    return path.read_text(encoding="utf-8")


class Cells(HTMLParser):
    """A built lab page read back: each code cell's code, and the output blocks shown in the cell;
    and the stamps (class, text)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self.stamps: list[list[str]] = []
        self._divs: list[str] = []
        self._text: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            classes = dict(attrs).get("class") or ""
            if "jp-CodeCell" in classes and not any("jp-CodeCell" in c for c in self._divs):
                self.cells.append({"code": None, "outputs": []})
            if "nnref-stamp" in classes.split():
                self.stamps.append([classes, ""])
            self._divs.append(classes)
        elif tag == "pre":
            self._text = []

    def handle_endtag(self, tag):
        if tag == "div":
            self._divs.pop()
        elif tag == "pre" and self._text is not None:
            text, self._text = "".join(self._text), None
            if any("jp-CodeCell" in c for c in self._divs):
                if any("nnref-lab-output" in c for c in self._divs):
                    self.cells[-1]["outputs"].append(text)
                else:
                    self.cells[-1]["code"] = text

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)
        if any("nnref-stamp" in c for c in self._divs):
            self.stamps[-1][1] += data


def shown(project: Path, name: str, lang: str) -> Cells:
    return Cells(page(project, name, lang))


@pytest.mark.parametrize("lang", LANGS)
def test_each_cell_shows_what_it_printed_in_the_recorded_run(built, lang):
    lab = f"docs/labs/a.{lang}.py"
    printed = json.loads(outputs_path(built, lab).read_text(encoding="utf-8"))["printed"]
    assert sum(bool(text) for text in printed) >= 3, "the lab should print something in several cells"
    expected = [
        (code.strip(), [text.rstrip("\n")] if text else [])
        for code, text in zip(code_cells(built / lab), printed, strict=True)
    ]
    got = [(cell["code"].strip(), cell["outputs"]) for cell in shown(built, "a", lang).cells]
    assert got == expected


@pytest.mark.parametrize("lang", LANGS)
def test_the_lab_carries_the_stamp_of_its_run(built, lang):
    lab = f"docs/labs/a.{lang}.py"
    entry = read_record(built)[lab]
    [(classes, text)] = shown(built, "a", lang).stamps
    assert "nnref-stamp--success" in classes
    assert entry["time"] in text and f"{entry['versions']['torch']}" in text
    assert str(entry["passed"]) in text and entry["passed"] == len(code_cells(built / lab))
    _, words = stamp(entry, lang, True, (built / lab).read_bytes(), lab=True)
    assert " ".join(text.split()) == " ".join((words + TEXT[lang]["lab_outputs"]).split())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [("b", "failure", "lab_failed"), ("c", "warning", "lab_changed"), ("d", "warning", "lab_none")],
    ids=["failed-after-a-pass", "changed-since-its-run", "record-reset"],
)
def test_no_output_without_a_current_passing_run(built, name, kind, words, lang):
    cells = shown(built, name, lang)
    assert len(cells.cells) >= 17 and all(cell["code"] for cell in cells.cells)
    assert not [cell["outputs"] for cell in cells.cells if cell["outputs"]]
    [(classes, text)] = cells.stamps
    assert f"nnref-stamp--{kind}" in classes
    head = TEXT[lang][words].split("{")[0].split("(")[0]
    assert head.strip() in text, text
    assert TEXT[lang]["lab_outputs"].strip() not in text


def test_a_page_changed_since_its_run_is_not_stamped_verified(built):
    [(ko_classes, _)] = shown(built, "index", "ko").stamps
    [(en_classes, en_text)] = shown(built, "index", "en").stamps
    assert "nnref-stamp--success" in ko_classes
    assert "nnref-stamp--warning" in en_classes and "changed after its code was verified" in en_text


@pytest.mark.parametrize("lang", LANGS)
def test_the_lab_download_is_a_clean_notebook(built, lang):
    """Even with outputs on the page, the .ipynb a reader downloads has none: it is the exercise to
    run (the page shows the outputs to read)."""
    notebook = json.loads(
        (built / "site" / ("en" if lang == "en" else "") / "labs" / "a" / f"a.{lang}.ipynb").read_text()
    )
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code and not [cell for cell in code if cell.get("outputs") or cell.get("execution_count")]


def test_outputs_that_do_not_match_the_cells_are_not_shown():
    """A record with more or fewer cells than the page (a renderer that splits cells differently):
    no output at all, rather than outputs under the wrong cells."""
    cell = '<div class="jp-Cell jp-CodeCell"><div class="jp-Cell-inputWrapper"><pre>x</pre></div></div>'
    assert with_outputs(cell * 2, ["1\n", "2\n"]).count("nnref-lab-output") == 2
    assert with_outputs(cell * 2, ["1\n"]) is None
    assert with_outputs(cell * 2, ["1\n", "2\n", "3\n"]) is None
