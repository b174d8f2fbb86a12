"""One list of steps before a pull request: README.md, CONTRIBUTING.md, the contributor guide (both
languages), the pull-request template and ``.ci/run``'s header name the steps of :data:`STEPS`, all
of them, in that order. Changing a step means changing this list and the six places together."""

import re

import pytest

from nnref_docs.paths import ROOT

STEPS = ("make check", "make lint", "make test", "make test-portable", "make build", "make book")
STEP = re.compile(r"\bmake (?:check|lint|test-portable|test|build|book)\b(?!-)")


def section(text: str, heading: str) -> str:
    """The lines under ``heading`` (a Markdown heading line's start) up to the next heading."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(heading))
    end = next((n for n in range(start + 1, len(lines)) if re.match(r"#{1,6} ", lines[n])), len(lines))
    return "\n".join(lines[start + 1 : end])


def header(script: str) -> str:
    """A shell script's leading comment, the ``#!`` line aside."""
    lines = script.splitlines()[1:]
    return "\n".join(line for line in lines[: next(n for n, line in enumerate(lines) if not line.startswith("#"))])


def steps(text: str) -> list[str]:
    """The steps a text names, each once, in the order it first names them."""
    found: list[str] = []
    for match in STEP.finditer(text):
        if match[0] not in found:
            found.append(match[0])
    return found


def read(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


PLACES = {
    "README.md": lambda: section(read("README.md"), "## Contributing"),
    "CONTRIBUTING.md": lambda: section(read("CONTRIBUTING.md"), "## In short"),
    "docs/contributing.ko.md": lambda: section(read("docs/contributing.ko.md"), "### 풀 리퀘스트 전에 {#steps}"),
    "docs/contributing.en.md": lambda: section(read("docs/contributing.en.md"), "### Before a pull request {#steps}"),
    ".github/pull_request_template.md": lambda: "\n".join(
        line for line in read(".github/pull_request_template.md").splitlines() if line.startswith("- [ ]")
    ),
    ".ci/run": lambda: header(read(".ci/run")).partition("steps before a pull request")[2],
}


@pytest.mark.parametrize("place", PLACES)
def test_each_place_lists_the_steps_in_order(place):
    assert steps(PLACES[place]()) == list(STEPS), f"{place}: the steps before a pull request are {STEPS}"


def test_the_steps_are_found_in_order_and_only_as_steps():
    text = "make test then make lint, make test-portable; make testing is not one, make figures neither"
    assert steps(text) == ["make test", "make lint", "make test-portable"]
    assert steps("make test\nmake check PAGE=x\nmake test") == ["make test", "make check"]


def test_every_step_is_a_make_target():
    targets = set(re.findall(r"^([a-z][\w-]*):", read("Makefile"), flags=re.M))
    assert {step.split()[1] for step in STEPS} <= targets


def test_the_page_commands_name_files_that_exist():
    """The template's and the guide's pytest commands for one page, with a real page put in."""
    commands = re.findall(r"`\.venv/bin/pytest ([^`]+)`", read(".github/pull_request_template.md"))
    commands += re.findall(r"`\.venv/bin/pytest ([^`]+)`", read("docs/contributing.en.md"))
    assert commands
    for command in commands:
        words = command.replace("<page>", "02-backprop/chain-rule").split()
        paths = [w for i, w in enumerate(words) if not w.startswith("-") and (i == 0 or words[i - 1] != "-k")]
        for path in paths:
            assert (ROOT / path).is_file(), f"`.venv/bin/pytest {command}`: no file {path}"
