"""nnref's five rooms and the one-way rule between them, checked on the source.

``autograd`` needs only the standard library and ``scratch`` only NumPy, so both work without
torch; ``models`` and ``data`` sit on torch; ``train`` may use ``models`` and ``data``; the command
line (``nnref.cli``) sits on top of everything. Inside the package, no module imports a private
name (one starting with ``_``) from another module: what two modules share is public, if only in
a private module (``scratch/_validate.py``'s checks). Relative imports count as what they resolve
to (``from ..models import MLP`` in ``scratch`` is ``nnref.models``).

The docs toolkit (``src/nnref_docs``) sits beside the package: ``nnref`` never imports it, and it
imports nothing from ``tests/`` or ``hooks/`` (they import it), nor, by a relative import, from
above its own package.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from nnref_docs.paths import ROOT

SRC = ROOT / "src" / "nnref"
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


def package_of(path: Path) -> list[str]:
    """The dotted package a module under src/ belongs to, as parts: ``nnref/train/loop.py`` ->
    ``["nnref", "train"]``; a package's ``__init__.py`` belongs to the package itself."""
    return list(path.relative_to(SRC.parent).parent.parts)


def imports(path: Path, source: str | None = None) -> set[str]:
    """The absolute names a module imports, relative imports resolved against its package:
    ``from ..models import MLP`` in ``nnref/scratch/conv.py`` is ``nnref.models``, and
    ``from . import xor`` in ``nnref/train/tasks/__init__.py`` is ``nnref.train.tasks.xor``."""
    source = path.read_text(encoding="utf-8") if source is None else source
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            package = package_of(path)
            base = ".".join(package[: len(package) - (node.level - 1)])
            if node.module:
                found.add(f"{base}.{node.module}")
            else:
                found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def room_problems(room: str, modules: dict[Path, str | None]) -> list[str]:
    """What the modules of ``room`` (path -> source, None to read the file) import beyond what the
    room may: the standard library, its own room, and ``ALLOWED[room]``."""
    allowed = ALLOWED[room] | OWN[room]
    problems = []
    for path, source in modules.items():
        for name in sorted(imports(path, source)):
            top = name.split(".")[0]
            if top in STDLIB or top == "__future__":
                continue
            if not any(name == a or name.startswith(a + ".") for a in allowed):
                problems.append(f"{path.relative_to(SRC.parent)} imports {name}")
    return problems


@pytest.mark.parametrize("room", ALLOWED)
def test_rooms_import_only_what_they_may(room):
    problems = room_problems(room, dict.fromkeys(sorted((SRC / room).rglob("*.py"))))
    assert not problems, "\n".join(problems)


def test_a_relative_import_up_a_room_is_caught():
    planted = {
        SRC / "scratch" / "conv.py": "from ..models import MLP\nfrom . import functional\n",
        SRC / "autograd" / "__init__.py": "from .. import train\nfrom .engine import Value\n",
        SRC / "train" / "tasks" / "xor.py": "from ...models import MLP\nfrom ..loop import accuracy\n",
    }
    assert room_problems("scratch", dict(list(planted.items())[:1])) == ["nnref/scratch/conv.py imports nnref.models"]
    assert room_problems("autograd", dict(list(planted.items())[1:2])) == [
        "nnref/autograd/__init__.py imports nnref.train"
    ]
    assert room_problems("train", dict(list(planted.items())[2:])) == []  # train may use models


# the parts of nnref that work without torch, each imported and used in a fresh interpreter
TORCH_FREE = {
    "nnref and its command line": "import nnref, nnref.cli",
    "autograd, scratch and data": "import nnref.autograd, nnref.scratch, nnref.data",
    "the data generators and the digits": "from nnref.data import xor, load_digits\nxor(n=8)\nload_digits()",
    "toy2d and split, loaded alone": (
        "import importlib.util\n"
        "for name in ('toy2d', 'split'):\n"
        f"    spec = importlib.util.spec_from_file_location(name, {str(SRC / 'data')!r} + f'/{{name}}.py')\n"
        "    spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
    ),
}


def torch_imported_by(code: str) -> str | None:
    """Run ``code`` in a fresh interpreter; say how it failed, or which torch modules it left in
    ``sys.modules``; None when it ran and imported no torch."""
    check = "\nimport sys\nprint(sorted(m for m in sys.modules if m == 'torch' or m.startswith('torch.'))[:3])\n"
    result = subprocess.run([sys.executable, "-c", code + check], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        return f"failed: {result.stderr.strip()[-500:]}"
    printed = result.stdout.strip().splitlines()[-1]
    return None if printed == "[]" else f"imported torch: {printed}"


@pytest.mark.parametrize("code", TORCH_FREE.values(), ids=TORCH_FREE.keys())
def test_torch_free_parts_do_not_import_torch(code):
    assert torch_imported_by(code) is None


def test_the_torch_import_check_can_fail():
    assert torch_imported_by("import sys, types\nsys.modules['torch'] = types.ModuleType('torch')") == (
        "imported torch: ['torch']"
    )
    assert torch_imported_by("raise SystemExit('no')").startswith("failed: no")


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
    problems += toolkit_problems(dict.fromkeys(sorted(toolkit.rglob("*.py"))))
    assert not problems, "\n".join(problems)


def outside_names() -> set[str]:
    """The names under which a module of tests/ or hooks/ can be imported: the folders themselves,
    the conftest files, and every module's file stem (pytest and MkDocs import them by that)."""
    names = {"tests", "hooks", "conftest"}
    for folder in ("tests", "hooks"):
        names |= {path.stem for path in (SRC.parents[1] / folder).rglob("*.py")} - STDLIB
    return names


def toolkit_problems(modules: dict[Path, str | None]) -> list[str]:
    """Imports, relative ones resolved, by which a module of the toolkit reaches into tests/ or
    hooks/ (what imports the toolkit) or out of the toolkit's package by a relative import."""
    outside = outside_names()
    problems = []
    for path, source in modules.items():
        for name in sorted(imports(path, source)):
            parts = name.split(".")
            if parts[0] in outside or parts[0] == "":  # "": a relative import above the toolkit
                problems.append(f"{path.relative_to(SRC.parent)} imports {name}")
    return problems


def test_a_toolkit_import_of_tests_or_hooks_is_caught():
    toolkit = SRC.parent / "nnref_docs"
    planted = {
        toolkit / "check.py": "from hooks.api_reference import on_page_markdown\nimport conftest\n",
        toolkit / "links.py": "from tests.conftest import site\nfrom .parse import Block\n",
        toolkit / "labs.py": "import test_labs\nfrom nnref.cli import main\n",
        toolkit / "book.py": "from .. import hooks\nfrom . import paths\n",
    }
    assert toolkit_problems(planted) == [
        "nnref_docs/check.py imports conftest",
        "nnref_docs/check.py imports hooks.api_reference",
        "nnref_docs/links.py imports tests.conftest",
        "nnref_docs/labs.py imports test_labs",
        "nnref_docs/book.py imports .hooks",
    ]
