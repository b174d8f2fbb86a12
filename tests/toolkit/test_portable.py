"""make test-portable and make check vary the kernel path and the thread count (nnref_docs.portable):
every page pair runs at 1 and at 3 torch threads, on this CPU's kernels and on an older CPU's."""

import subprocess

import pytest

from nnref_docs import portable
from nnref_docs.pageserver import PageServer
from nnref_docs.parse import parse_page
from nnref_docs.paths import ROOT


def test_each_language_runs_at_another_thread_count():
    assert sorted(portable.PORTABLE_THREADS.values()) == ["1", "3"]
    assert None in portable.CHECK_THREADS.values() and "3" in portable.CHECK_THREADS.values()
    assert portable.env("3") == {**portable.KERNELS, "NNREF_TORCH_THREADS": "3"}


def test_the_portable_run_takes_every_page_once(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda command, **kw: calls.append((command, kw["env"])) or _Done())
    assert portable.main(["-x"]) == 0
    ran = [page for command, _ in calls for page in command if page.endswith(".md")]
    assert sorted(ran) == sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md") if p.suffixes[-2:-1] in ([".ko"], [".en"])
    )
    for (command, env), lang in zip(calls, ("ko", "en"), strict=True):
        assert command[1:4] == ["-m", "pytest", "-x"] and all(p.endswith(f".{lang}.md") for p in command[4:])
        assert env["NNREF_TORCH_THREADS"] == portable.PORTABLE_THREADS[lang] and env["ATEN_CPU_CAPABILITY"] == "default"


class _Done:
    returncode = 0


@pytest.mark.slow
def test_a_thread_fragile_output_fails_the_portable_run(tmp_path, thread_fragile):
    """The float32 sum that make check catches (tests/toolkit/test_check_command.py) fails here too: the
    Korean pages run at 3 threads, and the sum printed at 1 thread is not what they print."""
    page = tmp_path / "x.ko.md"
    thread_fragile([page])
    other = PageServer(portable.env(portable.PORTABLE_THREADS["ko"]))
    try:
        found, ran, _ = other.run_page(page, tmp_path, parse_page(page.read_text(encoding="utf-8")))
    finally:
        other.close()
    assert ran == 1 and len(found) == 1 and "what the code printed differs" in found[0].message, found
