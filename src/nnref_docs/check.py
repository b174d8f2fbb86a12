"""Check one page pair, everything about it, in seconds: ``make check PAGE=03-pytorch/optimizers``.

For a contributor who has just written or changed a page: both languages are checked, and every
finding is printed as ``docs/<page>.<lang>.md:<line>: what is wrong``. The same functions run
over the whole site in ``make test``; this command runs them on one pair, without building the
site. What is checked, and which rule of the contributing guide it enforces:

1. ``pair``: the page exists as ``<page>.ko.md`` and ``<page>.en.md`` (every page in both languages).
2. ``parse``: the harness can read both (fences closed, directives with reasons, output blocks
   right under their code).
3. ``parity``: both run the same code, comments and string literals aside (first differing line).
4. ``run``: every python block runs, in page order, in a fresh process per page, and prints what
   its ```` ```text ```` block shows (one unit in the last printed digit); figures show the same.
   The Korean page runs as in ``make test``; the English page, which prints the same numbers, runs
   on another CPU's kernel paths with 3 threads (:mod:`nnref_docs.portable`), so an output that
   changes with the machine or the thread count fails here, not on a reader's machine.
5. ``glossary``: the Korean page uses the glossary's spelling (docs/glossary.yml, ``avoid``).
   ``prose``: a number in running text is printed or set by the page's code or names its source,
   both languages carry the same numbers, links and code names per section, and no English
   sentence is left in the Korean page (:mod:`nnref_docs.prose`).
6. ``links``: every link to a page, file or heading points at something that exists.
7. ``nav``: the page is in ``mkdocs.yml``'s ``nav`` (the strict build refuses a page outside it).

Exit status 0 when nothing is found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .findings import Finding
from .glossary import avoided_terms, load
from .links import link_problems
from .pageserver import PageServer
from .pairs import LANGS, nav_pages, page_key, parity_problems
from .parse import Page, ParseError
from .paths import DOCS, MKDOCS_YML
from .portable import CHECK_THREADS, env
from .prose import number_problems, untranslated
from .prose import parity_problems as prose_parity


def pair_key(argument: str, docs: Path = DOCS) -> str:
    """``docs/03-pytorch/optimizers.ko.md``, ``03-pytorch/optimizers.md`` or ``03-pytorch/optimizers``
    -> ``03-pytorch/optimizers``."""
    path = Path(argument)
    if path.is_absolute() or path.parts[:1] == (docs.name,):
        try:
            path = path.resolve().relative_to(docs.resolve())
        except ValueError:
            path = Path(*path.parts[1:])
    key = page_key(path)
    return key[: -len(".md")] if key.endswith(".md") else key


def run_blocks(
    page: Page, server: PageServer | None = None, threads: str | None = None
) -> tuple[list[Finding], int, int]:
    """Run one page's (already parsed) blocks as ``make test`` does, on ``server`` or on a server of
    its own (with ``threads`` torch threads on another CPU's kernel paths,
    :func:`nnref_docs.portable.env`); (findings, blocks run, skipped)."""
    if not page.blocks:
        return [], 0, 0
    if server is not None:
        return server.run_page(page.path, page.root, page.blocks)
    own = PageServer(env(threads) if threads else None)
    try:
        return own.run_page(page.path, page.root, page.blocks)
    finally:
        own.close()


def nav_line(mkdocs_yml: Path, key: str) -> tuple[int, str]:
    """Where a page missing from the nav goes: the last line that lists a page of its chapter
    (``03-pytorch/...``), else the ``nav:`` line; with the words that say so."""
    chapter = key.rsplit("/", 1)[0] + "/" if "/" in key else None
    lines = mkdocs_yml.read_text(encoding="utf-8").splitlines()
    siblings = [n for n, text in enumerate(lines, 1) if chapter and re.search(rf"\s{re.escape(chapter)}\S+\.md", text)]
    if siblings:
        return siblings[-1], f"to its chapter's section, after {lines[siblings[-1] - 1].split(chapter, 1)[1].strip()}"
    nav = next((n for n, text in enumerate(lines, 1) if text.startswith("nav:")), 1)
    return nav, "under its chapter"


def check_pair(
    key: str, docs: Path = DOCS, mkdocs_yml: Path = MKDOCS_YML, run: bool = True, server: PageServer | None = None
) -> tuple[list[Finding], list[str]]:
    """All findings for one page pair, and a line per check for the summary; each page is read
    and parsed once (a :class:`~nnref_docs.parse.Page`), and every check gets that page.

    The pages run side by side, each on a server of its own, or one after the other on ``server``
    (a test passes the one its process already has, instead of starting two).
    """
    paths = {lang: docs / f"{key}.{lang}.md" for lang in LANGS}
    root = docs.parent
    found: list[Finding] = []
    summary: list[str] = []
    present = {lang: Page.load(path, root) for lang, path in paths.items() if path.exists()}  # each read once
    for lang, path in paths.items():
        if lang not in present:
            found.append(Finding.at(path, 1, f"missing: every page needs {key}.ko.md and {key}.en.md", root))
    summary.append(f"pair      {'ok' if len(present) == len(paths) else 'missing a language'}")
    if not present:
        return found, summary

    parsed = {}
    for lang, page in present.items():
        try:
            parsed[lang] = page.blocks  # parsed here, once; the checks below use these blocks
        except ParseError as error:
            found.append(page.finding(error.line, error.message))
    summary.append("parse     " + ", ".join(f"{lang} {len(b)} blocks" for lang, b in parsed.items()))

    if len(parsed) == len(paths):
        differ = parity_problems(present["ko"], present["en"])
        found += differ
        summary.append(f"parity    {'same code' if not differ else 'differs'}")

    if run and parsed:
        if server is None:
            with ThreadPoolExecutor(max_workers=len(parsed)) as pool:  # one process per page, side by side
                runs = {lang: pool.submit(run_blocks, present[lang], None, CHECK_THREADS[lang]) for lang in parsed}
            results = {lang: future.result() for lang, future in runs.items()}
        else:
            results = {lang: run_blocks(present[lang], server) for lang in parsed}
        words = []
        for lang, (problems, ran, skipped) in results.items():
            found += problems
            other = server is None and CHECK_THREADS[lang]
            where = f" ({CHECK_THREADS[lang]} threads, portable kernels)" if other else ""
            words.append(
                f"{lang} {ran} ran{where}"
                + (f", {skipped} skipped" if skipped else "")
                + (" FAILED" if problems else "")
            )
        summary.append("run       " + "; ".join(words))

    if "ko" in present:
        ko = present["ko"]
        variants = avoided_terms(ko.text, load(str(docs / "glossary.yml")))
        found += [ko.finding(v.line, f"glossary: write '{v.term}', not '{v.found}'") for v in variants]
        summary.append(f"glossary  {'ok' if not variants else f'{len(variants)} variants'}")

    prose = [problem for page in present.values() for problem in number_problems(page)]
    if len(present) == len(paths):
        prose += prose_parity(present["ko"], present["en"]) + untranslated(present["ko"])
    found += prose
    summary.append(f"prose     {'ok' if not prose else f'{len(prose)} findings'}")

    broken = [problem for page in present.values() for problem in link_problems(page, docs)]
    found += broken
    summary.append(f"links     {'ok' if not broken else f'{len(broken)} broken'}")

    listed = f"{key}.md" in nav_pages(mkdocs_yml)
    if not listed:
        line, where = nav_line(mkdocs_yml, key)
        found.append(Finding.at(mkdocs_yml, line, f"nav: {key}.md is not in the nav (add it {where})", root))
    summary.append(f"nav       {'listed' if listed else 'missing'}")
    return found, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnref_docs.check", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "pages", nargs="+", help="a page of the pair: docs/03-pytorch/optimizers.ko.md, or 03-pytorch/optimizers"
    )
    parser.add_argument("--no-run", action="store_true", help="skip running the code (the static checks only)")
    args = parser.parse_args(argv)
    status = 0
    for argument in args.pages:
        start = time.perf_counter()
        key = pair_key(argument, DOCS)
        found, summary = check_pair(key, DOCS, MKDOCS_YML, run=not args.no_run)
        print(f"docs/{key} ({time.perf_counter() - start:.1f} s)")
        for line in summary:
            print(f"  {line}")
        for finding in found:
            print(finding)
        status = status or int(bool(found))
    return status


if __name__ == "__main__":
    sys.exit(main())
