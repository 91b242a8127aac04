"""Benchmark for question imports: the largest files the limits allow answer in seconds.

    .venv/bin/python tests/bench/bench_imports.py

The target (issue 15, and DESIGN's "work that depends on what an author wrote is
bounded"): every import of any input within the limits answers in under 5 seconds on
one core. Each case builds a file just under the 5 MB upload limit that makes a reader
work hard (most questions, calculated templates to check, many choices, a QTI package
with the most items, pathological text), reads it, and reports the time. The script
exits 1 when any case misses the budget.
"""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from trainer.questions.imports import read_question_file  # noqa: E402
from trainer.questions.interchange import MAX_UPLOAD_BYTES  # noqa: E402
from trainer.questions.moodle_xml import MAX_CALCULATED  # noqa: E402

BUDGET_S = 5.0
ROOT = Path(__file__).resolve().parents[2]


def fill(unit: bytes, head: bytes = b"", tail: bytes = b"") -> bytes:
    count = (MAX_UPLOAD_BYTES - len(head) - len(tail)) // len(unit)
    return head + unit * count + tail


def cases() -> dict[str, tuple[bytes, str]]:
    gift_question = b"::Q::Which is safe? {=0.5 mg#yes ~.5 mg#no ~5.0 mg#no ####Leading zero.}\n\n"
    calculated = (
        b'<question type="calculated"><name><text>C</text></name>'
        b"<questiontext><text>{a} mg in {b} mL?</text></questiontext>"
        b'<answer fraction="100"><text>{a}/{b}</text><tolerance>0.01</tolerance></answer>'
        b"<dataset_definitions>"
        b"<dataset_definition><name><text>a</text></name><minimum><text>1</text></minimum>"
        b"<maximum><text>100</text></maximum><decimals><text>1</text></decimals></dataset_definition>"
        b"<dataset_definition><name><text>b</text></name><minimum><text>1</text></minimum>"
        b"<maximum><text>10</text></maximum><decimals><text>0</text></decimals></dataset_definition>"
        b"</dataset_definitions></question>\n"
    )
    quiz = (ROOT / "tests/unit/questions/fixtures/canvas/quiz.xml").read_bytes()
    items = quiz[quiz.index(b"<item ") : quiz.rindex(b"</item>") + 7]
    head, tail = quiz[: quiz.index(b"<item ")], quiz[quiz.rindex(b"</item>") + 7 :]
    qti_xml = fill(items + b"\n", head, tail)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("g1/g1.xml", qti_xml[: 5 * 1024 * 1024 - 1])
    return {
        "gift, most questions": (fill(gift_question), "gift"),
        "gift, one huge block": (b"::Q::" + b"x" * (MAX_UPLOAD_BYTES - 20) + b"{T}", "gift"),
        "gift, brackets and escapes": (fill(b"[html]\\{\\}\\~ {=a ~b}\n"), "gift"),
        "moodle xml, most calculated templates": (
            b"<quiz>\n" + calculated * MAX_CALCULATED + b"</quiz>",
            "moodle_xml",
        ),
        "moodle xml, too many calculated": (fill(calculated, b"<quiz>\n", b"</quiz>"), "moodle_xml"),
        "aiken, most questions": (fill(b"Q?\nA. a\nB. b\nANSWER: A\n\n"), "aiken"),
        "canvas qti, most items": (buffer.getvalue(), "qti"),
    }


def main() -> int:
    missed = []
    for name, (data, fmt) in cases().items():
        start = time.perf_counter()
        read = read_question_file(data, "bench", fmt)
        elapsed = time.perf_counter() - start
        result = read.result
        print(
            f"{name:36} {len(data) / 1024 / 1024:5.1f} MB  {elapsed:6.2f} s  "
            f"{len(result.questions):5} questions  {len(result.problems):5} problems"
        )
        if elapsed > BUDGET_S:
            missed.append(name)
    if missed:
        print(f"over the budget of {BUDGET_S:.0f} s: " + ", ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
