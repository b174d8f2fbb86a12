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


GROUP = re.compile(r"^(?P<title>[A-Z][^\n]*):\n", re.M)  # a group's heading line in the map
LAYERS = ("The infrastructure", "Reading and running a page", "The site's features")  # bottom up


def layer_of(doc: str) -> dict[str, int]:
    """Each listed module's layer: 0 the infrastructure, 1 the verify core, 2 the site's features."""
    layers, current = {}, None
    for line in doc.splitlines():
        heading = next((i for i, title in enumerate(LAYERS) if line.startswith(title)), None)
        if heading is not None:
            current = heading
        elif (entry := ENTRY.match(line)) and current is not None:
            layers[entry["name"]] = current
    return layers


def upward_imports(sources: dict[str, str], layers: dict[str, int]) -> list[str]:
    """``a -> b`` for each relative import from a module to one in a higher layer."""
    import ast

    found = []
    for name, source in sorted(sources.items()):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                target = node.module.split(".")[0]
                if layers.get(target, -1) > layers.get(name, 99):
                    found.append(f"{name} -> {target}")
    return found


def test_no_import_runs_back_up_a_layer():
    import nnref_docs

    layers = layer_of(nnref_docs.__doc__)
    assert set(layers) == modules() and set(layers.values()) == {0, 1, 2}
    sources = {path.stem: path.read_text(encoding="utf-8") for path in PACKAGE.glob("*.py") if path.stem in layers}
    assert upward_imports(sources, layers) == []


def test_an_import_up_a_layer_is_found():
    layers = {"paths": 0, "parse": 1, "book": 2}
    sources = {
        "paths": "",
        "parse": "from .paths import ROOT\nfrom .book import MARKER\n",
        "book": "from .parse import x\n",
    }
    assert upward_imports(sources, layers) == ["parse -> book"]
