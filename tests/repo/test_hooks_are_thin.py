"""The MkDocs hooks are thin adapters: their logic lives in the toolkit (src/nnref_docs), with its tests.

- hooks/ stays under 250 lines in all, and no hook grows past 45;
- no module of the toolkit imports a hook (the arrow runs from hooks/ to the toolkit only);
- no test reaches code by editing ``sys.path``: tests import the toolkit, as the hooks do.
"""

import re
from pathlib import Path

import pytest

from nnref_docs.blocknames import imported_modules
from nnref_docs.paths import ROOT

HOOKS = sorted((ROOT / "hooks").glob("*.py"))
MAX_TOTAL, MAX_HOOK = 250, 45


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_hooks_are_under_250_lines_and_each_is_short():
    sizes = {path.name: lines(path) for path in HOOKS}
    assert sum(sizes.values()) < MAX_TOTAL, f"hooks/ has {sum(sizes.values())} lines (under {MAX_TOTAL}): {sizes}"
    long = {name: n for name, n in sizes.items() if n > MAX_HOOK}
    assert not long, f"hooks longer than {MAX_HOOK} lines (move the logic into src/nnref_docs): {long}"


@pytest.mark.parametrize("module", sorted((ROOT / "src" / "nnref_docs").rglob("*.py")), ids=lambda p: p.name)
def test_the_toolkit_imports_no_hook(module):
    # MkDocs loads each hook as a top-level module of its own name (hooks/ on sys.path), so a hook is
    # reached as ``hooks.x`` or as plain ``x``: ``import figures`` would be hooks/figures.py
    hooks = {"hooks"} | {path.stem for path in HOOKS}
    found = imported_modules(module.read_text(encoding="utf-8")) & hooks
    assert not found, f"{module.relative_to(ROOT)} imports from hooks/: {sorted(found)}"


def test_no_test_edits_sys_path():
    edits = re.compile(r"\bsys\.path\.(?:insert|append|extend|remove)\b|\bsys\.path\s*[+]?=")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if edits.search(line)
    ]
    assert not found, f"tests edit sys.path (import the toolkit instead): {found}"
