"""What every reader gives: the report as rendered lines and as one stream of cells.

A line is what a reader sees as one line: a line of a text file, a paragraph, or one table row
whose cells are known. Merged table cells appear once, in the row where they start, as text
layouts show them. Every cell carries its line and where it stood (input kind, PDF page, sheet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Finding
from .cells import Cell, line_cells, row_cells
from .limits import check_line

# Wide characters: CJK ideographs, CJK punctuation, full-width forms. Chinese puts no space
# between words, so a line break next to one of them is no word gap.
_WIDE = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_SPACE_RUN = re.compile(r"\s+")


@dataclass
class Source:
    """A report file read: its kind, how its text was decoded, its lines and its cells."""

    kind: str  # text / html / docx / xlsx / pdf
    encoding: str
    lines: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what the reader noticed (a page without text)
    pictures: list[str] = field(default_factory=list)  # a web page's <img src>, in document order

    def add_text(self, text: str, *, page: int | None = None, sheet: str | None = None) -> None:
        """A paragraph: one line, cut into cells as a line of a text report is (at '|' or tabs)."""
        check_line(text, len(self.lines) + 1)
        self.lines.append(text)
        self.cells += line_cells(text, len(self.lines), **self._where(page, sheet))

    def add_row(self, pieces: list[str], *, page: int | None = None, sheet: str | None = None) -> None:
        """A table row: one line, one piece per cell as printed (a merged cell only where it starts)."""
        check_line("\t".join(pieces), len(self.lines) + 1)
        self.lines.append("\t".join(pieces))
        self.cells += row_cells(pieces, len(self.lines), **self._where(page, sheet))

    def _where(self, page: int | None, sheet: str | None) -> dict:
        return {"input_kind": self.kind, "page": page, "sheet": sheet}


def tidy(text: str, *, wrapped: bool = False) -> str:
    """The whitespace of a document's text as a reader sees it.

    Runs of whitespace become one space; a line break between two wide (Chinese) characters
    disappears. In `wrapped` text (a PDF table cell, where every break is the cell's edge) a
    break disappears unless it stands between two Latin letters.
    """

    def space(match: re.Match) -> str:
        if "\n" not in match.group() and "\r" not in match.group():
            return " "
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if _WIDE.match(before) and _WIDE.match(after):
            return ""
        if wrapped and not (before.isascii() and before.isalpha() and after.isascii() and after.isalpha()):
            return ""
        return " "

    return _SPACE_RUN.sub(space, text).strip()


# The first bytes of the picture files OCR reads: PNG, JPEG, GIF, TIFF (both byte orders); BMP and WebP by
# `is_picture`.
_PICTURE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")


def is_picture(data: bytes) -> bool:
    """An image file by its content; a Windows bitmap is 'BM', its size, then four reserved zero bytes; a WebP
    picture (what many sites now save their pictures as) is a RIFF container of kind WEBP."""
    bitmap = data.startswith(b"BM") and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00"
    webp = data.startswith(b"RIFF") and data[8:12] == b"WEBP"
    return data.startswith(_PICTURE_MAGIC) or bitmap or webp


# A page's running number ("- 2 -", 第2页, 2/10), and the share of the page height at the top and bottom
# where running heads and page numbers stand: the PDF reader and OCR both drop them.
PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–\s]*$")
MARGIN = 0.08
