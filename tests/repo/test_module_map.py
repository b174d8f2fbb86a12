"""The module map in ``src/nnref_docs/__init__.py`` lists every module of the toolkit, each once,
and names no module that does not exist: a new module without its line there fails here."""

import re

from nnref_docs.paths import ROOT

PACKAGE = ROOT / "src" / "nnref_docs"
ENTRY = re.compile(r"^- :mod:`\.(?P<name>\w+)` \S", re.M)  # one line per module: "- :mod:`.x` its role"


def listed(doc: str) -> list[str]:
    """The modules the map gives a line of their own, in order."""
    return [m["name"] for m in ENTRY.finditer(doc)]


def modules() -> set[str]:
    """Every module of the package (``__init__`` aside)."""
    return {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}


def map_problems(doc: str, names: set[str]) -> list[str]:
    """What is wrong with the map ``doc`` for the modules ``names``."""
    entries = listed(doc)
    problems = [f"{name}: not in the module map" for name in sorted(names - set(entries))]
    problems += [f"{name}: in the map, but there is no such module" for name in sorted(set(entries) - names)]
    problems += [f"{name}: listed more than once" for name in sorted({n for n in entries if entries.count(n) > 1})]
    return problems


def test_the_module_map_lists_every_module():
    import nnref_docs

    assert not map_problems(nnref_docs.__doc__, modules()), map_problems(nnref_docs.__doc__, modules())


def test_a_module_missing_from_the_map_is_found():
    doc = "- :mod:`.fences` the scanner.\n- :mod:`.gone` removed.\n- :mod:`.fences` again.\n"
    assert map_problems(doc, {"fences", "parse"}) == [
        "parse: not in the module map",
        "gone: in the map, but there is no such module",
        "fences: listed more than once",
    ]
