"""The labs (jupytext notebooks, ``labs/x.<lang>.py``) as pages of the site, for ``hooks/i18n_notebooks.py``.

- :func:`wrap_notebook_files`: mkdocs-static-i18n rebuilds every ``File`` for each language
  (priority -100). The rebuilt files are plain ``File`` objects, so a lab ``labs/x.ko.py`` stops
  being a documentation page and its raw source is copied to ``labs/x/index.html``
  (mkdocs-static-i18n issue #198); ``--strict`` does not notice. The hook runs this after i18n and
  wraps those files in mkdocs-jupyter's ``NotebookFile`` again, so mkdocs-jupyter renders them.
  ``tests/site/test_site_build.py`` checks the built pages hold cells.
- :func:`retitle`: unique, Korean-aware heading ids and the table of contents built from them.
- :func:`as_site_page`: the cells without the notebook viewer's own chrome.
"""

from __future__ import annotations

import re


def wrap_notebook_files(files, plugin, config):
    """``files`` with every file that mkdocs-jupyter's ``plugin`` includes as a ``NotebookFile``."""
    from mkdocs.structure.files import Files
    from mkdocs_jupyter.plugin import NotebookFile

    wrapped = []
    for file in files:
        if not isinstance(file, NotebookFile) and plugin.should_include(file):
            notebook = NotebookFile(file, use_directory_urls=config.use_directory_urls, site_dir=config.site_dir)
            # keep the language-aware destination that i18n computed (labs/x/ and en/labs/x/)
            notebook.dest_path = file.dest_path
            notebook.abs_dest_path = file.abs_dest_path
            notebook.url = file.url
            file = notebook
        wrapped.append(file)
    return type(files)(files.plugin, wrapped) if hasattr(files, "plugin") else Files(wrapped)


def is_notebook(page) -> bool:
    """Whether ``page`` is rendered by mkdocs-jupyter (a lab)."""
    from mkdocs_jupyter.plugin import NotebookFile

    return isinstance(page.file, NotebookFile)


def retitle(html: str):
    """``(html, toc)``: the notebook's headings with unique, Korean-aware ids, and the table of
    contents built from them.

    nbconvert's ids drop Hangul (``문제 1. …`` becomes ``1``, often twice on one page) while
    mkdocs-jupyter builds the table of contents with other, de-duplicated slugs, so the TOC links of
    a Korean lab point nowhere. Both are rebuilt here from the rendered headings.
    """
    from mkdocs.structure.toc import get_toc
    from pymdownx.slugs import slugify

    slug = slugify(case="lower")
    seen: dict[str, int] = {}
    flat = []

    def heading(match):
        level, old, attrs, inner = int(match[1]), match[2], match[3], match[4]
        text = re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner)
        name = re.sub(r"<[^>]+>", "", text).strip()
        new = slug(name, "-") or f"section-{len(flat) + 1}"
        if new in seen:
            seen[new] += 1
            new = f"{new}_{seen[new]}"
        else:
            seen[new] = 0
        inner = inner.replace(f'href="#{old}"', f'href="#{new}"')
        flat.append({"level": level, "id": new, "name": name, "children": []})
        return f'<h{level} id="{new}"{attrs}>{inner}</h{level}>'

    html = re.sub(r'<h([1-6]) id="([^"]*)"([^>]*)>(.*?)</h\1>', heading, html, flags=re.S)
    roots: list[dict] = []
    stack: list[dict] = []
    for token in flat:
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(token)
        stack.append(token)
    return html, get_toc(roots)


# What mkdocs-jupyter puts around the cells, and how a lab page shows them instead.
_NOTEBOOK_CHROME = [
    # 560 KB of JupyterLab CSS inlined in every lab page (what stays needs no style of its own),
    # plus MathJax, RequireJS and CDN Mermaid loaders this site does not use (nnref.js typesets)
    (r"<style[^>]*>.*?</style>\s*|<script[^>]*>.*?</script>\s*", ""),
    # a second copy button and a hidden second copy of each cell's code: Material's copy button
    # on the code block below does that job
    (r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>\s*', ""),
    (r'<div class="clipboard-copy-txt"[^>]*>.*?</div>', ""),
    # the code itself as Material's code block: the site's highlighting colours (dark mode
    # included), its copy button, and keyboard scrolling of long lines
    # (code cells, and fenced code in markdown cells)
    (r'<div class="highlight-ipynb hl-([\w-]+)">', r'<div class="language-\1 highlight">'),
    (r'(<div class="[^"]*\bhighlight"><pre><span></span>)(.*?)</pre></div>', r"\1<code>\2</code></pre></div>"),
    (r'<a class="anchor-link" href="(#[^"]*)">', r'<a class="headerlink" href="\1" title="Permanent link">'),
    # one tab stop per cell, code or prose, is noise for a keyboard reader
    (r'(<div class="jp-Cell-inputWrapper") tabindex="0"', r"\1"),
    # the empty collapser column and the "In [ ]:" prompts of cells never run
    (r'<div class="jp-(?:Collapser|InputPrompt) [^"]*">[^<]*</div>\s*', ""),
]  # search leaves a lab's code and outputs out of its index as a page's (nnref_docs.search)


def as_site_page(html: str) -> str:
    """Keep a lab's cells and drop the notebook viewer's own chrome (see ``_NOTEBOOK_CHROME``)."""
    for pattern, replacement in _NOTEBOOK_CHROME:
        html = re.sub(pattern, replacement, html, flags=re.S)
    # The title heading leads the page, out of its cell, as on every other page: search then
    # shows the lab's introduction, not an empty preface, as the excerpt of the lab itself.
    title = re.search(r"<h1[ >].*?</h1>", html, flags=re.S)
    if title:
        html = title[0] + html[: title.start()] + html[title.end() :]
    return html
