"""nnref's five rooms and the one-way rule between them, checked on the source.

``autograd`` needs only the standard library and ``scratch`` only NumPy, so both work without
torch; ``models`` and ``data`` sit on torch; ``train`` may use ``models`` and ``data``; the command
line (``nnref.cli``) sits on top of everything. Inside the package, no module imports a private
name (one starting with ``_``) from another module: what two modules share is public, if only in
a private module (``scratch/_validate.py``'s checks).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nnref"
# what each room may import, beyond the standard library
ALLOWED = {
    "autograd": set(),
    "scratch": {"numpy"},
    "data": {"numpy", "torch"},
    "models": {"torch", "numpy", "nnref.models"},
    "train": {"torch", "numpy", "tqdm", "matplotlib", "nnref.models", "nnref.data", "nnref.train"},
}
OWN = {room: {f"nnref.{room}"} for room in ALLOWED}
STDLIB = set(sys.stdlib_module_names)


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("room", ALLOWED)
def test_rooms_import_only_what_they_may(room):
    allowed = ALLOWED[room] | OWN[room]
    problems = []
    for path in sorted((SRC / room).rglob("*.py")):
        for name in imports(path):
            top = name.split(".")[0]
            if top in STDLIB or top == "__future__":
                continue
            if not any(name == a or name.startswith(a + ".") for a in allowed):
                problems.append(f"{path.relative_to(SRC.parent)} imports {name}")
    assert not problems, "\n".join(problems)


def test_torch_free_parts_do_not_import_torch():
    code = (
        "import sys, nnref, nnref.autograd, nnref.scratch, nnref.data\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "from nnref.data import xor, load_digits\n"
        "x, y = xor(n=8)\n"
        "assert 'torch' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def private_imports(source: str) -> list[str]:
    """``from m import _name`` statements of a module's source (``__future__`` aside)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            found += [
                f"{'.' * node.level}{node.module or ''}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_")
            ]
    return found


def test_no_module_imports_a_private_name_from_another():
    problems = [
        f"{path.relative_to(SRC.parent)} imports {name}"
        for path in sorted(SRC.rglob("*.py"))
        for name in private_imports(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)


def test_the_private_import_check_can_fail():
    source = (
        "from __future__ import annotations\n"
        "from nnref.scratch._validate import check_grad\n"
        "from nnref.scratch.conv import _pair, conv2d\n"
        "from .loop import _is_main\n"
    )
    assert private_imports(source) == ["nnref.scratch.conv._pair", ".loop._is_main"]


def test_the_docs_toolkit_and_nnref_stay_apart():
    """``nnref`` never imports the docs toolkit, and the toolkit imports nothing from tests/ or hooks/
    (it is what they import). The toolkit may import nnref: it runs the pages that use it."""
    toolkit = SRC.parent / "nnref_docs"
    problems = [
        f"{path.relative_to(SRC.parent)} imports {name}"
        for path in sorted(SRC.rglob("*.py"))
        for name in imports(path)
        if name.split(".")[0] == "nnref_docs"
    ]
    for path in sorted(toolkit.rglob("*.py")):
        for name in imports(path):
            top = name.split(".")[0]
            if top in {"tests", "hooks", "conftest", "sitebuild", "mdharness"}:
                problems.append(f"{path.relative_to(SRC.parent)} imports {name}")
    assert not problems, "\n".join(problems)
