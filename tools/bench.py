"""Budgets, measured: the whole suite, the docs alone, each chapter's pages, cold and warm builds,
page weight.

Run with `make bench`. Prints a table, writes artifacts/bench.json, and exits 1 when a budget is
exceeded (`make test` 120 s wall and the docs alone 60 s on the 2-core reference machine, cold
build 90 s, a typical page 1.5 MB with nothing from other hosts). The suite and the docs run
exactly as `make test` runs them (every core, the units of work of conftest.py).
This is a benchmark, not a test: timings vary with the machine, so no timed assertion lives in the
test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nnref_docs.browser import launch_chromium, serve
from nnref_docs.paths import ROOT
from nnref_docs.sitebuild import base_path

BUDGETS = {"suite_s": 120.0, "docs_s": 60.0, "cold_build_s": 90.0, "page_bytes": 1.5e6}
PARALLEL = ["-n", "auto", "--dist", "loadscope"]  # as `make test`
TYPICAL_PAGES = ["/", "/02-backprop/chain-rule/", "/en/04-cnn/convolution/", "/03-pytorch/optimizers/"]
GZIP = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt"}
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, result


def page_weights(site: Path) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    httpd, root = serve(site)
    origin = root[: len(root) - len(base_path())]
    results = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
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
    parser.add_argument("--chapters", action="store_true", help="also time each chapter's pages alone, serially")
    parser.add_argument("--pages-only", action="store_true", help="only build once and weigh the pages")
    args = parser.parse_args()
    args.skip_suite = args.skip_suite or args.pages_only
    py = sys.executable
    report: dict = {}

    if not args.skip_suite:
        for key, target in (("suite_s", []), ("docs_s", ["docs"])):
            seconds, result = timed([py, "-m", "pytest", *PARALLEL, *target])
            report[key] = round(seconds, 1)
            report[key.replace("_s", "_summary")] = result.stdout.strip().splitlines()[-1] if result.stdout else ""

    chapters = sorted(p.name for p in (ROOT / "docs").iterdir() if p.is_dir() and p.name[:2].isdigit())
    if args.pages_only or not args.chapters:
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
    for key, what in (("suite_s", "make test"), ("docs_s", "the docs alone")):
        if report.get(key, 0) > BUDGETS[key]:
            over.append(f"{what} {report[key]} s > {BUDGETS[key]} s")
    if report["cold_build_s"] > BUDGETS["cold_build_s"]:
        over.append(f"cold build {report['cold_build_s']} s > {BUDGETS['cold_build_s']} s")
    for path, page in report["pages"].items():
        if page["bytes"] > BUDGETS["page_bytes"]:
            over.append(f"{path}: {page['bytes'] / 1e6:.2f} MB > 1.5 MB")
        if page["foreign_requests"]:
            over.append(f"{path}: requests to other hosts {page['foreign_requests'][:3]}")

    print(f"{'what':<34}{'value':>12}")
    for key in ("suite_s", "docs_s", "cold_build_s", "warm_build_s"):
        if key in report:
            print(f"{key:<34}{report[key]:>11.1f}s")
    for chapter, seconds in report["chapters_s"].items():
        print(f"{'docs/' + chapter:<34}{seconds:>11.1f}s")
    for path, page in report["pages"].items():
        print(f"{'page ' + path:<34}{page['bytes'] / 1e6:>10.2f}MB")
    out = ROOT / "artifacts" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    for key in ("suite_summary", "docs_summary"):
        if key in report:
            print(f"{key}: {report[key]}")
    for line in over:
        print("OVER BUDGET:", line)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
