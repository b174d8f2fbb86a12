"""The output and figure comparisons forgive floating-point noise and nothing else."""

from pathlib import Path

import pytest

from nnref_docs.compare import check_output, outputs_match
from nnref_docs.figures import compare_figures
from nnref_docs.parse import parse_page
from nnref_docs.run import PageRun


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ("-0.0041", "-0.0040"),  # the gelu(-3): exact value -0.0040497
        ("-0.0041", "-0.0042"),
        ("loss 0.1255, acc 0.98", "loss 0.1256, acc 0.97"),
        ("1.4e-14", "1.5e-14"),
        ("-0.0000", "0.0000"),
        ("x = 0.5\n\n", "x = 0.5   "),  # trailing space and blank lines never count
        ("w5 = 0.5600", "w5 = 0.5601"),
    ],
)
def test_noise_passes(expected, actual):
    assert outputs_match(expected, actual)
    assert check_output(expected, actual) is None


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ("val success rate 1.000", "val success rate 0.992"),  # a real difference
        ("-0.0041", "-0.0043"),  # two units
        ("0.50", "0.5"),  # written another way
        ("1.4e-14", "0.000"),
        ("parameters: 100", "parameters: 101"),  # integers are exact
        ("shape (2, 3)", "shape (3, 2)"),
        ("138,357,544", "138,357,545"),
        ("train loss 0.1255", "valid loss 0.1255"),  # a word
        ("epoch 1\nepoch 2", "epoch 1"),  # a missing line
        ("torch 2.13.0", "torch 2.13.1"),  # a version is text, not a decimal
        ("conv2d", "conv3d"),
    ],
)
def test_real_differences_fail(expected, actual):
    assert not outputs_match(expected, actual)
    assert check_output(expected, actual) is not None


def test_tolerance_is_in_units_of_the_last_digit():
    assert outputs_match("0.500000", "0.500003", tolerance=5)
    assert not outputs_match("0.500000", "0.500006", tolerance=5)
    assert not outputs_match("-0.0041", "-0.0040", tolerance=0)
    assert outputs_match("-0.0041", "-0.0041", tolerance=0)


def test_the_diff_marks_only_real_changes():
    message = check_output("a 0.1231\nb 0.500\nc 7", "a 0.1232\nb 0.900\nc 7")
    assert "-b 0.500\n+b 0.900" in message
    assert "+a 0.1232" not in message and " a 0.1231" in message


def test_directives_set_the_tolerance_of_the_next_block():
    page = (
        '<!-- output: tolerance 3 "why" -->\n```python\nprint(1.0)\n```\n\n```text\n1.0\n```\n\n'
        "<!-- output: exact -->\n```python\nprint(2.0)\n```\n\n```text\n2.0\n```\n\n"
        "```python\nprint(3.0)\n```\n\n```text\n3.0\n```\n"
    )
    blocks = parse_page(page)
    assert [(b.tolerance, b.tolerance_reason) for b in blocks] == [(3, "why"), (0, None), (1, None)]


# figures ---------------------------------------------------------------------------------------


def _draw(path: Path, scale: float = 1.0, shift: float = 0.0, title: str = "loss") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    matplotlib.rcParams["svg.hashsalt"] = "nnref"
    x = np.linspace(0.0, 10.0, 200)
    y = np.exp(-0.3 * x) * scale
    y[100:] += shift
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    ax.plot(x, y, label="train")
    ax.plot(x, 0.8 * np.exp(-0.2 * x), label="val")
    ax.set_ylim(0.0, 1.2)
    ax.set_title(title)
    ax.legend()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)


@pytest.fixture
def shipped(tmp_path) -> Path:
    path = tmp_path / "shipped.svg"
    _draw(path)
    return path


def test_a_figure_that_differs_by_noise_passes(shipped, tmp_path):
    made = tmp_path / "made.svg"
    _draw(made, scale=1.0 + 1e-6)  # another CPU's last digits
    assert made.read_bytes() != shipped.read_bytes()
    assert compare_figures(shipped, made) is None


@pytest.mark.parametrize(
    "change", [{"shift": 0.03}, {"scale": 1.05}, {"title": "loss (log)"}], ids=["half-curve", "scaled", "title"]
)
def test_a_figure_that_really_changed_fails(shipped, tmp_path, change):
    made = tmp_path / "made.svg"
    _draw(made, **change)
    problem = compare_figures(shipped, made)
    assert problem is not None and "shows something else" in problem


def test_the_page_run_checks_figures_by_what_they_show(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "fig.md"
    page.write_text(
        '```python\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1, 2], [0.0, 1.0, 0.5])\nfig.savefig("fig-line.svg")\n```\n'
    )
    run = PageRun(page, tmp_path)
    run.setup({})
    try:
        for block in parse_page(page.read_text()):
            assert run.run_block(block) is None
        made = run.workdir / "fig-line.svg"
        shipped = docs / "fig-line.svg"
        # noise: the same picture with the line's coordinates off in their third decimal
        import re

        def bump(path: re.Match) -> str:
            return re.sub(r"\d+\.\d+", lambda m: f"{float(m[0]) + 0.004:.6f}", path[0])

        text = made.read_text()
        shipped.write_text(re.sub(r'<path d="M [^"]*" clip-path', bump, text))
        assert shipped.read_bytes() != made.read_bytes()
        assert run.check_figures() is None
        # a real change: the committed figure has another line
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [0.0, 0.2, 0.5])
        fig.savefig(shipped)
        plt.close(fig)
        problem = run.check_figures()
        assert problem.startswith("docs/fig.md:5: fig-line.svg shows something else")  # the savefig line
        shipped.unlink()
        assert "missing beside the page" in run.check_figures()
    finally:
        run.teardown({})
