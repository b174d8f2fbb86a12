"""Every word of the site's interface in both languages, in one table: ``WORDS[feature][lang]``.

The toolkit's modules read their words from here (each keeps a short alias, such as
``downloads.TEXT``): the download buttons and the notes above dependent blocks
(``downloads``), the script and notebook of a page (``export``), the "verified" stamp and the lab
outputs (``stamps``), the book (``book``), the errata page (``errata``), the title of the box above a
skipped block (``skiplabel``), the head of the torch-mirror table (``apiref``: module, counterpart,
unsupported) and of the glossary table (``glossary``). A string with ``{name}`` is
filled in with ``str.format`` by its module.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, dict]] = {
    "downloads": {
        "ko": {
            "script": "이 페이지의 코드를 파이썬 스크립트로 내려받기 (.py)",
            "notebook": "이 페이지의 코드를 노트북으로 내려받기 (.ipynb)",
            "lab_notebook": "노트북 내려받기 (.ipynb)",
            "lab_script": "실습을 파이썬 스크립트로 내려받기 (.py)",
            "uses": "앞 블록에서 만든 이름을 씁니다:",
            "more": "외 {n}개",
            "copy": "이 블록까지 코드 복사",
            "copy_title": "페이지의 첫 블록부터 이 블록까지, 그대로 실행되는 코드를 복사합니다",
            "copied": "복사했습니다",
        },
        "en": {
            "script": "Download this page's code as a Python script (.py)",
            "notebook": "Download this page's code as a notebook (.ipynb)",
            "lab_notebook": "Download notebook (.ipynb)",
            "lab_script": "Download the lab as a Python script (.py)",
            "uses": "Uses names from earlier blocks:",
            "more": "and {n} more",
            "copy": "Copy the code up to here",
            "copy_title": "Copies the page's code from its first block through this one, ready to run",
            "copied": "Copied",
        },
    },
    "export": {
        "en": {
            "header": (
                "{title}: the page's code as one script\n{url}\n\n"
                "Every python block of the page in order (with the setup the page keeps out of sight), so this\n"
                "file runs alone, top to bottom. Under each block, as comments, is the output the page shows.\n"
                "Made by the site build from {source}.\n\n"
                "{writes}"
                "It needs the nnref package. Without a clone of the repository, install it with what the code of\n"
                "every page imports (PyTorch's CPU build among them):\n"
                "  {install}"
            ),
            "writes": "Running it writes these files into the folder it runs in: {files}",
            "seed": "The seeds (and the single PyTorch thread) the docs' tests set before each page",
            "cell": "Page line {line}",
            "hidden": "setup the page keeps out of sight",
            "skipped": "not run: {reason}",
            "self_check": "not run: it checks the page's own Markdown (it reads __file__)",
            "output": "Output:",
            "intro": (
                "The code of [this page]({url}): every python block in order, with the output the page shows "
                "under each cell. Made by the site build from `{source}`."
            ),
            "install": (
                "It needs the `nnref` package. Without a clone of the repository, install it with what the code of "
                "every page imports (PyTorch's CPU build among them):"
            ),
            "install_jupyter": "In a Jupyter notebook, run the same line with `%pip` in place of `pip`.",
        },
        "ko": {
            "header": (
                "{title}: 페이지 코드 전체\n{url}\n\n"
                "페이지의 파이썬 블록을 (페이지에 보이지 않는 준비 코드까지) 순서대로 모두 담았으므로 이 파일 하나만\n"
                "위에서 아래로 실행하면 됩니다. 각 블록 아래 주석은 페이지에 나온 출력입니다.\n"
                "사이트 빌드가 {source}에서 만들었습니다.\n\n"
                "{writes}"
                "nnref 패키지가 필요합니다. 저장소를 복제하지 않았다면 모든 페이지의 코드가 쓰는 패키지(CPU용 PyTorch\n"
                "포함)와 함께 이렇게 설치하세요.\n"
                "  {install}"
            ),
            "writes": "실행하면 현재 작업 폴더에 다음 파일이 생깁니다: {files}",
            "seed": "문서 테스트가 페이지마다 정하는 시드(와 PyTorch 스레드 하나)",
            "cell": "페이지 {line}행",
            "hidden": "페이지에 보이지 않는 준비 코드",
            "skipped": "실행하지 않음: {reason}",
            "self_check": "실행하지 않음: 페이지 자신의 Markdown을 확인하는 코드(__file__을 읽음)",
            "output": "출력:",
            "intro": (
                "[이 페이지]({url})의 코드입니다. 파이썬 블록을 순서대로 모두 담았고, 각 셀 아래에 페이지에 나온 "
                "출력을 붙였습니다. 사이트 빌드가 `{source}`에서 만들었습니다."
            ),
            "install": (
                "`nnref` 패키지가 필요합니다. 저장소를 복제하지 않았다면 모든 페이지의 코드가 쓰는 패키지"
                "(CPU용 PyTorch "
                "포함)와 함께 이렇게 설치하세요."
            ),
            "install_jupyter": "주피터 노트북에서는 `pip` 대신 `%pip`로 같은 줄을 실행하면 됩니다.",
        },
    },
    "stamps": {
        "ko": {
            "ok": (
                "이 페이지의 코드 블록 {passed}개는 {time}에 {env} 환경에서 실행되어 통과했고, 출력 블록은 코드가 "
                "출력한 내용과 비교했습니다."
            ),
            "skipped": " ({skipped}개는 이유를 밝히고 건너뜀)",
            "failed": "이 페이지의 코드 검증이 {time}에 실패했습니다(실패 {failed}건).",
            "none": "이 빌드에는 이 페이지의 코드를 검증한 기록이 없습니다(`make test`가 기록을 남깁니다).",
            "changed": (
                "이 페이지는 코드가 검증된 {time} 이후에 바뀌어, 이 빌드에는 지금의 코드를 검증한 기록이 없습니다"
                "(`make test`가 기록을 남깁니다)."
            ),
            "no_code": "이 페이지에는 실행할 코드 블록이 없습니다.",
            "lab_ok": "이 실습의 코드 셀 {passed}개는 {time}에 {env} 환경에서 처음부터 끝까지 실행되어 통과했습니다.",
            "lab_outputs": " 셀 아래의 출력은 그 실행에서 각 셀이 출력한 내용입니다.",
            "lab_failed": (
                "이 실습은 {time}에 실행했을 때 통과하지 못했습니다(실패 {failed}건). "
                "그래서 셀의 출력을 보여 주지 않습니다."
            ),
            "lab_none": (
                "이 빌드에는 이 실습을 실행한 기록이 없어 셀의 출력을 보여 주지 않습니다"
                "(`make test`가 기록을 남깁니다)."
            ),
            "lab_changed": (
                "이 실습은 {time}에 실행된 뒤에 바뀌어, 이 빌드에는 지금의 코드를 실행한 기록이 없으므로 셀의 출력을 "
                "보여 주지 않습니다(`make test`가 기록을 남깁니다)."
            ),
        },
        "en": {
            "ok": (
                "The code on this page ({blocks}) was run and passed on {time} with {env}; each output block was "
                "compared with what the code printed."
            ),
            "skipped": " ({skipped} skipped, each with a stated reason)",
            "failed": "Verifying this page's code failed on {time} ({failures}).",
            "none": "This build has no record of this page's code being verified (`make test` writes one).",
            "changed": (
                "This page changed after its code was verified on {time}; this build has no record of its current "
                "code being verified (`make test` writes one)."
            ),
            "no_code": "This page has no code blocks to run.",
            "lab_ok": "The code of this lab ({cells}) was run top to bottom and passed on {time} with {env}.",
            "lab_outputs": " The output under each cell is what the cell printed in that run.",
            "lab_failed": "This lab did not pass when it was run on {time} ({failures}), so its cells show no output.",
            "lab_none": (
                "This build has no record of this lab being run, so its cells show no output (`make test` writes one)."
            ),
            "lab_changed": (
                "This lab changed after it was run on {time}; this build has no record of its current code being run, "
                "so its cells show no output (`make test` writes one)."
            ),
        },
    },
    "book": {
        "ko": {"download": "PDF로 내려받기", "contents": "차례"},
        "en": {"download": "Download the PDF", "contents": "Contents"},
    },
    "errata": {
        "ko": {"section": "검증하는 절", "seed": "원본 노트", "count": "항목 {n}개"},
        "en": {"section": "verified in", "seed": "source note", "count": "{n} entries"},
    },
    "skiplabel": {"ko": {"label": "이 블록은 실행하지 않습니다: {reason}"}, "en": {"label": "Not run here: {reason}"}},
    "apiref": {
        "ko": {"mirrors_head": ("nnref.scratch", "대응하는 PyTorch", "지원하지 않음")},
        "en": {"mirrors_head": ("nnref.scratch", "PyTorch counterpart", "Not supported")},
    },
    "glossary": {
        "ko": {"head": "| 용어 | English | 뜻 |\n| --- | --- | --- |"},
        "en": {"head": "| Term | 한국어 | Meaning |\n| --- | --- | --- |"},
    },
}
