"""nnref's five rooms and the one-way rule between them (DESIGN.md): checked on the source."""

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
