"""Labs stay notebook pages under mkdocs-static-i18n, with their own ids (the logic: nnref_docs.notebooks)."""

from mkdocs.plugins import event_priority

from nnref_docs.notebooks import as_site_page, is_notebook, retitle, wrap_notebook_files


@event_priority(-200)  # after mkdocs-static-i18n's on_files (-100)
def on_files(files, config):
    plugin = config.plugins.get("mkdocs-jupyter")
    return files if plugin is None else wrap_notebook_files(files, plugin, config)


def on_page_content(html, page, config, files):
    if not is_notebook(page):
        return html
    html, page.toc = retitle(html)
    return as_site_page(html)
