"""The docs toolkit: how a page of the site is read, run, checked and turned into downloads.

One folder to read to understand how a page is verified. The pytest plugin (``conftest.py``), the
MkDocs hooks (``hooks/``) and the tools (``tools/``) all import from here; nothing here imports
from ``tests/`` or ``hooks/``, and ``nnref`` never imports this package.

- :mod:`.fences` the one fence scanner: which lines are fenced code, which are text.
- :mod:`.parse` the executable blocks of a page and the harness directives.
- :mod:`.compare` the output rule (one unit in the last printed digit) and the doctest checker.
- :mod:`.run` runs a page's blocks in one namespace and words each failure as ``file:line``.
- :mod:`.collect` plugs the parser and runner into Sybil, and so into pytest.
- :mod:`.pages` the two languages of a page: pairing, language, the code that must match.
- :mod:`.figures` compares figures by what they show, and gives each SVG figure its size on the
  built page.
- :mod:`.math` typesets the pages' math when the site is built, with the site's own KaTeX.
- :mod:`.portable` another reader's machine: other kernel paths and thread counts, for
  ``make check`` and ``make test-portable``.
- :mod:`.export` a page's code as a script and a notebook (the downloads); :mod:`.uses` which
  names a block takes from the blocks above it.
- :mod:`.glossary`, :mod:`.errata`, :mod:`.stamps` the glossary, the errata page and the
  "verified" stamp; :mod:`.sitebuild` builds the site as ``make build`` does; :mod:`.paths`.
- :mod:`.labs` the lab notebooks: their cells, their run with what each cell printed (kept in the
  record by :mod:`.stamps`), and those outputs and the stamp on a lab's built page.
- :mod:`.book` every page of the nav on one page per language (the book); :mod:`.pdf` prints it to
  PDF with headless Chromium and checks the PDF (``make book``).
- What the MkDocs hooks do, each hook an adapter of a few lines: :mod:`.apiref` the API reference
  (links to its entries, the torch-mirror table, the griffe extension for Sphinx roles);
  :mod:`.downloads` the downloads beside each page and lab, and the notes above dependent blocks;
  :mod:`.notebooks` the labs as pages under mkdocs-static-i18n; :mod:`.skiplabel` the box above
  each block the tests skip.
"""

from .parse import Block, ParseError, parse_page

__all__ = ["Block", "ParseError", "parse_page"]
