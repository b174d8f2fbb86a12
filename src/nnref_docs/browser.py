"""The built site served locally as GitHub Pages serves it, and headless Chromium to read it.

Used by the browser and accessibility tests and by ``tools/bench.py``: one server, one way to
launch the browser.
"""

from __future__ import annotations

import gzip
import http.server
import os
import shutil
import threading
from functools import partial
from pathlib import Path

from .sitebuild import base_path

# a fresh profile (playwright's launch() always starts from an empty one), nothing phones home
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
GZIP = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt"}


# Chromium's headless shell first: the same Blink engine without the browser's UI (the build
# playwright itself uses for headless runs); the browser and accessibility tests took 74 CPU-s with
# it and 102 CPU-s with the full browser (2 cores, measured). Any other Chromium works too.
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """``NNREF_CHROMIUM``, or the first of :data:`BROWSERS` on ``PATH``."""
    for name in (os.environ.get("NNREF_CHROMIUM"), *BROWSERS):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def launch_chromium(playwright, executable: str | None = None):
    """A headless Chromium from a playwright instance (``sync_playwright()``)."""
    return playwright.chromium.launch(executable_path=executable or find_chromium(), args=CHROMIUM_ARGS)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Files under the site's published path (``/<repo>/...``), gzip for text when asked for."""

    base = ""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

    def translate_path(self, path):
        if path.startswith(self.base + "/"):
            path = path[len(self.base) :]
        return super().translate_path(path)

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


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the built site in a thread; returns the server (call ``shutdown()``) and the site's URL."""
    handler = type("Handler", (SiteHandler,), {"base": base_path()})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}{handler.base}"


# Hangul: a syllable is 0xAC00 + (lead * 21 + vowel) * 28 + tail; the compatibility jamo an IME shows
# while a syllable is being composed
_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _composition(syllable: str) -> list[str]:
    """What a Korean IME shows while a syllable is typed: "역" -> ["ㅇ", "여", "역"]."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return [syllable]
    lead, vowel, tail = code // 588, (code % 588) // 28, code % 28
    stages = [_LEADS[lead], chr(0xAC00 + (lead * 21 + vowel) * 28)]
    return stages + [syllable] if tail else stages


def type_text(page, text: str) -> None:
    """Type ``text`` into the focused element as a person does: real key events for Latin text,
    and for Hangul the IME's way (as Chrome reports it): a composition per syllable, each stage
    with a key press of key code 229 ("Process"), then the syllable committed."""
    cdp = page.context.new_cdp_session(page)
    for char in text:
        if not "\uac00" <= char <= "\ud7a3":
            page.keyboard.type(char)
            continue
        for stage in _composition(char):
            key = {"key": "Process", "code": "KeyA", "windowsVirtualKeyCode": 229, "nativeVirtualKeyCode": 229}
            cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **key})
            end = len(stage)
            cdp.send("Input.imeSetComposition", {"text": stage, "selectionStart": end, "selectionEnd": end})
            cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **key})
        cdp.send("Input.insertText", {"text": char})
    cdp.detach()
