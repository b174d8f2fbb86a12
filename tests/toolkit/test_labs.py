"""Every lab runs top to bottom, each in a fresh process like a new kernel, and one lab runs in a
real Jupyter kernel, as a reader opens it. Each lab's run, with what its cells printed, goes into
the record the build reads (root conftest.py, nnref_docs.stamps): its stamp and its outputs."""

import jupytext
import pytest
from nbclient import NotebookClient

from nnref_docs.labs import code_cells, draws_figures, lab_blocks, run_lab
from nnref_docs.pageserver import shared_server
from nnref_docs.paths import ROOT

pytestmark = [pytest.mark.spread, pytest.mark.long]  # each lab runs in its own kernel

LABS = sorted((ROOT / "docs" / "labs").glob("*.py"))


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.name)
def test_lab_runs_top_to_bottom(path, request):
    blocks = lab_blocks(path)
    assert blocks, f"{path.name} has no code"
    run = run_lab(path, ROOT)
    # for the record (root conftest.py): the lab page's stamp and outputs. Not record_property,
    # which warns under --junitxml's default family; the report shows the property all the same
    request.node.user_properties.append(run.user_property())
    assert not run.found, "\n".join(map(str, run.found))
    assert run.ran == len(blocks) == len(run.printed)
    assert not draws_figures(blocks), f"{path.name} draws figures, which its page cannot show (it shows printed text)"


def test_a_lab_runs_in_a_jupyter_kernel(tmp_path):
    """The notebook a reader opens (Jupytext's cells, a real kernel, the kernel's own defaults)."""
    path = ROOT / "docs" / "labs" / "05-sequences.en.py"
    notebook = jupytext.read(path)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},  # the kernel's working directory
    ).execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code) == len(lab_blocks(path)) > 3
    assert not [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]


# calls that return None: a cell may end with them without Jupyter printing a value under it
QUIET_CALLS = {"print", "backward", "show", "step", "zero_grad"}


def stray_values(source: str) -> list[str]:
    """The cells of a lab whose last statement is an expression Jupyter would print the value of
    (``torch.manual_seed(0)`` prints ``<torch._C.Generator at 0x...>``), a call of QUIET_CALLS aside."""
    import ast

    found = []
    for cell in jupytext.reads(source, fmt="py:percent").cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        last = ast.parse(cell.source).body[-1]
        if not isinstance(last, ast.Expr) or cell.source.rstrip().endswith(";"):
            continue
        call = last.value.func if isinstance(last.value, ast.Call) else None
        name = getattr(call, "attr", None) or getattr(call, "id", None)
        if name not in QUIET_CALLS:
            found.append(ast.unparse(last))
    return found


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.name)
def test_no_cell_shows_a_stray_value_in_jupyter(path):
    assert stray_values(path.read_text(encoding="utf-8")) == []


def test_a_stray_value_is_found():
    lab = "# %%\nimport torch\ntorch.manual_seed(0)\n\n# %%\nx = 1\nprint(x)\n\n# %%\nx\n"
    assert stray_values(lab) == ["torch.manual_seed(0)", "x"]


def test_a_failing_cell_is_reported_at_its_line(tmp_path):
    lab = tmp_path / "lab.en.py"
    lab.write_text("# %% [markdown]\n# # Lab\n\n# %%\nx = 1\n\n# %%\nassert x == 2, 'x is not 2'\n", encoding="utf-8")
    assert [b.line for b in lab_blocks(lab)] == [4, 7]
    assert code_cells(lab) == ["x = 1", "assert x == 2, 'x is not 2'"]
    found, ran, _ = shared_server().run_page(lab, tmp_path, lab_blocks(lab))
    assert ran == 2 and len(found) == 1, found
    second = str(found[0])
    assert second.startswith("lab.en.py:7: the block raised AssertionError: x is not 2"), second
    assert "lab.en.py:8: assert x == 2" in second
