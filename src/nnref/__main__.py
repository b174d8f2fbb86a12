"""``python -m nnref``: see :mod:`nnref.cli`."""

import sys

from nnref.cli import main

if __name__ == "__main__":
    sys.exit(main())
