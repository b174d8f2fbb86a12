"""SVG figures carry their size in the HTML: no layout shift (the logic: nnref_docs.figures)."""

from nnref_docs.figures import size_svg_images


def on_page_content(html, page, config, files):
    return size_svg_images(html, page.file.url, files, config.docs_dir)
