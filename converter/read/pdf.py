"""A PDF with a text layer -> lines and cells, page by page, top to bottom.

Read with pdfplumber (on pdfminer.six, which decodes the CID fonts and CMaps Chinese PDFs use):
its table finder builds cells from the ruling lines Word and WPS draw, so a label wrapped inside
its cell stays one cell, and a merged cell is one cell (None in the other grid positions, which
are skipped: a merged cell appears once, where it starts). Text outside the tables is read as
lines. A table without ruling lines is read as lines of text, like the 'spaces' text layout.
Page numbers in the top or bottom margin are not text of the report. A page without text is a
scan: it is read by OCR when the OCR extra is installed (read/ocr.py); otherwise, saying that it
needs OCR is better than an empty result.
"""

from __future__ import annotations

import io
import re

from ..errors import InputError
from ..model import Finding
from .common import Source, tidy

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–\s]*$")
_MARGIN = 0.08  # share of the page height at the top and bottom where running heads and page numbers stand


def read_pdf(data: bytes) -> Source:
    """The text lines and table rows of every page."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds of error on damaged files; pdfplumber wraps them
        raise _unreadable(exc) from None
    source = Source("pdf", "pdf text layer")
    with pdf:
        try:
            pages = len(pdf.pages)
            scanned = [n for n, page in enumerate(pdf.pages, start=1) if not _read_page(source, page, n, data)]
        except InputError:
            raise
        except Exception as exc:  # a damaged content stream found while reading a page
            raise _unreadable(exc) from None
    if len(scanned) == pages:
        raise InputError(_no_text_layer(pages))
    if source.cells and all(cell.input_kind == "ocr" for cell in source.cells):
        source.kind, source.encoding = "ocr", "ocr of PDF pages without text"
    if scanned:
        shown = ", ".join(map(str, scanned))
        source.findings.append(
            Finding(
                "page-needs-ocr",
                f"PDF page(s) {shown} hold no text (scanned images?): their content was not read; " + _ocr_advice(),
            )
        )
    return source


def _ocr_advice() -> str:
    from . import ocr

    if ocr.available():
        return "OCR recognised no text on them either: compare with the original"
    return f"run OCR on them ({ocr.EXTRA}) or compare with the original"


def _no_text_layer(pages: int) -> str:
    from . import ocr

    if ocr.available():
        return f"the PDF has no text layer and OCR recognised no text on its {pages} page(s)"
    return (
        f"the PDF has no text layer ({pages} page(s) of scanned images?): it needs OCR "
        f"(text recognition) before it can be read: {ocr.EXTRA}"
    )


def _unreadable(exc: Exception) -> InputError:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    # recent pdfplumber versions wrap pdfminer's error in a PdfminerException, older ones do not
    if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]
    if isinstance(exc, PDFPasswordIncorrect):
        return InputError("the PDF is protected by a password; open it and save an unprotected copy")
    return InputError(f"the PDF is damaged and cannot be read ({type(exc).__name__})")


def _read_page(source: Source, page, number: int, data: bytes) -> bool:
    """Add a page's lines in reading order; False when the page has no text but a page number."""
    if not any(char["text"].strip() for char in page.chars):
        from . import ocr

        return ocr.available() and ocr.ocr_pdf_page(source, data, number)
    tables = page.find_tables()
    items = []  # (top, order, kind, content)
    for table in tables:
        for row, texts in zip(table.rows, table.extract()):
            pieces = [tidy(text or "", wrapped=True) for text, box in zip(texts, row.cells) if box is not None]
            items.append((row.bbox[1], len(items), "row", pieces))
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    for line in outside.extract_text_lines(return_chars=False):
        if not _running_head(line, page.height):
            items.append((line["top"], len(items), "text", tidy(line["text"])))
    if not items:
        return False
    for _, _, kind, content in sorted(items):
        if kind == "row":
            source.add_row(content, page=number)
        else:
            source.add_text(content, page=number)
    return True


def _running_head(line: dict, height: float) -> bool:
    in_margin = line["bottom"] < height * _MARGIN or line["top"] > height * (1 - _MARGIN)
    return in_margin and _PAGE_NUMBER.match(line["text"]) is not None
