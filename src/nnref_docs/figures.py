"""Compare a figure a page draws now with the one shipped beside the page, by what they show.

Two files with the same bytes match at once. Otherwise both are rasterized (SVG with CairoSVG, PNG
as they are) to grey levels and compared pixel by pixel. A pixel has *changed* when no pixel of the
other picture within :data:`SHIFT` pixels of it has a grey level within :data:`PIXEL_THRESHOLD`
(of 255), in either direction. Floating-point noise moves a marker or a curve by a fraction of a
pixel, which this forgives; a curve that really moves, a label that changes or a missing line
change hundreds of pixels. A figure passes when at most :data:`MAX_CHANGED` of its pixels changed.

On the built site (``hooks/figures.py``), :func:`size_svg_images` gives every SVG figure its size in
the HTML, so the page does not jump when the figure loads.
"""

from __future__ import annotations

import io
import posixpath
import re
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


# ---- figure sizes on the built page -------------------------------------------------------------

_IMG = re.compile(r'<img (?![^>]*\bwidth=)([^>]*\bsrc="([^"]+\.svg)"[^>]*?)\s*/?>')
_SVG = re.compile(r"<svg\b[^>]*>", re.S)
_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def svg_size(text: str) -> tuple[int, int] | None:
    """The (width, height) in CSS pixels that an SVG document declares, or None."""
    tag = _SVG.search(text)
    if tag is None:
        return None
    attrs = dict(re.findall(r'\b(width|height|viewBox)="([^"]*)"', tag[0]))
    sizes = [re.fullmatch(r"\s*([\d.]+)\s*(px|pt|in|cm|mm)?\s*", attrs.get(k, "")) for k in ("width", "height")]
    if all(sizes):
        w, h = (float(m[1]) * _UNITS[m[2] or ""] for m in sizes)
    elif "viewBox" in attrs and len(attrs["viewBox"].split()) == 4:
        w, h = (float(v) for v in attrs["viewBox"].split()[2:])
    else:
        return None
    return (round(w), round(h)) if w > 0 and h > 0 else None


def size_svg_images(html: str, page_url: str, files, docs_dir: Path) -> str:
    """``html`` with the size each local SVG declares (:func:`svg_size`) on its ``<img>`` tag.

    A Markdown image ``![alt](plot.svg)`` becomes ``<img>`` without width or height: the browser
    learns the size only once the file arrives and then pushes the text below it down (layout
    shift; Lighthouse's "unsized images"). The size goes onto the tag in CSS pixels: the figure is
    drawn at the same size as before, and CSS still scales it down to the column (``max-width:
    100%; height: auto``). ``page_url`` is the page's URL in the site; the SVG is found among the
    site's ``files`` (by ``dest_uri``) or else under ``docs_dir``.
    """
    site_path = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"

    def sized(match):
        src = match[2]
        if "://" in src or src.startswith(("/", "data:")):
            return match[0]
        target = posixpath.normpath(posixpath.join(site_path, src))
        found = next((f for f in files if f.dest_uri == target), None)
        path = Path(found.abs_src_path) if found else Path(docs_dir) / target
        size = svg_size(path.read_text(encoding="utf-8")) if path.is_file() else None
        if size is None:
            return match[0]
        return f'<img {match[1]} width="{size[0]}" height="{size[1]}" />'

    return _IMG.sub(sized, html)


SAVEFIG = re.compile(r"\bsavefig\(")
# a call that puts text into a figure (its title, axis labels, legend, annotations), or a label=
FIGURE_TEXT = re.compile(
    r"\.(?:set_title|set_xlabel|set_ylabel|suptitle|title|xlabel|ylabel|text|annotate|legend"
    r"|set_xticklabels|set_yticklabels)\(|\blabel="
)
LITERAL = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")


def savefig_line(text: str, name: str) -> int:
    """The line of a page that saves the figure ``name``: the first ``savefig(`` line that names it
    in a string literal, else the first ``savefig(`` line, else 1."""
    lines = text.splitlines()
    calls = [n for n, line in enumerate(lines, 1) if SAVEFIG.search(line)]
    named = [n for n in calls if f'"{name}"' in lines[n - 1] or f"'{name}'" in lines[n - 1]]
    return (named or calls or [1])[0]


def figure_labels(text: str) -> list[str]:
    """The string literals of a page's code on lines that put text into a figure, in page order."""
    from .parse import parse_page

    return [
        a or b
        for block in parse_page(text)
        for line in block.source.splitlines()
        if FIGURE_TEXT.search(line)
        for a, b in LITERAL.findall(line)
    ]


def figure_fix(page: Path, root: Path) -> str:
    """What fixes a figure finding of ``page``: ``make figures`` for this page pair, unless the two
    languages put different text into their figures, which write one shared file each."""
    from .pairs import LANGS, page_language

    lang = page_language(page)
    pair = [page.with_name(page.name.replace(f".{lang}.", f".{other}.", 1)) for other in LANGS]
    try:
        shown = page.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = page.as_posix()
    if lang in LANGS and all(path.exists() for path in pair):
        labels = [figure_labels(path.read_text(encoding="utf-8")) for path in pair]
        if labels[0] != labels[1]:
            first = next((two for two in zip(*labels, strict=False) if two[0] != two[1]), None)
            shown_labels = " / ".join(map(repr, first)) if first else "one has more labels"
            return (
                f"{pair[0].name} and {pair[1].name} put different text into their figures ({shown_labels}), and "
                "both write the same file: `make figures` cannot fix that; use the same labels in both languages "
                "(math symbols or short English)"
            )
    return f"if the change is meant, run `make figures PAGE={shown}`, look at the figure and commit it"
