"""Budgets, measured: the whole suite, each chapter's pages, cold and warm builds, page weight.

Run with `make bench`. Prints a table, writes artifacts/bench.json, and exits 1 when a budget is
exceeded (whole suite 180 s, cold build 90 s, a typical page 1.5 MB with nothing from other hosts).
This is a benchmark, not a test: timings vary with the machine, so no timed assertion lives in the
test suite.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

from nnref_docs.sitebuild import base_path

ROOT = Path(__file__).resolve().parents[1]

BUDGETS = {"suite_s": 180.0, "cold_build_s": 90.0, "page_bytes": 1.5e6}
TYPICAL_PAGES = ["/", "/02-backprop/chain-rule/", "/en/04-cnn/convolution/", "/03-pytorch/optimizers/"]
GZIP = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt"}
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, result


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the built site as GitHub Pages does (gzip for text, under the site's base path).

    Returns the running server (call ``shutdown()``) and the site's root URL.
    """
    base = base_path()

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

        def translate_path(self, path):
            return super().translate_path(path[len(base) :] if path.startswith(base + "/") else path)

        def do_GET(self):
            path = Path(self.translate_path(self.path.split("?")[0]))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix not in GZIP or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.exists():
                return super().do_GET()
            body = gzip.compress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}{base}"


def page_weights(site: Path) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    httpd, root = serve(site)
    origin = root[: len(root) - len(base_path())]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        for path in TYPICAL_PAGES:
            page = browser.new_page()
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            sizes: list[int] = []
            foreign: list[str] = []
            cdp.on("Network.loadingFinished", lambda e, sizes=sizes: sizes.append(e["encodedDataLength"]))
            page.on("request", lambda r, foreign=foreign: r.url.startswith((origin, "data:")) or foreign.append(r.url))
            page.goto(root + path, wait_until="networkidle")
            page.wait_for_timeout(500)
            results[path] = {"bytes": int(sum(sizes)), "foreign_requests": foreign}
            page.close()
        browser.close()
    httpd.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-suite", action="store_true", help="do not time the whole suite")
    parser.add_argument("--pages-only", action="store_true", help="only build once and weigh the pages")
    args = parser.parse_args()
    args.skip_suite = args.skip_suite or args.pages_only
    py = sys.executable
    report: dict = {}

    if not args.skip_suite:
        seconds, result = timed([py, "-m", "pytest", "-q", "-p", "no:randomly"])
        report["suite_s"] = round(seconds, 1)
        report["suite_summary"] = result.stdout.strip().splitlines()[-1] if result.stdout else ""

    chapters = sorted(p.name for p in (ROOT / "docs").iterdir() if p.is_dir() and p.name[:2].isdigit())
    if args.pages_only:
        chapters = []
    report["chapters_s"] = {}
    for chapter in chapters:
        seconds, _ = timed([py, "-m", "pytest", "-q", f"docs/{chapter}"])
        report["chapters_s"][chapter] = round(seconds, 1)

    with tempfile.TemporaryDirectory() as tmp:
        shutil.rmtree(ROOT / ".cache" / "mkdocs-jupyter", ignore_errors=True)
        site = Path(tmp) / "site"
        seconds, result = timed([py, "-m", "mkdocs", "build", "--strict", "-d", str(site)])
        if result.returncode:
            print(result.stderr[-3000:])
            return 1
        report["cold_build_s"] = round(seconds, 1)
        seconds, _ = timed([py, "-m", "mkdocs", "build", "--strict", "-d", str(site)])
        report["warm_build_s"] = round(seconds, 1)
        report["pages"] = page_weights(site)

    over = []
    if report.get("suite_s", 0) > BUDGETS["suite_s"]:
        over.append(f"whole suite {report['suite_s']} s > {BUDGETS['suite_s']} s")
    if report["cold_build_s"] > BUDGETS["cold_build_s"]:
        over.append(f"cold build {report['cold_build_s']} s > {BUDGETS['cold_build_s']} s")
    for path, page in report["pages"].items():
        if page["bytes"] > BUDGETS["page_bytes"]:
            over.append(f"{path}: {page['bytes'] / 1e6:.2f} MB > 1.5 MB")
        if page["foreign_requests"]:
            over.append(f"{path}: requests to other hosts {page['foreign_requests'][:3]}")

    print(f"{'what':<34}{'value':>12}")
    for key in ("suite_s", "cold_build_s", "warm_build_s"):
        if key in report:
            print(f"{key:<34}{report[key]:>11.1f}s")
    for chapter, seconds in report["chapters_s"].items():
        print(f"{'docs/' + chapter:<34}{seconds:>11.1f}s")
    for path, page in report["pages"].items():
        print(f"{'page ' + path:<34}{page['bytes'] / 1e6:>10.2f}MB")
    out = ROOT / "artifacts" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    for line in over:
        print("OVER BUDGET:", line)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
