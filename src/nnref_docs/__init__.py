"""The docs toolkit: how a page of the site is read, run, checked and turned into downloads.

One folder to read to understand how a page is verified. The pytest plugin (``conftest.py``), the
MkDocs hooks (``hooks/``) and the tools (``tools/``) all import from here; nothing here imports
from ``tests/`` or ``hooks/``, and ``nnref`` never imports this package. Every module, one line
each, in three layers: the infrastructure at the bottom, the verify core on it, the site's
features on top. A module imports only from its own layer or the ones below
(``tests/repo/test_module_map.py`` fails when a module is missing or an import runs back up):

Reading and running a page (the verify core):

- :mod:`.findings` one finding of any check, :class:`~.findings.Finding`, worded
  ``docs/<page>.md:<line>: what is wrong``.
- :mod:`.words` every word of the site's interface, in both languages, in one table.
- :mod:`.fences` the one fence scanner: fenced code and text lines, headings, HTML comments.
- :mod:`.parse` a :class:`~.parse.Page` read and parsed once: its executable blocks (each knowing
  its page), the harness directives, a doctest as code.
- :mod:`.compare` the output rule (one unit in the last printed digit) and the doctest checker.
- :mod:`.figures` compares figures by what they show, and sizes each SVG figure on the built page.
- :mod:`.run` runs a page's blocks in one namespace (after the one seeding recipe); each failure
  is a finding.
- :mod:`.pagechild` the child end of the page server: warms up once, forks a process per page.
- :mod:`.pageserver` the parent end: :class:`~.pageserver.PageServer` sends a page's blocks to a child.
- :mod:`.sybil_plugin` plugs the parser and the page server into Sybil, and so into pytest.
- :mod:`.pairs` the two languages of a page: pairing, language, and the code that must match.
- :mod:`.links` links between pages, checked on the Markdown (target page, heading anchor).
- :mod:`.prose` prose checked like code: stated numbers, and what the two languages say.
- :mod:`.glossary` the terms a page must avoid (a check), and the glossary page and tooltips made of the same entries.
- :mod:`.check` ``make check PAGE=...``: every check of one page pair, in seconds.
- :mod:`.portable` another reader's machine: other kernel paths and thread counts, for
  ``make check`` and ``make test-portable``.
- :mod:`.stamps` the record of which pages passed, and the "verified" stamp made from it.
- :mod:`.labs` the lab notebooks: their cells, their run with what each cell printed (kept in the
  record by :mod:`.stamps`), and those outputs and the stamp on a lab's built page.

The site's features (what the MkDocs hooks call, each hook an adapter of a few lines):

- :mod:`.blocknames` which names a block takes from the blocks above it.
- :mod:`.export` a page's code as a script and a notebook (the downloads).
- :mod:`.downloads` the downloads beside each page and lab, and the notes above dependent blocks.
- :mod:`.skiplabel` the box above each block the tests skip.
- :mod:`.errata` the errata page, collected from the erratum boxes of every page.
- :mod:`.apiref` the API reference: links to its entries, the torch-mirror table, Sphinx roles.
- :mod:`.notebooks` the labs as pages under mkdocs-static-i18n.
- :mod:`.math` typesets the pages' math when the site is built, with the site's own KaTeX.
- :mod:`.search` what the site's search indexes, and one index per language.
- :mod:`.book` every page of the nav on one page per language (the book).
- :mod:`.pdf` prints the book to PDF with headless Chromium and checks the PDF (``make book``).

The infrastructure (building and reading the site for the tests and tools):

- :mod:`.paths` where things are: the repository root, ``docs/``, ``mkdocs.yml``, the record.
- :mod:`.sitebuild` builds the site as ``make build`` does.
- :mod:`.browser` the built site served as GitHub Pages serves it, and headless Chromium to read it.
"""

from .findings import Finding
from .parse import Block, Page, ParseError, parse_page

__all__ = ["Block", "Finding", "Page", "ParseError", "parse_page"]
