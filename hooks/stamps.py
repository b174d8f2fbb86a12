"""Stamp each page with when, and with which versions, its code was last verified.

The stamp comes from ``.cache/nnref/verified.json``, written by the test run that executed the
pages (tests/mdharness/stamps.py); CI runs the tests before the build. A page with no record, or
whose last run failed, says so instead of claiming anything.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# the docs harness's own parser decides what counts as code: one parser for tests and build
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from mdharness.pages import page_language  # noqa: E402
from mdharness.parse import ParseError, parse_page  # noqa: E402

RECORD = Path(".cache") / "nnref" / "verified.json"
TEXT = {
    "ko": {
        "ok": "이 페이지의 코드 블록 {passed}개는 {time}에 {env} 환경에서 실행되어 출력까지 검증되었습니다.",
        "skipped": " ({skipped}개는 이유를 밝히고 건너뜀)",
        "failed": "이 페이지의 코드 검증이 {time}에 실패했습니다({failed}개 블록).",
        "none": "이 빌드에는 이 페이지의 코드를 검증한 기록이 없습니다(`make test`가 기록을 남깁니다).",
        "no_code": "이 페이지에는 실행할 코드 블록이 없습니다.",
    },
    "en": {
        "ok": "The {passed} code blocks on this page were run and their output checked on {time} with {env}.",
        "skipped": " ({skipped} skipped, each with a stated reason)",
        "failed": "Verifying this page's code failed on {time} ({failed} blocks).",
        "none": "This build has no record of this page's code being verified (`make test` writes one).",
        "no_code": "This page has no code blocks to run.",
    },
}


def _record(config) -> dict:
    path = Path(config.config_file_path).parent / RECORD
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("pages", {})


def stamp(entry: dict | None, lang: str, has_code: bool) -> tuple[str, str]:
    words = TEXT[lang]
    if not has_code:
        return "note", words["no_code"]
    if not entry:
        return "warning", words["none"]
    v = entry["versions"]
    names = (("nnref", "nnref"), ("torch", "PyTorch"), ("numpy", "NumPy"), ("python", "Python"))
    env = " · ".join(f"{name} {v[key]}" for key, name in names if key in v) + f" ({v.get('device', 'cpu')})"
    if entry["failed"]:
        return "failure", words["failed"].format(**entry)
    text = words["ok"].format(passed=entry["passed"], time=entry["time"], env=env)
    if entry["skipped"]:
        text += words["skipped"].format(skipped=entry["skipped"])
    return "success", text


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    if not src.endswith(".md"):
        return markdown
    lang = page_language(src)
    try:
        has_code = bool(parse_page(markdown))
    except ParseError:  # the tests report it with its line; the stamp must not break the build
        has_code = True
    kind, text = stamp(_record(config).get(f"docs/{src}"), lang, has_code)
    return markdown + f'\n\n<div class="nnref-stamp nnref-stamp--{kind}" markdown>\n{text}\n</div>\n'
