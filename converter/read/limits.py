"""Limits that keep one hostile or broken file from taking the machine: sizes checked before the
bytes are read or inflated, only regular files opened, XML depth bounded (xml_parts.py).

Every default is far above any real report (the largest real ones are a few MB); each can be
changed with an environment variable, and each refusal is one sentence that names the limit and
the variable, so that a user with a genuinely huge report knows what to raise.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

_MB = 1 << 20


@dataclass(frozen=True)
class Limit:
    variable: str  # the environment variable that changes it
    default: int
    unit: str  # "MB" (the value is given in megabytes) or "" (a plain number)
    what: str

    def value(self) -> int:
        """The limit in force: the environment's value when it is a positive whole number, else the default."""
        text = os.environ.get(self.variable, "").strip()
        number = int(text) if text.isascii() and text.isdigit() and int(text) > 0 else self.default
        return number * _MB if self.unit == "MB" else number

    def refuse(self, found: str) -> InputError:
        shown = f"{self.value() // _MB} MB" if self.unit == "MB" else str(self.value())
        return InputError(f"{found}, over the limit of {shown} for {self.what} (raise it with {self.variable})")


FILE_SIZE = Limit("XXGK_MAX_FILE_MB", 512, "MB", "a report file")
TEXT_SIZE = Limit("XXGK_MAX_TEXT_MB", 16, "MB", "a text or web-page report")
ZIP_MEMBER_SIZE = Limit("XXGK_MAX_ZIP_MEMBER_MB", 128, "MB", "one part of a .docx or .xlsx, unpacked")
ZIP_TOTAL_SIZE = Limit("XXGK_MAX_ZIP_TOTAL_MB", 512, "MB", "all parts of a .docx or .xlsx, unpacked")
ZIP_RATIO = Limit("XXGK_MAX_ZIP_RATIO", 200, "", "the packing ratio of a .docx or .xlsx part")
XML_DEPTH = Limit("XXGK_MAX_XML_DEPTH", 256, "", "the nesting depth of a document's XML")
LINE_CHARS = Limit("XXGK_MAX_LINE_CHARS", 200_000, "", "one line, paragraph or table row of a report")
SHEET_CELLS = Limit("XXGK_MAX_SHEET_CELLS", 2_000_000, "", "the cells of one worksheet (rows × columns)")
PDF_STREAM_SIZE = Limit("XXGK_MAX_PDF_STREAM_MB", 8, "MB", "one unpacked PDF content stream")
PDF_PAGES = Limit("XXGK_MAX_PDF_PAGES", 2_000, "", "the pages of a PDF")
PDF_PAGE_OBJECTS = Limit("XXGK_MAX_PDF_PAGE_OBJECTS", 30_000, "", "the characters, lines and images of one PDF page")
PAGE_PICTURES = Limit("XXGK_MAX_PAGE_PICTURES", 200, "", "the pictures a web page shows that are read by OCR")
PAGE_PICTURES_SIZE = Limit("XXGK_MAX_PAGE_PICTURES_MB", 128, "MB", "all pictures of a web page together")

ALL = (
    FILE_SIZE,
    TEXT_SIZE,
    ZIP_MEMBER_SIZE,
    ZIP_TOTAL_SIZE,
    ZIP_RATIO,
    XML_DEPTH,
    LINE_CHARS,
    SHEET_CELLS,
    PDF_STREAM_SIZE,
    PDF_PAGES,
    PDF_PAGE_OBJECTS,
    PAGE_PICTURES,
    PAGE_PICTURES_SIZE,
)

# A part smaller than this is never a bomb, whatever its ratio (a sheet of one repeated empty row packs 1000:1).
_RATIO_FLOOR = 8 * _MB


def read_file(path: Path) -> bytes:
    """A report file's bytes; only a regular file within the size limit is read.

    The file is opened without blocking and checked on the open handle, so a FIFO cannot hang the
    run and a device such as /dev/zero is refused before a byte is read.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError("no such file" + (" (a link to a missing target)" if path.is_symlink() else "")) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})") from None
    try:
        status, limit = os.fstat(handle), FILE_SIZE.value()
        _check_kind(status)
        with os.fdopen(handle, "rb", closefd=False) as file:
            # the size the file says it has, first: asking for the whole limit at once sets aside that much memory
            data = file.read(min(status.st_size, limit) + 1)
            if len(data) > status.st_size:  # it grew while being read (or, like /proc, tells no size)
                data += file.read(limit + 1 - len(data))
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(handle)
    if len(data) > FILE_SIZE.value():  # grew while being read
        raise FILE_SIZE.refuse("the file has more")
    return data


def _check_kind(status: os.stat_result) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise InputError("is a folder, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise InputError("is not a regular file (a device, pipe or socket); only files are read")
    if status.st_size > FILE_SIZE.value():
        raise FILE_SIZE.refuse(f"the file has {status.st_size // _MB} MB")


def check_line(text: str, number: int) -> None:
    """A line the cutting into cells can take: a whole report flattened onto one line is some 20,000
    characters; megabytes on one line would take minutes to cut."""
    if len(text) > LINE_CHARS.value():
        raise LINE_CHARS.refuse(f"line {number} has {len(text)} characters")


def check_lines(lines: list[str]) -> None:
    """check_line for every line, the limit read once."""
    limit = LINE_CHARS.value()
    first = next((number for number, line in enumerate(lines, start=1) if len(line) > limit), None)
    if first is not None:
        check_line(lines[first - 1], first)


def check_text_size(data: bytes) -> None:
    if len(data) > TEXT_SIZE.value():
        raise TEXT_SIZE.refuse(f"the file has {len(data) // _MB} MB")


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a container whose parts cannot or must not be unpacked: encrypted, packed with a
    method Python cannot read (Deflate64, …), or unpacking to more than the limits allow."""
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise InputError(f"part {_name(info)} is encrypted: open the file and save an unprotected copy")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            method = {9: "Deflate64", 12: "BZIP2", 14: "LZMA", 93: "Zstandard"}.get(info.compress_type, "an unusual")
            raise InputError(
                f"part {_name(info)} is packed with {method} compression (method {info.compress_type}), "
                "which cannot be read: open the file in Word or Excel and save it again"
            )
        if info.file_size > ZIP_MEMBER_SIZE.value():
            raise ZIP_MEMBER_SIZE.refuse(f"part {_name(info)} unpacks to {info.file_size // _MB} MB")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > ZIP_RATIO.value():
            raise ZIP_RATIO.refuse(f"part {_name(info)} unpacks {int(ratio)} times larger (a ZIP bomb?)")
        total += info.file_size
    if total > ZIP_TOTAL_SIZE.value():
        raise ZIP_TOTAL_SIZE.refuse(f"the parts unpack to {total // _MB} MB")


def _name(info: zipfile.ZipInfo) -> str:
    return info.filename.encode("utf-8", "replace").decode("utf-8")[:120]


# The prolog before an XML document's root element: declaration, processing instructions, comments.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


def refuse_doctype(data: bytes, part: str) -> None:
    """Office files never declare a DOCTYPE; one in a part is an attack (entity expansion) or a forgery."""
    head = data[:_MB]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    end = _PROLOG.match(head).end()
    if head[end : end + 9].upper() == b"<!DOCTYPE":
        raise InputError(f"part {part} declares a DOCTYPE, which Word and Excel never write; the file is refused")


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, what) of every limit, for the README and `--help`."""
    return [(lim.variable, f"{lim.default}{' MB' if lim.unit else ''}", lim.what) for lim in ALL]
