"""The xdist schedule of root conftest.py comes from markers: the tests of a module marked
``spread`` are units of their own (so two workers share the module), a module without it is one
unit, and the tests marked ``long`` are collected first."""

import re

from nnref_docs.paths import ROOT

MODULES = {
    "test_aaa_plain.py": "def test_one():\n    pass\n\ndef test_two():\n    pass\n",
    "test_spread.py": (
        "import time\nimport pytest\n\npytestmark = [pytest.mark.spread, pytest.mark.long]\n\n"
        + "".join(f"def test_{i}():\n    time.sleep(0.3)\n\n" for i in range(6))
    ),
}
MARKERS = "[pytest]\nmarkers =\n    spread: own units\n    long: first\n"


def workers_by_module(pytester, *args) -> dict[str, set[str]]:
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini(MARKERS)
    pytester.makepyfile(**{name.removesuffix(".py"): text for name, text in MODULES.items()})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-vv", *args)
    assert result.ret == 0, result.stdout.str()
    found: dict[str, set[str]] = {}
    for worker, module in re.findall(r"^\[(gw\d)\].*? (test_\w+)\.py::", result.stdout.str(), re.M):
        found.setdefault(module, set()).add(worker)
    return found


def test_a_spread_module_is_shared_by_the_workers_and_a_plain_one_is_not(pytester):
    found = workers_by_module(pytester, "-n", "2", "--dist", "loadscope")
    assert found["test_spread"] == {"gw0", "gw1"}
    assert len(found["test_aaa_plain"]) == 1


def test_long_tests_are_collected_first(pytester):
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini(MARKERS)
    pytester.makepyfile(**{name.removesuffix(".py"): text for name, text in MODULES.items()})
    result = pytester.runpytest_subprocess("-p", "no:xdist", "--collect-only", "-q")
    ids = [line for line in result.stdout.lines if "::" in line]
    assert [i.split("::")[0] for i in ids] == ["test_spread.py"] * 6 + ["test_aaa_plain.py"] * 2
