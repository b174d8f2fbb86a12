"""Compare a figure a page draws now with the one shipped beside the page, by what they show.

Two files with the same bytes match at once. Otherwise both are rasterized (SVG with CairoSVG, PNG
as they are) to grey levels and compared pixel by pixel: a pixel *changed* when its grey level
differs by more than :data:`PIXEL_THRESHOLD` (of 255). Floating-point noise moves a curve by a
small fraction of a pixel, which changes anti-aliasing by a few grey levels and no pixel beyond
the threshold; a curve that really moves, a label that changes, a missing line change hundreds.
A figure passes when at most :data:`MAX_CHANGED` of its pixels changed.
"""

from __future__ import annotations

import io
from pathlib import Path

PIXEL_THRESHOLD = 32
MAX_CHANGED = 1e-4  # fraction of the pixels: 30 of a 640 x 480 figure


def rasterize(path: Path):
    """The figure as a 2-D array of grey levels (0 black .. 255 white) on a white background."""
    import numpy as np
    from PIL import Image

    if path.suffix == ".svg":
        import cairosvg  # needs the system's libcairo2

        data = cairosvg.svg2png(bytestring=path.read_bytes(), background_color="white")
    else:
        data = path.read_bytes()
    image = Image.open(io.BytesIO(data))
    if image.mode in ("RGBA", "LA", "P"):
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image.convert("RGBA"))
    return np.asarray(image.convert("L"), dtype=np.int16)


def compare_figures(shipped: Path, made: Path) -> str | None:
    """``None`` when ``made`` shows what ``shipped`` shows, else why not, in one line."""
    if shipped.read_bytes() == made.read_bytes():
        return None
    try:
        want, got = rasterize(shipped), rasterize(made)
    except (ImportError, OSError) as error:
        return f"{made.name} differs byte for byte and cannot be rasterized to compare what it shows ({error})"
    if want.shape != got.shape:
        return f"{made.name} is {got.shape[1]}x{got.shape[0]} px, the shipped one {want.shape[1]}x{want.shape[0]} px"
    changed = int((abs(want - got) > PIXEL_THRESHOLD).sum())
    if changed <= MAX_CHANGED * want.size:
        return None
    return (
        f"{made.name} shows something else than the shipped figure: {changed} of {want.size} pixels "
        f"({100 * changed / want.size:.2f}%) changed, at most {100 * MAX_CHANGED:.2f}% may"
    )
