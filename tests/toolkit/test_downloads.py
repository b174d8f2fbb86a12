"""The code a reader takes from a page runs alone and prints what the page shows.

Every page with python blocks is offered as a script and a notebook (``nnref_docs.downloads``, made
by ``nnref_docs.export`` from the blocks the parser finds). The docs run already proves most of it:
each page runs in a fresh process of its own (``nnref_docs.pageserver``: ``python -I``, an empty
working directory, nothing left over from another page), block after block in one namespace, after
the same seeds the script's first cell sets. What is left to check is what the script does
differently from that run, and that is checked here on every page, without running them again:

- the cells the script does not run (skipped blocks, blocks that read the page's own ``__file__``)
  give no name to a cell that runs;
- the script's seed cell seeds the generators as the harness does;
- a ``>>>`` session turned into code prints what the session shows.

A few pages' scripts also run end to end as a reader runs them, in a fresh interpreter, with what
each cell prints compared with the page by the harness's own rule (``nnref_docs.compare``), and
the files they leave in their folder compared with the ones their header names. The install line
at the top of every download names an extra of ``pyproject.toml`` that brings every third-party
module the pages import (checked here on every page and lab); ``tests/repo/test_package_install.py``
installs the built wheel with that line into a fresh venv and runs downloaded scripts there.
"""

from __future__ import annotations

import doctest
import json
import os
import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import numpy as np
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from nnref_docs import downloads
from nnref_docs.blocknames import analyse, imported_modules, uses_from_above
from nnref_docs.compare import NoiseTolerantChecker, check_output
from nnref_docs.export import (
    INSTALL_COMMAND,
    INSTALL_EXTRA,
    PageCode,
    doctest_as_code,
    files_written,
    page_code,
    quiet_last_value,
    seed_code,
    writes,
)
from nnref_docs.pairs import page_language
from nnref_docs.parse import ParseError, parse_page
from nnref_docs.paths import ROOT
from nnref_docs.run import seed_everything

DOCS = ROOT / "docs"


def has_code(page: Path) -> bool:
    try:
        return bool(parse_page(page.read_text(encoding="utf-8")))
    except ParseError:  # its test fails with the parser's message and line
        return True


PAGES = [p for p in sorted(DOCS.rglob("*.md")) if "assets" not in p.parts and has_code(p)]
# run end to end as a reader runs them: a NumPy-only page, a PyTorch page with a training loop and a figure
END_TO_END = ["02-backprop/chain-rule.ko.md", "03-pytorch/losses.en.md"]
# the notebooks run in a kernel: a NumPy-only page, and one whose setup cell ends in torch.manual_seed(0)
IN_A_KERNEL = ["02-backprop/chain-rule.ko.md", "03-pytorch/layers.en.md"]
MARK = "\x1fnnref-cell {}\x1f"

# Runs the script file chunk by chunk (every line of it, in order, in one namespace) and prints a
# marker before each chunk, so the test can tell which block printed what and which one failed.
DRIVER = r"""
import json, sys, traceback
path, chunks = sys.argv[1], json.loads(sys.argv[2])
lines = open(path, encoding="utf-8").read().splitlines(keepends=True)
sys.argv = [path]
namespace = {"__name__": "__main__", "__file__": path}
for k, (first, last) in enumerate(chunks):
    print("\n" + MARK.format(k), flush=True)
    code = compile("\n" * (first - 1) + "".join(lines[first - 1:last]), path, "exec")
    try:
        exec(code, namespace)
    except BaseException:
        sys.stdout.flush()
        traceback.print_exc()
        sys.exit(3)
print("\n" + MARK.format("end"), flush=True)
""".replace("MARK", repr(MARK))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def code_of(page: Path) -> PageCode:
    lang = page_language(page)
    return page_code(page.read_text(encoding="utf-8"), source=rel(page), lang=lang)


def chunks(code: PageCode) -> list[tuple[int, int]]:
    """Line ranges that cover the whole script, one per cell (the header goes with the first)."""
    ranges, first = [], 1
    for cell in code.cells:
        ranges.append((first, cell.end))
        first = cell.end + 1
    ranges[-1] = (ranges[-1][0], len(code.script.splitlines()))
    return ranges


def run_script(
    code: PageCode, script: Path, workdir: Path, python: Path | str = sys.executable
) -> subprocess.CompletedProcess:
    """The script in a fresh interpreter (``python -I``: installed packages only), in an empty folder."""
    script.write_text(code.script, encoding="utf-8")
    workdir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")} | {"MPLBACKEND": "Agg"}
    return subprocess.run(
        [str(python), "-I", "-c", DRIVER, str(script), json.dumps(chunks(code))],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def problems(page: Path, code: PageCode, result: subprocess.CompletedProcess, script: Path) -> list[str]:
    """What differs from the page, each as ``docs/<page>.md:<line>: ...``."""
    printed: dict[str, str] = {}
    parts = re.split(re.escape(MARK).replace(r"\{\}", r"(\w+)"), result.stdout)
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        printed[name] = text
    found = []
    for k, cell in enumerate(code.cells):
        if str(k) not in printed:
            break
        block = cell.block
        if block is None or not cell.runs or cell.expected is None:
            continue
        if str(k + 1) not in printed and "end" not in printed:
            break  # this cell raised: reported below
        actual = printed[str(k)]
        if block.kind == "doctest":
            same = NoiseTolerantChecker(block.tolerance).check_output(cell.expected, actual, doctest.ELLIPSIS)
            diff = None if same else f"expected:\n{cell.expected}printed:\n{actual}"
        else:
            diff = check_output(
                cell.expected, actual, block.tolerance, fromfile=f"expected ({rel(page)}:{block.expected_line})"
            )
        if diff:
            found.append(f"{rel(page)}:{block.line}: run alone, the page's script prints something else\n{diff}")
    if result.returncode != 0 or "end" not in printed:
        found.append(_failure(page, code, result, script, printed))
    return found


def files_left(workdir: Path) -> list[str]:
    """The files a script left in the folder it ran in (matplotlib's caches aside)."""
    return sorted(p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file())


def header_names_the_files(code: PageCode, workdir: Path, page: Path) -> list[str]:
    """The files the run left against the ones the script's header (and the notebook's) names."""
    left, named = files_left(workdir), sorted(code.files())
    if left == named:
        return []
    return [f"{rel(page)}: the script wrote {left}, its header names {named}"]


def _failure(page: Path, code: PageCode, result, script: Path, printed: dict[str, str]) -> str:
    ran = [int(name) for name in printed if name.isdigit()]
    cell = code.cells[max(ran)] if ran else code.cells[0]
    lines = result.stderr.rstrip().splitlines()
    in_script = [int(n) for n in re.findall(rf'File "{re.escape(str(script))}", line (\d+)', result.stderr)]
    where = rel(page)
    if cell.block is None:
        head = f"{where}:1: the seed cell of the page's script failed"
    else:
        line = cell.block.line
        if in_script:
            line = cell.block.source_line + in_script[-1] - (cell.start + 1)
        head = f"{where}:{cell.block.line}: run alone, the page's script stops in this block (page line {line})"
    return f"{head}: {lines[-1] if lines else f'exit status {result.returncode}'}\n" + "\n".join(lines[-12:])


def names_from_cells_that_do_not_run(code: PageCode) -> list[str]:
    """Each running cell that reads a name only a non-running cell above it binds, as ``page:line``."""
    found = []
    bound_by_running: set[str] = set()
    bound_elsewhere: set[str] = set()
    for cell in code.cells:
        try:
            reads, binds = analyse(cell.code)
        except SyntaxError:  # the harness reports it at its line
            continue
        if not cell.runs:
            bound_elsewhere |= binds
            continue
        missing = [name for name in reads if name in bound_elsewhere - bound_by_running]
        if missing and cell.block is not None:
            found.append(
                f"line {cell.block.line} reads {', '.join(missing)}, bound only by a block the script does not run"
            )
        bound_by_running |= binds
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_the_script_runs_what_the_page_ran(page):
    code = code_of(page)
    found = names_from_cells_that_do_not_run(code)
    assert not found, f"{rel(page)}: " + "; ".join(found)
    ran = [b.line for b in parse_page(page.read_text(encoding="utf-8")) if b.skip_reason is None]
    scripted = [c.block.line for c in code.block_cells() if c.runs]
    left_out = [c for c in code.block_cells() if not c.runs and c.block.skip_reason is None]
    assert sorted(scripted + [c.block.line for c in left_out]) == ran
    for cell in left_out:  # only a block that checks the page's own Markdown stays out
        assert "__file__" in analyse(cell.code)[0], f"{rel(page)}:{cell.block.line}"


def test_a_name_from_a_block_the_script_does_not_run_is_caught():
    text = (
        "```python\nsource = open(__file__).read()\n```\n\n"
        "```python\nprint(len(source) > 0)\n```\n\n```text\nTrue\n```\n"
    )
    code = page_code(text, source="docs/self.en.md", lang="en")
    assert names_from_cells_that_do_not_run(code) == [
        "line 5 reads source, bound only by a block the script does not run"
    ]


@pytest.mark.parametrize("torch_too", [False, True])
def test_the_seed_cell_seeds_as_the_harness_does(torch_too):
    import torch

    threads = torch.get_num_threads()
    try:

        def draws():
            return random.random(), float(np.random.rand()), float(torch.rand(1)) if torch_too else None

        seed_everything(torch_too=torch_too)
        by_harness = draws()
        random.seed(99), np.random.seed(99), torch.manual_seed(99)
        exec(seed_code(torch_too=torch_too), {})
        assert draws() == by_harness
    finally:
        torch.set_num_threads(threads)


@pytest.mark.slow
@pytest.mark.parametrize("name", END_TO_END)
def test_page_script_runs_alone(name, tmp_path):
    page = DOCS / name
    code = code_of(page)
    script = tmp_path / "page.py"
    found = problems(page, code, run_script(code, script, tmp_path / "work"), script)
    found += header_names_the_files(code, tmp_path / "work", page)
    assert not found, "\n\n".join(found)


# the machinery, on small pages -------------------------------------------------------------------

TOY = """# Toy

<!-- invisible-code-block: python
hidden = 2
-->

```python
import math
root = math.sqrt(hidden * 8)
print(root)
```

```text
4.0
```

<!-- skip: next "needs the network" -->
```python
import urllib.request
```

```pycon
>>> root + 1
5.0
>>> print("ok")
ok
```

```python
def area(r):
    return math.pi * r**2 * scale
scale = 1
print(f"{area(root):.3f}")
```

```text
50.266
```
"""


def test_script_has_every_block_in_order_with_outputs_as_comments():
    code = page_code(TOY, source="docs/toy.en.md", lang="en", title="Toy", url="https://x/toy/")
    script = code.script
    assert script.startswith("# Toy: the page's code as one script\n# https://x/toy/\n")
    assert INSTALL_COMMAND in script
    assert script.index("hidden = 2") < script.index("root = math.sqrt") < script.index("# import urllib.request")
    assert "# %% Page line 18 · not run: needs the network\n# import urllib.request\n" in script
    assert 'print(repr(root + 1))\nprint("ok")\n# Output:\n# 5.0\n# ok\n' in script
    assert "print(root)\n# Output:\n# 4.0\n" in script
    for cell in code.cells:  # the line numbers the copy buttons use
        assert script.splitlines()[cell.start - 1].startswith("# %% ")
    assert [c.uses for c in code.block_cells()] == [[], ["hidden"], [], ["root"], ["root", "math"]]


def test_notebook_has_the_same_code_and_the_page_outputs():
    code = page_code(TOY, source="docs/toy.ko.md", lang="ko", title="장난감", url="https://x/toy/")
    notebook = nbformat.reads(code.notebook(), as_version=4)
    nbformat.validate(notebook)
    assert INSTALL_COMMAND in notebook.cells[0].source
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.source for c in code_cells][2] == "import math\nroot = math.sqrt(hidden * 8)\nprint(root)"
    assert code_cells[3].source == "# import urllib.request" and code_cells[3].outputs == []
    assert code_cells[2].outputs[0].text == "4.0\n" and code_cells[4].outputs[0].text == "5.0\nok\n"
    assert "페이지에 보이지 않는 준비 코드" in notebook.cells[3].source


@pytest.mark.slow
@pytest.mark.parametrize("name", IN_A_KERNEL)
def test_a_pages_notebook_runs_in_a_kernel_and_prints_the_page_outputs(name, tmp_path):
    """What each cell prints is what the page shows, and nothing more: no cell shows a value (the
    ``<torch._C.Generator ...>`` of a cell that ends in ``torch.manual_seed(0)``)."""
    from nbclient import NotebookClient

    page = DOCS / name
    code = code_of(page)
    notebook = nbformat.reads(code.notebook(), as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    by_line = {cell.block.line: cell for cell in code.block_cells()}
    checked = 0
    for made in notebook.cells:
        shown = [o for o in made.get("outputs", []) if o.output_type != "stream" or o.get("name") != "stdout"]
        assert shown == [], f"{rel(page)}: a cell shows more than the page prints: {shown}"
        line = made.get("metadata", {}).get("nnref", {}).get("page_line")
        cell = by_line.get(line)
        if cell is None or cell.expected is None or not cell.runs:
            continue
        printed = "".join(o.get("text", "") for o in made.outputs if o.get("name") == "stdout")
        assert check_output(cell.expected, printed, cell.block.tolerance) is None, f"{rel(page)}:{line}"
        checked += 1
    assert checked == sum(1 for c in code.block_cells() if c.expected and c.runs) > 3
    assert files_left(tmp_path) == sorted(code.files())


def test_doctest_session_becomes_code_that_prints_the_same():
    code, want = doctest_as_code(">>> x = 3\n>>> x * 2\n6\n>>> print(x)\n3\n>>> None\n")
    assert code == "x = 3\nprint(repr(x * 2))\nprint(x)\nNone\n"
    assert want == "6\n3\n"


@pytest.mark.parametrize(
    ("source", "reads", "binds"),
    [
        ("x = x + 1", ["x"], {"x"}),
        ("for i in range(n):\n    total += i", ["range", "n", "total"], {"i", "total"}),
        ("def f(a):\n    return a * w + g(a)\ndef g(z):\n    return z\nprint(f(1))", ["print", "w"], {"f", "g"}),
        ("import numpy as np\ny = [v * k for v in vals for k in range(v)]", ["vals", "range"], {"np", "y"}),
        ("class M(nn.Module):\n    size = 3\n    def f(self):\n        return size * s", ["nn", "size", "s"], {"M"}),
        ("with torch.no_grad():\n    y = model(X)", ["torch", "model", "X"], {"y"}),
        ("f = lambda q: q * k\ntry:\n    pass\nexcept E as e:\n    print(e)", ["E", "print", "k"], {"f", "e"}),
        ("def g():\n    global count\n    count = 1", [], {"g", "count"}),
    ],
)
def test_names_a_block_reads_and_binds(source, reads, binds):
    assert analyse(source) == (reads, binds)


def test_uses_from_above_counts_only_blocks_that_run():
    blocks = ["import torch\nmodel = torch.nn.Linear(2, 1)", "X = 1", None, "print(model(X), torch, Y)"]
    assert uses_from_above(blocks) == [[], [], [], ["model", "X", "torch"]]


def test_a_script_that_cannot_run_alone_fails_at_the_pages_block(tmp_path):
    page = tmp_path / "docs" / "broken.en.md"
    page.parent.mkdir()
    page.write_text(
        "# Broken\n\n```python\nvalue = 2\nprint(value)\n```\n\n```text\n3\n```\n\n"
        "Text.\n\n```python\nprint(value)\nprint(missing_name)\n```\n",
        encoding="utf-8",
    )
    code = page_code(page.read_text(encoding="utf-8"), source="docs/broken.en.md", lang="en")
    script = tmp_path / "broken.py"
    result = run_script(code, script, tmp_path / "work")
    found = problems(ROOT / "docs" / "broken.en.md", code, result, script)
    assert len(found) == 2, found
    assert found[0].startswith("docs/broken.en.md:3: run alone, the page's script prints something else")
    assert "-3\n+2" in found[0]
    assert found[1].startswith(
        "docs/broken.en.md:14: run alone, the page's script stops in this block (page line 16): "
        "NameError: name 'missing_name' is not defined"
    )


def test_every_download_tells_how_to_install_nnref():
    """One line everywhere a reader is told how to run the code without a clone: the downloads'
    headers (made with it), the labs and the home page."""
    labs = sorted((DOCS / "labs").glob("*.py"))
    assert labs
    for path in [*labs, DOCS / "index.ko.md", DOCS / "index.en.md"]:
        assert INSTALL_COMMAND in path.read_text(encoding="utf-8"), f"{rel(path)} does not give the install line"


# what the install line brings, and what the code writes ------------------------------------------


def extra_requirements(extra: str) -> set[str]:
    """The distributions ``pip install nnref[extra]`` asks for by name: nnref's own dependencies,
    the extra's, and those of the extras it names (``nnref[torch]``), from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names: set[str] = set()
    todo, seen = [*project["dependencies"], *project["optional-dependencies"][extra]], {extra}
    while todo:
        requirement = Requirement(todo.pop())
        if canonicalize_name(requirement.name) != "nnref":
            names.add(canonicalize_name(requirement.name))
            continue
        for more in requirement.extras - seen:
            seen.add(more)
            todo += project["optional-dependencies"][more]
    return names


def test_the_install_extra_brings_every_module_the_downloads_import():
    """Every third-party module a page's script or a lab imports comes with the install line's
    extra, and the extra adds nothing that no download imports."""
    import importlib.metadata

    by_module = importlib.metadata.packages_distributions()
    needed: dict[str, set[str]] = {}  # distribution -> the downloads that import it
    sources = [(rel(page), [c.code for c in code_of(page).cells if c.runs]) for page in PAGES]
    sources += [(rel(lab), [lab.read_text(encoding="utf-8")]) for lab in sorted((DOCS / "labs").glob("*.py"))]
    for where, codes in sources:
        for module in set().union(*map(imported_modules, codes)):
            if module in sys.stdlib_module_names or module == "nnref":
                continue
            assert module in by_module, f"{where} imports {module}, which no installed distribution provides"
            for name in by_module[module]:
                needed.setdefault(canonicalize_name(name), set()).add(where)
    brought = extra_requirements(INSTALL_EXTRA)
    missing = {name: sorted(pages)[:3] for name, pages in needed.items() if name not in brought}
    assert not missing, f"the {INSTALL_EXTRA!r} extra does not bring what these pages import: {missing}"
    assert {"matplotlib", "sympy", "torch"} <= set(needed)  # the check sees the imports it is about
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    own = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"][INSTALL_EXTRA]}
    assert own - {"nnref"} <= set(needed), f"the {INSTALL_EXTRA!r} extra adds what no download imports"
    assert f'"nnref[{INSTALL_EXTRA}] @ git+' in INSTALL_COMMAND


def test_every_file_a_page_writes_is_named_in_its_code():
    """A figure or checkpoint path that is not a string literal could not be named in the header."""
    found = []
    for page in PAGES:
        for cell in code_of(page).block_cells():
            if cell.runs:
                found += [
                    f"{rel(page)}:{cell.block.source_line + line - 1}"
                    for line, path in writes(cell.code)
                    if path is None
                ]
    assert not found, "a file written under a name the code computes (write it as a literal): " + ", ".join(found)


@pytest.mark.parametrize(
    ("code", "paths"),
    [
        ('fig.savefig("a.svg")\nplt.savefig(fname="b.png", dpi=90)', ["a.svg", "b.png"]),
        (
            'torch.save(model.state_dict(), "m.pt")\ntorch.save(obj, f="n.pt")\nstate = torch.load("m.pt")',
            ["m.pt", "n.pt"],
        ),
        ('fit(model, data, checkpoint="best.pt")\nfit(model, data, checkpoint=None)', ["best.pt"]),
        ('open("r.txt")\nwith open("w.txt", "w") as f:\n    pass\nopen("x.txt", mode="a")', ["w.txt", "x.txt"]),
        ('np.save("a.npy", x)\nname = "b.svg"\nfig.savefig(name)', ["a.npy", None]),
    ],
)
def test_the_files_code_writes_are_found(code, paths):
    assert [path for _, path in writes(code)] == paths


def test_the_header_names_the_files_the_code_writes():
    text = (
        "# Figures\n\n```python\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
        'fig.savefig("one.svg")\n```\n\n```python\nfig.savefig("two.svg")\nfig.savefig("one.svg")\n```\n'
    )
    code = page_code(text, source="docs/figures.en.md", lang="en")
    assert code.files() == files_written([c.code for c in code.cells]) == ["one.svg", "two.svg"]
    head = code.script[: code.script.index("# %%")]
    assert "# Running it writes these files into the folder it runs in: one.svg, two.svg\n" in head
    notebook = nbformat.reads(code.notebook(), as_version=4)
    assert "`one.svg`, `two.svg`" in notebook.cells[0].source
    ko = page_code(text, source="docs/figures.ko.md", lang="ko")
    assert "# 실행하면 현재 작업 폴더에 다음 파일이 생깁니다: one.svg, two.svg\n" in ko.script
    assert "Running it writes" not in code_of(DOCS / "02-backprop" / "chain-rule.en.md").script


@pytest.mark.parametrize(
    ("code", "quiet"),
    [
        ("torch.manual_seed(0)\n", "torch.manual_seed(0);\n"),
        ("x = 1\ntorch.manual_seed(0)  # the same draws\n", "x = 1\ntorch.manual_seed(0);  # the same draws\n"),
        ('show("가나", (\n    1, 2))\n', 'show("가나", (\n    1, 2));\n'),
        ("print(x)\n", "print(x)\n"),
        ("x = torch.manual_seed(0)\n", "x = torch.manual_seed(0)\n"),
        ("for i in range(2):\n    f(i)\n", "for i in range(2):\n    f(i)\n"),
        ("None\n", "None\n"),
    ],
)
def test_a_notebook_cell_does_not_show_its_last_value(code, quiet):
    assert quiet_last_value(code) == quiet


def test_notebook_cells_show_no_value_the_page_does_not_print():
    text = (
        "# Seeded\n\n```python\nimport torch\ntorch.manual_seed(0)\n```\n\n```python\nprint(torch.rand(1).shape)\n```\n"
    )
    code = page_code(text, source="docs/seeded.en.md", lang="en")
    cells = [c for c in nbformat.reads(code.notebook(), as_version=4).cells if c.cell_type == "code"]
    assert cells[1].source == "import torch\ntorch.manual_seed(0);"
    assert cells[2].source == "print(torch.rand(1).shape)"
    assert "torch.manual_seed(0)\n" in code.script  # the script, which shows no value, keeps the code as it is


# what the downloads hook adds (nnref_docs.downloads) ------------------------------------------


@pytest.mark.parametrize(
    ("src_uri", "stem"),
    [
        ("02-backprop/chain-rule.en.md", "02-backprop-chain-rule"),
        ("index.ko.md", "home"),
        ("06-training/index.en.md", "06-training"),
    ],
)
def test_download_stem(src_uri, stem):
    assert downloads.download_stem(src_uri) == stem


def test_a_note_goes_above_each_block_that_uses_an_earlier_one_and_the_files_are_offered(tmp_path):
    page = "# T\n\n```python\nx = 1\n```\n\n!!! note\n    ```python\n    print(x + 1)\n    ```\n\n    ```text\n    2\n    ```\n"
    markdown, offered = downloads.page_downloads(page, page, "a/b.en.md", "en", "T", "https://x.org/a/b/")
    code = page_code(page, source="docs/a/b.en.md", lang="en", title="T", url="https://x.org/a/b/")
    upto, first = code.block_cells()[1].end, code.cells[0].start
    note = markdown.split("\n")[markdown.split("\n").index("!!! note") + 2]
    assert note.startswith(f'    <div class="nnref-uses" data-nnref-script="a-b.en.py" data-nnref-upto="{upto}" ')
    assert f'data-nnref-from="{first}"' in note and "<code>x</code>" in note
    assert markdown.replace(f"\n{note}\n\n", "", 1) == page, "the note is the only change"
    assert [(d.name, d.kind) for d in offered] == [("a-b.en.py", "script"), ("a-b.en.ipynb", "notebook")]
    buttons = downloads.offer(tmp_path / "a" / "b", offered)
    assert (tmp_path / "a" / "b" / "a-b.en.py").read_text(encoding="utf-8") == code.script
    assert buttons[0] == {
        "href": "a-b.en.py",
        "kind": "script",
        "title": downloads.TEXT["en"]["script"],
        "icon": downloads.ICONS["script"],
    }


def test_a_page_without_code_or_that_does_not_parse_is_left_alone(tmp_path):
    for page in ("# T\n\nNo code.\n", "# T\n\n```python\nx = 1\n"):
        assert downloads.page_downloads(page, page, "a.en.md", "en", "T", "u") == (page, [])
    assert downloads.offer(tmp_path / "none", []) == [] and not (tmp_path / "none").exists()


# the built site --------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "prefix"), [("ko", ""), ("en", "en/")])
def test_built_pages_offer_their_code(site, lang, prefix):
    for page in PAGES:
        if not page.name.endswith(f".{lang}.md"):
            continue
        key = page.relative_to(DOCS).as_posix().removesuffix(f".{lang}.md")
        folder = site / prefix / (key.removesuffix("index") if key.endswith("index") else key)
        html = (folder / "index.html").read_text(encoding="utf-8")
        stem = "home" if key == "index" else key.removesuffix("/index").replace("/", "-")
        for suffix in ("py", "ipynb"):
            name = f"{stem}.{lang}.{suffix}"
            assert f'href="{name}" download' in html, f"{folder}: no {suffix} button"
            assert (folder / name).is_file()
        script = (folder / f"{stem}.{lang}.py").read_text(encoding="utf-8")
        code = code_of(page)
        cells = script[script.index("\n# %% ") :]
        assert cells == code.script[code.script.index("\n# %% ") :], f"{folder}: the script is not the page's code"
        head = script[: script.index("\n# %% ")]
        assert INSTALL_COMMAND in head and ", ".join(code.files()) in head, f"{folder}: the script's header"
        notes = re.findall(
            r'<div class="nnref-uses" data-nnref-script="([^"]+)" data-nnref-upto="(\d+)" data-nnref-from="(\d+)"', html
        )
        # a partial copy runs from the seed cell (the header speaks of the whole file) through the block
        first = str(code.cells[0].start)
        wanted = [
            (f"{stem}.{lang}.py", str(c.end), first) for c in code.block_cells() if c.uses and c.block.kind != "hidden"
        ]
        assert notes == wanted, f"{folder}: the notes above dependent blocks"


def test_built_labs_offer_notebook_and_source(site):
    for lab in sorted((DOCS / "labs").glob("*.py")):
        stem, lang = lab.name.split(".")[0], lab.name.split(".")[1]
        folder = site / ("en/" if lang == "en" else "") / "labs" / stem
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert f'href="{stem}.{lang}.ipynb" download' in html and f'href="{lab.name}" download' in html
        assert (folder / lab.name).read_text(encoding="utf-8") == lab.read_text(encoding="utf-8")
