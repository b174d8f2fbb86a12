"""Where things are in the repository: the one definition every module, hook and tool uses.

The toolkit works on this checkout (it is installed in editable mode by ``make``), so the
repository root is two folders above this file.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MKDOCS_YML = ROOT / "mkdocs.yml"
# which pages' code passed in the last test run, and with which versions: written by the test run
# (nnref_docs.stamps.Recorder), read by the build for each page's "verified" stamp (hooks/stamps.py)
RECORD = Path(".cache") / "nnref" / "verified.json"
