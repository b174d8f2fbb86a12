"""The GitHub workflows are checked offline: schema, security lint, and the shape CI relies on."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nnref_docs.paths import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed (it is in the test extras)")
    return found


def test_there_is_a_workflow():
    assert WORKFLOWS


def test_schema():
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_offline():
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", str(ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    stepz: []\n")
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0


def test_ci_shape():
    import yaml

    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    jobs = ci["jobs"]
    assert ci["permissions"] == {}
    assert "bash .ci/run" in str(jobs["cpu"]["steps"])
    assert "NNREF_GPU_RUNNER" in jobs["gpu"]["if"] and "self-hosted" in jobs["gpu"]["runs-on"]
    assert set(jobs["deploy"]["needs"]) == {"cpu", "gpu"}
    assert "refs/heads/main" in jobs["deploy"]["if"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for job in jobs.values():
        for step in job.get("steps", []):
            if "uses" in step:
                ref = step["uses"].split("@", 1)[1]
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]


# ---- what a contributor finds on GitHub ---------------------------------------------------------

GITHUB = ROOT / ".github"
SCHEMAS = {
    GITHUB / "dependabot.yml": "vendor.dependabot",
    GITHUB / "ISSUE_TEMPLATE" / "wrong-number.yml": "vendor.github-issue-forms",
    GITHUB / "ISSUE_TEMPLATE" / "config.yml": "vendor.github-issue-config",
}


def check_schema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("path", sorted(SCHEMAS), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_github_files_match_their_schema(path):
    assert path.exists(), f"{path.relative_to(ROOT)} is missing"
    result = check_schema(SCHEMAS[path], path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_github_schema_checks_can_fail(tmp_path):
    bad_dependabot = tmp_path / "dependabot.yml"
    bad_dependabot.write_text("version: 2\nupdates:\n  - package-ecosystem: pip\n    schedule: {interval: sometimes}\n")
    bad_form = tmp_path / "form.yml"
    bad_form.write_text("name: x\ndescription: y\nbody:\n  - type: input\n    id: a\n")  # an input needs a label
    assert check_schema("vendor.dependabot", bad_dependabot).returncode != 0
    assert check_schema("vendor.github-issue-forms", bad_form).returncode != 0


def test_dependabot_watches_actions_and_pins_but_keeps_torch_on_its_minor():
    import yaml

    updates = {u["package-ecosystem"]: u for u in yaml.safe_load((GITHUB / "dependabot.yml").read_text())["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    assert all(u["directory"] == "/" for u in updates.values())
    torch_rules = [rule for rule in updates["pip"].get("ignore", []) if rule["dependency-name"] == "torch"]
    assert torch_rules and set(torch_rules[0]["update-types"]) >= {
        "version-update:semver-major",
        "version-update:semver-minor",
    }
    # Dependabot reads a .txt file only when every line is a comment or a requirement: keep it that way
    lines = [line.strip() for line in (ROOT / "constraints.txt").read_text().splitlines()]
    strays = [
        line for line in lines if line and not line.startswith("#") and not re.fullmatch(r"[A-Za-z0-9_.\-]+==\S+", line)
    ]
    assert not strays, f"constraints.txt lines Dependabot would not parse: {strays}"
    assert "torch==2.13.0" in lines


def test_the_issue_form_is_bilingual():
    import yaml

    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "wrong-number.yml").read_text(encoding="utf-8"))
    labels = [form["name"]] + [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    hangul = re.compile(r"[\uac00-\ud7a3]")
    one_language = [label for label in labels if not (hangul.search(label) and re.search(r"[A-Za-z]{3}", label))]
    assert not one_language, f"labels in one language only: {one_language}"


def test_licenses_and_the_contributing_pointer_exist():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "CC BY 4.0" in (ROOT / "LICENSE-docs").read_text()
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "docs/contributing.ko.md" in contributing and "docs/contributing.en.md" in contributing
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "LICENSE-docs" in readme and "CC BY 4.0" in readme and "MIT" in readme


# ---- the pull-request checklist and the guide name the same commands ----------------------------

COMMAND = re.compile(r"^(make [a-z][\w-]*|bash \S+|\.venv/bin/[\w-]+)")
PREVIEW_ONLY = {"make serve"}  # the guide's live preview is not a check a pull request runs


def commands(snippets) -> set[str]:
    """``make test``, ``bash .ci/run``, ``.venv/bin/pytest`` … from inline code and shell lines."""
    found = set()
    for snippet in snippets:
        match = COMMAND.match(snippet.strip())
        if match:
            found.add(match.group(1))
    return found


def guide_commands(text: str) -> set[str]:
    snippets = re.findall(r"(?<!`)`([^`\n]+)`(?!`)", text)
    for block in re.findall(r"^```(?:bash|sh|console)\n(.*?)^```", text, flags=re.M | re.S):
        snippets += [line.split("#", 1)[0].lstrip("$ ") for line in block.splitlines()]
    return commands(snippets)


def checklist_commands(text: str) -> set[str]:
    items = [line for line in text.splitlines() if line.lstrip().startswith("- [ ]")]
    return commands(s for item in items for s in re.findall(r"`([^`\n]+)`", item))


def test_commands_are_found_in_code_only():
    guide = "Run `make test` (prose that says make torch is not a command).\n```bash\nmake build   # strict\n```\n"
    assert guide_commands(guide) == {"make test", "make build"}
    template = "- [ ] `make test` passes\n- [ ] `.venv/bin/pytest docs/x.md`\nSee `make lint` (not in the list)\n"
    assert checklist_commands(template) == {"make test", ".venv/bin/pytest"}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_pr_checklist_names_the_guides_commands(lang):
    guide = guide_commands((ROOT / "docs" / f"contributing.{lang}.md").read_text(encoding="utf-8"))
    checklist = checklist_commands((GITHUB / "pull_request_template.md").read_text(encoding="utf-8"))
    assert {"make test", "make build"} <= checklist
    assert checklist == guide - PREVIEW_ONLY, (
        f"only in the PR checklist: {sorted(checklist - guide)}; "
        f"only in docs/contributing.{lang}.md: {sorted(guide - PREVIEW_ONLY - checklist)}"
    )
