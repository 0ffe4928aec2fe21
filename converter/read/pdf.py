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
import logging

from ..errors import InputError
from ..model import Finding
from .common import MARGIN as _MARGIN
from .common import PAGE_NUMBER as _PAGE_NUMBER
from .common import Source, tidy
from .limits import PDF_PAGE_OBJECTS, PDF_PAGES, PDF_STREAM_SIZE


def read_pdf(data: bytes) -> Source:
    """The text lines and table rows of every page."""
    import pdfplumber

    _bound_streams()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds of error on damaged files; pdfplumber wraps them
        raise _unreadable(exc) from None
    source = Source("pdf", "pdf text layer")
    try:
        _check_page_count(pdf)
        pages = len(pdf.pages)
        scanned = []
        for number, page in enumerate(pdf.pages, start=1):
            if not _read_page(source, page, number, data):
                scanned.append(number)
            page.close()  # its objects are not needed again: a long PDF holds one page's at a time
    except Exception as exc:  # a damaged content stream found while reading a page
        raise _unreadable(exc) from None
    finally:
        _close(pdf)
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


def _check_page_count(pdf) -> None:
    """The page count the PDF declares, checked before pdfplumber builds an object for every page."""
    from pdfminer.pdftypes import resolve1

    declared = resolve1(resolve1(pdf.doc.catalog.get("Pages")) or {}).get("Count")
    if isinstance(declared, int) and declared > PDF_PAGES.value():
        raise PDF_PAGES.refuse(f"the PDF has {declared} pages")


def _close(pdf) -> None:
    """Close the PDF; an error at closing (a damaged file already said so) must not replace the first."""
    try:
        pdf.close()
    except Exception:  # closing only frees memory; what went wrong was reported while reading
        pass


class _BoundedZlib:
    """pdfminer inflates each content stream whole with zlib.decompress: a few hundred KB of PDF
    can unpack to gigabytes. This stands in for the zlib module inside pdfminer.pdftypes and
    stops at the content stream limit."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def decompress(self, data: bytes, *args, **kwargs) -> bytes:
        inflater = self.decompressobj()
        out = inflater.decompress(data)
        if not inflater.eof:
            raise self._real.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args, **kwargs):
        return _BoundedInflater(self._real.decompressobj(*args, **kwargs))


class _BoundedInflater:
    """A zlib decompress object that refuses to give more than the content stream limit in all."""

    def __init__(self, real):
        self._real, self._given = real, 0

    def __getattr__(self, name):
        return getattr(self._real, name)

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = PDF_STREAM_SIZE.value() - self._given
        out = self._real.decompress(data, room + 1)
        self._given += len(out)
        if self._given > PDF_STREAM_SIZE.value():
            raise PDF_STREAM_SIZE.refuse("a content stream of the PDF unpacks to more")
        return out


def _bounded_lzw(data: bytes) -> bytes:
    """LZW unpacks up to some 2,700 times its size: the same limit as for Flate streams."""
    from pdfminer.lzw import LZWDecoder

    limit, pieces, size = PDF_STREAM_SIZE.value(), [], 0
    for piece in LZWDecoder(io.BytesIO(data)).run():
        size += len(piece)
        if size > limit:
            raise PDF_STREAM_SIZE.refuse("a content stream of the PDF unpacks to more")
        pieces.append(piece)
    return b"".join(pieces)


_QUIET = logging.NullHandler()


def _counted(method):
    """A drawing method of pdfplumber's page device that counts what one page draws: past the limit the
    page is refused (each drawn object costs pdfplumber some kilobytes and a table search over all)."""

    def draw(self, *args, **kwargs):
        self._xxgk_objects = getattr(self, "_xxgk_objects", 0) + 1
        if self._xxgk_objects > PDF_PAGE_OBJECTS.value():
            raise PDF_PAGE_OBJECTS.refuse(f"a page of the PDF draws more than {PDF_PAGE_OBJECTS.value()} objects")
        return method(self, *args, **kwargs)

    draw._xxgk_counted = True
    return draw


def _bound_streams() -> None:
    """Bound what pdfminer and pdfplumber unpack and build (done once per process). pdfminer's warnings
    on damaged files ("MediaBox missing …") would reach standard error beside our one line: a handler
    that drops them stands in for Python's last resort (a program's own logging setup still gets them)."""
    from pdfminer import pdftypes
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent as Device

    logging.getLogger("pdfminer").addHandler(_QUIET)  # once: the same handler is not added twice

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdftypes.zlib = _BoundedZlib(pdftypes.zlib)
        pdftypes.lzwdecode = _bounded_lzw
    for name in ("render_char", "paint_path", "render_image"):
        if not getattr(getattr(Device, name), "_xxgk_counted", False):
            setattr(Device, name, _counted(getattr(Device, name)))


def _unreadable(exc: Exception) -> InputError:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    # recent pdfplumber versions wrap pdfminer's error in a PdfminerException, older ones do not
    if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]
    if isinstance(exc, InputError):  # a limit refused what pdfminer was unpacking
        return exc
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
