"""Another reader's machine, as far as one machine can play it: other kernel paths and other
thread counts. A printed number that changes with either is fragile (a float32 sum of a million
numbers depends on how many threads split it; AVX2 and SSE kernels round differently).

Both languages of a page run the same code and print the same numbers, so each can run under
another setting and together they cover both:

- ``make test``: every page on this CPU's own kernels, one torch thread (:func:`nnref_docs.run.seed`);
- ``make check PAGE=...``: the Korean page as in ``make test``, the English page under :data:`KERNELS`
  with 3 threads (:func:`env`), side by side;
- ``make test-portable`` (``python -m nnref_docs.portable``): every page under :data:`KERNELS`, the
  Korean pages with 3 threads and the English pages with 1.

So every page pair runs on two kernel paths and at 1 and 3 threads; 3 is neither this machine's
default (its core count) nor 1, so a sum split differently shows.
"""

from __future__ import annotations

import os
import subprocess
import sys

from .pairs import LANGS
from .paths import DOCS, ROOT

# the code paths of an older CPU: torch's portable kernels, MKL's and oneDNN's and OpenBLAS's oldest
KERNELS = {
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_CBWR": "COMPATIBLE",
    "ONEDNN_MAX_CPU_ISA": "SSE41",
    "OPENBLAS_CORETYPE": "Prescott",
}
CHECK_THREADS = {"ko": None, "en": "3"}  # make check: None is make test's setting
PORTABLE_THREADS = {"ko": "3", "en": "1"}  # make test-portable


def env(threads: str) -> dict[str, str]:
    """The environment of a page's process on the other machine: :data:`KERNELS` and ``threads``
    torch threads (``NNREF_TORCH_THREADS``, read by :func:`nnref_docs.run.seed`)."""
    return {**KERNELS, "NNREF_TORCH_THREADS": threads}


def pages(lang: str) -> list[str]:
    """Every page of one language, relative to the repository root."""
    return sorted(str(p.relative_to(ROOT)) for p in DOCS.rglob(f"*.{lang}.md"))


def main(argv: list[str] | None = None) -> int:
    """Run the pages of each language under :func:`env` with :data:`PORTABLE_THREADS`; pytest's
    arguments may follow (``python -m nnref_docs.portable -x``)."""
    argv = sys.argv[1:] if argv is None else argv
    status = 0
    for lang in LANGS:
        threads = PORTABLE_THREADS[lang]
        settings = " ".join(f"{k}={v}" for k, v in env(threads).items())
        print(f"== {lang} pages: {settings}", flush=True)
        command = [sys.executable, "-m", "pytest", *argv, *pages(lang)]
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, **env(threads)}, check=False)
        status = status or done.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
