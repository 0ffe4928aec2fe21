"""Time per page of OCR, and per file of the old-format readers, on the samples as the tests make them.

    python benchmarks/old_files.py            # needs '.[test,ocr]', a CJK font; LibreOffice for .doc

Each sample of ONE_OF_EACH (tests/test_ocr.py) is laid out as a PDF, rendered at 300 dpi and read
page by page by OCR; its .docx is converted by LibreOffice and read; its committed .xls is read.
Not part of the test run: timings depend on the machine, so they are reported, never asserted.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from converter import load_mappings, read_report  # noqa: E402
from converter.read import ocr, read_source  # noqa: E402
from converter.read.common import Source  # noqa: E402
from tests.fixtures.documents import document_for, to_docx  # noqa: E402
from tests.test_ocr import ONE_OF_EACH, pictures  # noqa: E402
from tests.test_old_files import OLD, XLS  # noqa: E402


def main() -> None:
    mappings = load_mappings()
    ocr.engine()  # loading the models once (about a second) is not a page's time
    seconds, pages, boxes = 0.0, 0, 0
    for text in ONE_OF_EACH:
        _, images = pictures(text, mappings)
        for image in images:
            source = Source("ocr", "ocr")
            started = time.perf_counter()
            ocr.read_picture(source, image, 1)
            seconds += time.perf_counter() - started
            pages += 1
            boxes += sum(1 for cell in source.cells if cell.confidence is not None)
    print(
        f"OCR, 300 dpi A4 pages ({images[0].width}x{images[0].height}): {pages} pages, {seconds / pages:.1f} s a page"
    )
    print(f"  ({boxes / pages:.0f} cells read a page)")
    for name in XLS:
        data = (OLD / name).read_bytes()
        started = time.perf_counter()
        read_source(data)
        print(f".xls {name}: read in {(time.perf_counter() - started) * 1000:.0f} ms")
    if shutil.which("soffice"):
        from converter.read.doc import convert_to_docx, soffice

        text = ONE_OF_EACH[2]
        report = read_report(text, mappings=mappings)
        docx = to_docx(document_for(report, mappings, text.read_text(encoding="utf-8")))
        started = time.perf_counter()
        convert_to_docx(soffice(), docx, "doc")  # a .docx in, as the cost of one LibreOffice conversion
        print(f"LibreOffice conversion of one report: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
