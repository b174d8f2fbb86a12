"""A page's code as one script a reader can run alone, and as a notebook.

On the site a page runs top to bottom in one namespace (see :mod:`.run`), so a block copied alone
often stops at a ``NameError``. The build offers every page's code whole instead
(``hooks/downloads.py``), made here from the blocks :func:`parse_page` finds, so the tests and the
download agree on what the code is:

- every block in page order: hidden setup included; a skipped block, or one that checks the page's
  own Markdown (it reads ``__file__``), commented out with the reason;
- before them the seeds and thread count the harness sets for each page, so the output matches;
- the output the page shows under each block, as comments (script) or cell outputs (notebook);
- a ``pycon`` session as code: ``>>> expr`` lines that show a value become ``print(repr(expr))``;
- at the top, the line that installs what the code imports (:data:`INSTALL_COMMAND`) and the files
  the code writes into the folder it runs in (:func:`files_written`: figures, checkpoints).

In the notebook, a cell that ends in a bare expression (``torch.manual_seed(0)``) ends in ``;``, so
Jupyter does not show a value (``<torch._C.Generator at 0x...>``) that the page does not print.

The script is in the "percent" format (``# %%`` starts a cell) that Jupytext, VS Code and
PyCharm read as cells. The harness runs each page's blocks in a fresh process of its own
(:mod:`.pageserver`), which is what the script does; ``tests/toolkit/test_downloads.py`` checks what the script
does differently (the cells it leaves out, its seed cell) on every page, and runs a few scripts
end to end in a fresh interpreter.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .blocknames import analyse, uses_from_above
from .compare import normalize_output
from .parse import Block, doctest_as_code, parse_page
from .run import seed_code
from .words import WORDS

# The line at the top of every download: nnref with the `examples` extra of pyproject.toml, which
# brings every third-party module the pages' code imports (tests/toolkit/test_downloads.py checks that it
# stays so), PyTorch's CPU build through the extra index, from the repository that mkdocs.yml names
# (tests/repo/test_package_install.py checks both, and installs the built wheel with this line into a
# fresh venv to run downloaded scripts). The command line's own message (nnref.cli) asks only for
# what the command line needs, `nnref[torch]`.
INSTALL_EXTRA = "examples"
INSTALL_COMMAND = (
    f'pip install "nnref[{INSTALL_EXTRA}] @ git+https://github.com/nnref/nnref" '
    "--extra-index-url https://download.pytorch.org/whl/cpu"
)

TEXT = WORDS["export"]  # nnref_docs.words


@dataclass
class Cell:
    """One cell of the script: the seed cell (``block is None``) or one block of the page."""

    title: str
    code: str  # what runs (a pycon session already turned into code)
    runs: bool = True
    block: Block | None = None
    expected: str | None = None  # the output the page shows under the block
    uses: list[str] = field(default_factory=list)  # names it takes from earlier blocks
    start: int = 0  # 1-based script lines: the "# %%" line, and the cell's last line
    end: int = 0


@dataclass
class PageCode:
    lang: str
    header: str
    cells: list[Cell]
    script: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    def block_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.block is not None]

    def files(self) -> list[str]:
        """The files the code writes into the folder it runs in (see :func:`files_written`)."""
        return files_written([cell.code for cell in self.cells if cell.runs])

    def notebook(self):
        """The same cells as an nbformat notebook (outputs from the page, nothing executed)."""
        import nbformat
        from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

        words = TEXT[self.lang]
        intro = self.notes["intro"]
        files = self.files()
        if files:
            intro += "\n\n" + words["writes"].format(files=", ".join(f"`{name}`" for name in files))
        install = f"{words['install']}\n\n```bash\n{INSTALL_COMMAND}\n```\n\n{words['install_jupyter']}"
        cells = [new_markdown_cell(f"# {self.notes['title']}\n\n{intro}\n\n{install}")]
        for cell in self.cells:
            code = cell.code if cell.runs else _commented(cell.code)
            if cell.runs and cell.block is not None:  # the seed cell ends in a call that returns None
                code = quiet_last_value(code)
            if cell.block is None or cell.block.kind == "hidden" or not cell.runs:
                cells.append(new_markdown_cell(f"*{cell.title}*"))
            outputs = []
            if cell.expected and cell.runs:
                outputs.append(new_output("stream", name="stdout", text=normalize_output(cell.expected) + "\n"))
            made = new_code_cell(code.rstrip("\n"), outputs=outputs)
            if cell.block is not None:
                made.metadata["nnref"] = {"page_line": cell.block.line}
            cells.append(made)
        for k, cell in enumerate(cells):
            cell.id = f"cell-{k}"
        notebook = new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        notebook.metadata["language_info"] = {"name": "python"}
        return nbformat.writes(notebook)


def quiet_last_value(code: str) -> str:
    """``code`` with a ``;`` after its last statement when that is a bare expression (not ``print()``).

    Jupyter shows the value of a cell's last expression; a script, which the page's output comes
    from, does not. ``torch.manual_seed(0)`` at the end of a cell would show
    ``<torch._C.Generator at 0x...>`` under it, which the page does not print: the ``;`` hides it.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:  # the harness reports it with its line
        return code
    if not tree.body or not isinstance(last := tree.body[-1], ast.Expr):
        return code
    value = last.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "print":
        return code
    if isinstance(value, ast.Constant) and value.value is None:  # a ``>>> None`` line of a session
        return code
    lines = code.splitlines(keepends=True)
    line = lines[last.end_lineno - 1].encode("utf-8")  # ast's columns count UTF-8 bytes
    lines[last.end_lineno - 1] = (line[: last.end_col_offset] + b";" + line[last.end_col_offset :]).decode("utf-8")
    return "".join(lines)


# The calls that write a file: the callee (a method by its name, a function as the page writes it)
# and where the path is (its position among the arguments, its keyword). A call with the keyword
# ``checkpoint`` (``nnref.train.fit(..., checkpoint="best.pt")``) writes one too.
WRITERS = {
    "savefig": (0, "fname"),  # fig.savefig(path), plt.savefig(path)
    "torch.save": (1, "f"),
    "np.save": (0, "file"),
    "np.savez": (0, "file"),
    "open": (0, "file"),  # only with a mode that writes
}
WRITER_KEYWORDS = ("checkpoint",)


def writes(code: str) -> list[tuple[int, str | None]]:
    """Each call in ``code`` that writes a file, as (its line in ``code``, the path, or ``None``
    where the path is not a string literal and so cannot be named before the code runs)."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        callee = "savefig" if isinstance(func, ast.Attribute) and func.attr == "savefig" else ast.unparse(func)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        paths = [keywords[k] for k in WRITER_KEYWORDS if k in keywords]
        if callee in WRITERS:
            position, keyword = WRITERS[callee]
            path = node.args[position] if len(node.args) > position else keywords.get(keyword)
            mode = node.args[1] if len(node.args) > 1 else keywords.get("mode")
            writing = callee != "open" or (isinstance(mode, ast.Constant) and bool(set(str(mode.value)) & set("wax")))
            if path is not None and writing:
                paths.append(path)
        for path in paths:
            if isinstance(path, ast.Constant) and path.value is None:  # checkpoint=None: no file
                continue
            literal = isinstance(path, ast.Constant) and isinstance(path.value, str)
            found.append((path.lineno, path.value if literal else None))
    return sorted(found, key=lambda item: item[0])


def files_written(codes: list[str]) -> list[str]:
    """The files that code run in this order writes, each named once, in the order first written."""
    names: dict[str, None] = {}
    for code in codes:
        try:
            for _, path in writes(code):
                if path is not None:
                    names[path] = None
        except SyntaxError:  # the harness reports it with its line
            continue
    return list(names)


def _commented(code: str, mark: str = "# ") -> str:
    return "".join(f"{mark}{line}".rstrip() + "\n" for line in code.splitlines())


def _block_cell(block: Block, words: dict) -> Cell:
    title = words["cell"].format(line=block.line)
    code, expected = block.source, block.expected
    if block.kind == "doctest":
        code, expected = doctest_as_code(block.source)
    runs = block.skip_reason is None
    if not runs:
        title += " · " + words["skipped"].format(reason=block.skip_reason)
    else:
        try:
            reads_file = "__file__" in analyse(code)[0]
        except SyntaxError:
            reads_file = False
        if reads_file:
            runs, title = False, title + " · " + words["self_check"]
        elif block.kind == "hidden":
            title += " · " + words["hidden"]
    return Cell(title=title, code=code, runs=runs, block=block, expected=expected)


def page_code(
    text: str, *, source: str, lang: str, title: str | None = None, url: str | None = None
) -> PageCode | None:
    """The code of one page (its Markdown ``text``), or ``None`` when it has no python block.

    ``source`` names the page in the header (``docs/02-backprop/chain-rule.en.md``); ``url`` is
    where the page is published.
    """
    if lang not in TEXT:
        raise ValueError(f"lang must be one of {sorted(TEXT)}, got {lang!r}")
    blocks = parse_page(text)
    if not blocks:
        return None
    words = TEXT[lang]
    title = (title or source).replace("\n", " ")
    url = url or source
    cells = [Cell(title=words["seed"], code=seed_code(torch_too="torch" in text))]
    cells += [_block_cell(block, words) for block in blocks]
    uses = uses_from_above([cell.code if cell.runs else None for cell in cells[1:]])
    for cell, names in zip(cells[1:], uses, strict=True):
        cell.uses = names
    page = PageCode(lang=lang, header="", cells=cells)
    files = page.files()
    made = words["writes"].format(files=", ".join(files)) + "\n\n" if files else ""
    page.header = words["header"].format(title=title, url=url, source=source, install=INSTALL_COMMAND, writes=made)
    page.notes = {"title": title, "intro": words["intro"].format(url=url, source=source)}
    page.script = _script(page, words)
    return page


def _script(page: PageCode, words: dict) -> str:
    lines = _commented(page.header).splitlines()
    for cell in page.cells:
        lines.append("")
        lines.append("")
        cell.start = len(lines) + 1
        lines.append(f"# %% {cell.title}")
        body = cell.code if cell.runs else _commented(cell.code)
        lines += body.rstrip("\n").splitlines()
        if cell.expected and cell.runs:
            lines.append(f"# {words['output']}")
            lines += _commented(normalize_output(cell.expected)).splitlines()
        cell.end = len(lines)
    return "\n".join(lines) + "\n"
