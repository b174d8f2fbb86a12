"""Compare a figure a page draws now with the one shipped beside the page, by what they show.

Two files with the same bytes match at once. Otherwise both are rasterized (SVG with CairoSVG, PNG
as they are) to grey levels and compared pixel by pixel. A pixel has *changed* when no pixel of the
other picture within :data:`SHIFT` pixels of it has a grey level within :data:`PIXEL_THRESHOLD`
(of 255), in either direction. Floating-point noise moves a marker or a curve by a fraction of a
pixel, which this forgives; a curve that really moves, a label that changes or a missing line
change hundreds of pixels. A figure passes when at most :data:`MAX_CHANGED` of its pixels changed.
"""

from __future__ import annotations

import io
from pathlib import Path

PIXEL_THRESHOLD = 32
SHIFT = 1  # pixels: anti-aliased edges of a sub-pixel move land within one pixel
MAX_CHANGED = 5e-4  # fraction of the pixels: 150 of a 640 x 480 figure


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


def _unmatched(a, b):
    """Pixels of ``a`` with no pixel of ``b`` within SHIFT px whose grey level is close."""
    import numpy as np

    height, width = a.shape
    padded = np.pad(b, SHIFT, mode="edge")
    best = np.full(a.shape, 255, dtype=np.int16)
    for dy in range(2 * SHIFT + 1):
        for dx in range(2 * SHIFT + 1):
            best = np.minimum(best, abs(a - padded[dy : dy + height, dx : dx + width]))
    return best > PIXEL_THRESHOLD


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
    changed = int((_unmatched(want, got) | _unmatched(got, want)).sum())
    if changed <= MAX_CHANGED * want.size:
        return None
    return (
        f"{made.name} shows something else than the shipped figure: {changed} of {want.size} pixels "
        f"({100 * changed / want.size:.2f}%) changed, at most {100 * MAX_CHANGED:.2f}% may"
    )
