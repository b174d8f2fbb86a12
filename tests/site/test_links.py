"""No broken internal link or anchor anywhere in the built site."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from nnref_docs.sitebuild import base_path

BASE = base_path()


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def target_file(site: Path, url_path: str) -> Path:
    local = site / unquote(url_path).lstrip("/")
    return local / "index.html" if url_path.endswith("/") or local.is_dir() else local


def broken_links(site: Path) -> list[str]:
    pages = {p: parse(p) for p in site.rglob("*.html")}
    problems = []
    for page, parsed in pages.items():
        base = "/" + page.relative_to(site).as_posix()
        for href in parsed.links:
            url = urlparse(href)
            if url.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            resolved = urlparse(urljoin(base, href))
            if resolved.path.startswith(BASE + "/"):  # absolute links carry the published prefix
                resolved = resolved._replace(path=resolved.path[len(BASE) :])
            target = target_file(site, resolved.path) if resolved.path else page
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: {href} (no {target.relative_to(site)})")
                continue
            if resolved.fragment and target.suffix == ".html":
                ids = (pages.get(target) or parse(target)).ids
                if unquote(resolved.fragment) not in ids:
                    problems.append(f"{page.relative_to(site)}: {href} (no #{resolved.fragment})")
    return problems


def test_no_broken_internal_links(site):
    problems = broken_links(site)
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems[:30])


def test_the_link_check_can_fail(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="here">x</h2><a href="#here">ok</a><a href="#gone">bad</a>'
        '<a href="../b/">missing page</a><a href="https://x.org/">ext</a>'
    )
    problems = broken_links(tmp_path)
    assert len(problems) == 2 and "#gone" in problems[0] + problems[1] and "../b/" in problems[0] + problems[1]
