"""Every lab notebook runs top to bottom in a real Jupyter kernel, as a reader would run it."""

from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LABS = sorted((ROOT / "docs" / "labs").glob("*.py"))


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.name)
def test_lab_runs_top_to_bottom(path, tmp_path):
    notebook = jupytext.read(path)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},  # the kernel's working directory
    )
    client.execute()
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert code_cells, f"{path.name} has no code"
    errors = [o for c in code_cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
