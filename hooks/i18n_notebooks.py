"""Keep mkdocs-jupyter's notebook pages alive under mkdocs-static-i18n.

mkdocs-static-i18n rebuilds every ``File`` for each language (priority -100). The rebuilt files are
plain ``File`` objects, so a lab ``labs/x.ko.py`` stops being a documentation page and its raw
source is copied to ``labs/x/index.html`` (mkdocs-static-i18n issue #198); ``--strict`` does not
notice. This hook runs after i18n and wraps those files in mkdocs-jupyter's ``NotebookFile`` again,
so mkdocs-jupyter renders them. ``tests/test_site_build.py`` checks the built pages hold cells.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files


@event_priority(-200)  # after mkdocs-static-i18n's on_files (-100)
def on_files(files: Files, config) -> Files:
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        return files
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


def _notebook_file(page):
    from mkdocs_jupyter.plugin import NotebookFile

    return isinstance(page.file, NotebookFile)


def on_page_context(context, page, config, nav):
    """Offer each lab as a real ``.ipynb`` (converted from its jupytext source) beside the page."""
    if not _notebook_file(page):
        return context
    import os
    from pathlib import Path

    import jupytext

    source = Path(page.file.abs_src_path)
    name = source.stem + ".ipynb"  # e.g. 02-backprop.ko.ipynb
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    target = Path(os.path.dirname(page.file.abs_dest_path)) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target, fmt="ipynb")
    page.nnref_ipynb = name
    return context
