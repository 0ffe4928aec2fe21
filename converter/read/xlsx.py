"""An Excel .xlsx -> lines and cells: every row of every worksheet is a line.

Read with openpyxl (already a dependency) in normal mode: read-only mode does not know merged
ranges, and a value cell merged over two columns would then look like a value and a blank. A
merged range appears once, in its top-left cell; the other cells of the range are skipped, not
blank. Numbers stored as numbers are written as a reader sees them: 3.0 is "3", 0.2 is "0.2"
(15 significant digits, as Excel shows them, so binary noise such as 0.30000000000000004 goes).
The line of a value is its row counted over the sheets in order: for the first sheet, the Excel
row number; its sheet is part of its provenance. A formula saved without its computed value
(a workbook written by a program and never opened in Excel) reads as a blank cell: missing, not 0.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

from ..errors import InputError
from .common import Source, tidy
from .limits import SHEET_CELLS
from .xml_parts import DAMAGED_PART, parse_xml


def read_xlsx(data: bytes, archive: zipfile.ZipFile | None = None) -> Source:
    """The rows of every worksheet, in order."""
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell

    if archive is not None:
        _check_parts(archive)
    try:
        # data_only: a formula cell gives the value Excel last computed and saved
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        source = Source("xlsx", "utf-8")
        for sheet in workbook.worksheets:
            rows, columns = _extent(sheet)
            # from A1, so that lines count Excel rows
            for row in sheet.iter_rows(min_row=1, min_col=1, max_row=rows, max_col=columns):
                pieces = [cell_text(cell.value) for cell in row if not isinstance(cell, MergedCell)]
                source.add_row(pieces, sheet=sheet.title)
        workbook.close()
    except (InputError, MemoryError):
        raise
    except Exception as exc:  # openpyxl and the XML parsers below it raise many kinds of error on a damaged part
        raise InputError(f"the Excel workbook is damaged and cannot be opened ({type(exc).__name__}: {exc})") from None
    return source


def _extent(sheet) -> tuple[int, int]:
    """Rows and columns to read. A sheet's size counts styled empty cells too: one stray cell at
    XFD1048576 would make a grid of 17 billion. Past the cell limit, the grid ends at the last value;
    if the values themselves span more, the sheet is refused."""
    rows, columns = sheet.max_row, sheet.max_column
    if rows * columns <= SHEET_CELLS.value():
        return rows, columns
    filled = [key for key, cell in sheet._cells.items() if cell.value is not None]  # openpyxl's own cell store
    rows, columns = max((r for r, _ in filled), default=1), max((c for _, c in filled), default=1)
    if rows * columns > SHEET_CELLS.value():
        raise SHEET_CELLS.refuse(f"sheet {sheet.title!r} spans {rows} rows × {columns} columns")
    return rows, columns


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Every XML part well-formed, without DOCTYPE and within the depth limit, before openpyxl reads it."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            try:
                parse_xml(archive.read(info), info.filename)
            except DAMAGED_PART as exc:
                raise InputError(
                    f"the Excel workbook is damaged: part {info.filename} cannot be read ({exc})"
                ) from None


def cell_text(value) -> str:
    """A cell's value as printed text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return number_text(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return tidy(str(value))


def number_text(value: int | float | Decimal) -> str:
    """3 -> "3", 3.0 -> "3", 0.2 -> "0.2", 1e16 -> "10000000000000000", never an exponent."""
    if isinstance(value, int):
        return str(value)
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else value
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
