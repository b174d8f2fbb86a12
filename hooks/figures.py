"""Give every SVG figure its size in the HTML, so the page does not jump when the figure loads.

A Markdown image ``![alt](plot.svg)`` becomes ``<img>`` without width or height: the browser
learns the size only once the file arrives and then pushes the text below it down (layout shift;
Lighthouse's "unsized images"). This hook copies the size the SVG declares (its width and height,
or its viewBox) onto the tag, in CSS pixels. The figure is drawn at the same size as before, and
CSS still scales it down to the column (``max-width: 100%; height: auto``).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

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


def on_page_content(html, page, config, files):
    site_path = page.file.url if page.file.url.endswith("/") else posixpath.dirname(page.file.url) + "/"

    def sized(match):
        src = match[2]
        if "://" in src or src.startswith(("/", "data:")):
            return match[0]
        target = posixpath.normpath(posixpath.join(site_path, src))
        found = next((f for f in files if f.dest_uri == target), None)
        path = Path(found.abs_src_path) if found else Path(config.docs_dir) / target
        size = svg_size(path.read_text(encoding="utf-8")) if path.is_file() else None
        if size is None:
            return match[0]
        return f'<img {match[1]} width="{size[0]}" height="{size[1]}" />'

    return _IMG.sub(sized, html)
