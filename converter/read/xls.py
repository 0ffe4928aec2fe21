"""An old Excel .xls (or an OpenDocument .ods) -> lines and cells, as the .xlsx reader gives them.

Read with python-calamine (a binding of the Rust calamine reader: a wheel with no system
library, kept up to date, reading BIFF8 .xls and .ods alike). Each row of every worksheet is a
line, from A1, so that the line of a value on the first sheet is its Excel row. A merged range
appears once, in its top-left cell; the other cells of the range are skipped, not blank. Numbers
are printed as the .xlsx reader prints them (3.0 is "3"). A formula gives the value last saved
with it, as Excel shows it.
"""

from __future__ import annotations

import io

from ..errors import InputError
from .common import Source
from .xlsx import cell_text


def read_xls(data: bytes, kind: str = "xls") -> Source:
    """The rows of every worksheet of a .xls (kind "xls") or .ods (kind "ods"), in order."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine's errors (CalamineError, PasswordError, ...) share no base with ours
        raise _unreadable(exc, kind) from None
    source = Source(kind, "utf-8")
    try:
        ods_merges = _ods_merges(data) if kind == "ods" else {}
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            _read_sheet(source, sheet, name, ods_merges)
    except Exception as exc:  # a damaged sheet stream found while reading
        raise _unreadable(exc, kind) from None
    finally:
        workbook.close()
    return source


def _read_sheet(source: Source, sheet, name: str, ods_merges: dict) -> None:
    covered = _merged_away(sheet.merged_cell_ranges or ods_merges.get(name, []))
    for row_index, row in enumerate(sheet.to_python(skip_empty_area=False)):
        pieces = [cell_text(value) for column, value in enumerate(row) if (row_index, column) not in covered]
        source.add_row(pieces, sheet=name)


def _merged_away(ranges) -> set[tuple[int, int]]:
    """(row, column) of every cell inside a merged range but its top-left one (0-based)."""
    away = set()
    for (top, left), (bottom, right) in ranges:
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                if (row, column) != (top, left):
                    away.add((row, column))
    return away


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_merges(data: bytes) -> dict[str, list]:
    """The merged ranges of each sheet of an .ods, which calamine does not report for this format.

    A merged cell carries number-columns-spanned / number-rows-spanned where it starts; repeated
    rows and cells (number-rows-repeated, number-columns-repeated) stand for several positions.
    """
    import zipfile

    from lxml import etree

    attribute = lambda element, name: int(element.get(f"{{{_TABLE}}}{name}", "1"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("content.xml"), parser=etree.XMLParser(resolve_entities=False))
    merges: dict[str, list] = {}
    for table in root.iter(f"{{{_TABLE}}}table"):
        ranges = merges.setdefault(table.get(f"{{{_TABLE}}}name", ""), [])
        row = 0
        for element in table.iter(f"{{{_TABLE}}}table-row"):
            column = 0
            for cell in element:
                across, down = attribute(cell, "number-columns-spanned"), attribute(cell, "number-rows-spanned")
                if across > 1 or down > 1:
                    ranges.append(((row, column), (row + down - 1, column + across - 1)))
                column += attribute(cell, "number-columns-repeated")
            row += attribute(element, "number-rows-repeated")
    return merges


def _unreadable(exc: Exception, kind: str) -> InputError:
    what = "old Excel workbook (.xls)" if kind == "xls" else "OpenDocument spreadsheet (.ods)"
    if type(exc).__name__ == "PasswordError":
        return InputError(f"the {what} is protected by a password; open it and save an unprotected copy")
    return InputError(f"the {what} is damaged and cannot be opened ({type(exc).__name__}: {exc})")
