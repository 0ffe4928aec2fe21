"""Report files of every kind -> one stream of cells (see common.Source).

The kind is told from the content, never from the file name: a PDF by '%PDF', a Word or Excel
file by the parts inside its ZIP container, a web page by its markup, text otherwise. Old binary
Office files, RTF and images get a one-sentence error saying what to do with them.
"""

from __future__ import annotations

import codecs
import io
import zipfile

from ..errors import InputError
from .common import Source
from .html import looks_like_html, read_html
from .limits import check_archive, check_text_size
from .text import read_text

__all__ = ["Source", "read_source"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)


def read_source(data: bytes) -> Source:
    """A report file's bytes as lines and cells, read by the reader its content calls for."""
    if not data.strip():
        raise InputError("the file is empty")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_container(data)
    if b"%PDF-" in data[:1024]:  # the header may follow a few bytes of junk
        from .pdf import read_pdf

        return read_pdf(data)
    _refuse_binary(data)
    check_text_size(data)
    if looks_like_html(_head(data)):
        return read_html(data)
    return read_text(data)


def _refuse_binary(data: bytes) -> None:
    if data.startswith(_OLE):
        kind, modern = _ole_kind(data)
        raise InputError(
            f"this is {kind}; open it in Word, Excel or LibreOffice and save it as {modern}, which can be read"
        )
    if data.startswith(b"{\\rtf"):
        raise InputError(
            "this is an RTF document; open it in Word or LibreOffice and save it as .docx, which can be read"
        )
    for signature, kind in _IMAGES:
        if data.startswith(signature):
            raise InputError(
                f"this is {kind}, not a document with text: a scanned page needs OCR (text recognition) first"
            )


def _ole_kind(data: bytes) -> tuple[str, str]:
    """Which old Office format, and what to save it as: the stream names in the file's directory tell."""
    if "EncryptedPackage".encode("utf-16-le") in data:  # a .docx or .xlsx saved with a password
        return "a password-protected Word or Excel file", "an unprotected copy (.docx or .xlsx)"
    if "WordDocument".encode("utf-16-le") in data:
        return "an old Word document (.doc)", ".docx"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "an old Excel workbook (.xls)", ".xlsx"
    return "an old Office document (.doc or .xls)", ".docx or .xlsx"


def _head(data: bytes) -> str:
    """The start of the content as text, enough to see markup (UTF-16 decoded, else byte for byte)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _read_container(data: bytes) -> Source:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise InputError(
            f"the file is a damaged ZIP container (a .docx or .xlsx cut short?) and cannot be opened ({exc})"
        ) from None
    with archive:
        check_archive(archive)
        if "word/document.xml" in names:
            from .docx import read_docx

            return read_docx(archive)
        if "xl/workbook.xml" in names:
            from .xlsx import read_xlsx

            return read_xlsx(data, archive)
    raise InputError(_container_kind(names))


def _container_kind(names: set[str]) -> str:
    if any(name.startswith("ppt/") for name in names):
        return "this is a PowerPoint presentation (.pptx), not a report document"
    if "content.xml" in names:
        return "this is an OpenDocument file (.odt or .ods); save it as .docx or .xlsx, which can be read"
    return "this is a ZIP archive, not a Word or Excel document; unpack it and read the files inside"
