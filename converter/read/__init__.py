"""Report files of every kind -> one stream of cells (see common.Source).

The kind is told from the content, never from the file name: a PDF by '%PDF', a Word or Excel
file by the parts inside its ZIP container, an old Office file (OLE2 compound file) by the names
of its streams (WordDocument: .doc/.wps; Workbook or Book: .xls), an image by its magic bytes, a
web page by its markup, text otherwise. RTF gets a one-sentence error saying what to do with it.
"""

from __future__ import annotations

import codecs
import io
import zipfile

from ..errors import InputError
from .common import Source, is_picture
from .html import looks_like_html, read_html
from .limits import check_archive, check_text_size
from .text import read_text

__all__ = ["Source", "read_source"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_source(data: bytes) -> Source:
    """A report file's bytes as lines and cells, read by the reader its content calls for."""
    if not data.strip():
        raise InputError("the file is empty")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_container(data)
    if b"%PDF-" in data[:1024]:  # the header may follow a few bytes of junk
        from .pdf import read_pdf

        return read_pdf(data)
    if data.startswith(_OLE):
        return _read_ole(data)
    if is_picture(data):
        from .ocr import read_image

        return read_image(data)
    _refuse_binary(data)
    check_text_size(data)
    if looks_like_html(_head(data)):
        return read_html(data)
    return read_text(data)


def _read_ole(data: bytes) -> Source:
    """An old Word or WPS file through LibreOffice, an old Excel file through calamine."""
    kind = _ole_kind(data)
    if kind == "xls":
        from .xls import read_xls

        return read_xls(data)
    from .doc import read_doc

    return read_doc(data, kind)


def _ole_kind(data: bytes) -> str:
    """doc, wps or xls: the stream names in the compound file's directory tell; other files are refused."""
    if "EncryptedPackage".encode("utf-16-le") in data:  # a .docx or .xlsx saved with a password
        raise InputError(
            "this is a password-protected Word or Excel file; open it in Word, Excel or LibreOffice and save it "
            "as an unprotected copy (.docx or .xlsx), which can be read"
        )
    if "WordDocument".encode("utf-16-le") in data:  # Word 97-2003, and WPS 文字 files saved as .wps
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "CONTENTS".encode("utf-16-le") in data:  # Microsoft Works text (.wps): LibreOffice reads it too
        return "wps"
    raise InputError(
        "this is an old Office document of an unknown kind (not .doc or .xls); open it in Word, Excel or "
        "LibreOffice and save it as .docx or .xlsx, which can be read"
    )


def _refuse_binary(data: bytes) -> None:
    if data.startswith(b"{\\rtf"):
        raise InputError(
            "this is an RTF document; open it in Word or LibreOffice and save it as .docx, which can be read"
        )


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
            from .ocr import add_embedded_pictures

            source = read_docx(archive)
            add_embedded_pictures(source, archive)  # tables pasted as pictures
            return source
        if "xl/workbook.xml" in names:
            from .xlsx import read_xlsx

            return read_xlsx(data, archive)
        opendocument = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    if opendocument.endswith("opendocument.spreadsheet"):
        from .xls import read_xls

        return read_xls(data, "ods")
    if opendocument.endswith("opendocument.text"):
        from .doc import read_doc

        return read_doc(data, "odt")
    raise InputError(_container_kind(names))


def _container_kind(names: set[str]) -> str:
    if any(name.startswith("ppt/") for name in names):
        return "this is a PowerPoint presentation (.pptx), not a report document"
    if "content.xml" in names:
        return (
            "this is an OpenDocument file other than text or spreadsheet; save it as .docx or .xlsx, which can be read"
        )
    return "this is a ZIP archive, not a Word or Excel document; unpack it and read the files inside"
