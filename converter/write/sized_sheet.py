"""A streamed sheet (openpyxl's write-only mode) that states its size and writes its own rows.

The series and audit workbooks stream their rows: a national corpus does not fit in memory as cells.
openpyxl writes the sheet's head when the first row comes and its tail when the sheet is closed; the
rows in between go, as the XML openpyxl's writer would print for them (sheet_xml), into a temporary
file of their own, about three times faster than openpyxl's writer, whose lxml call per cell made most
of a series workbook's time. excel._FixedTimeZip puts head, rows and tail together in the archive, with
the <dimension> that only the end of the rows tells. tests/test_cell_sheet.py compares the bytes with
openpyxl's own write-only sheets.
"""

from __future__ import annotations

import shutil
import tempfile
from inspect import isgenerator

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .sheet_xml import UNSTYLED, cell_xml, row_start, styles_of, value_and_kind

ROWS_MARK = b"<sheetData></sheetData>"  # where the rows go in the XML openpyxl writes around them


class SizedSheet(WriteOnlyWorksheet):
    """A streamed sheet that counts its rows and columns as they go, so that the saved sheet states its
    size (<dimension>, which read-only readers and pandas rely on) and a list sheet filters its whole
    extent (`filtered`)."""

    comment_records = True  # its _comments are (row, column, Comment): cell_sheet.PackageWriter writes them

    def __init__(self, parent, title):
        super().__init__(parent, title)
        self.rows_written = 0
        self.last_filled = 0  # the last row with a cell in it (empty rows only make room, for a chart)
        self.widest = 0
        self.filtered = False
        self.print_columns = 0  # print only the first so many columns (0: all)
        self._rows_file = None  # the rows' XML, from the first row on
        self._finished = False
        self._style_id = styles_of(self).cell_style_id

    @property
    def closed(self) -> bool:
        return self._finished

    def append(self, row):
        """Like openpyxl's: None leaves a cell out; an openpyxl cell (WriteOnlyCell) keeps its style and comment."""
        if self._finished:
            self._already_saved()
        if isgenerator(row) or not isinstance(row, (list, tuple, range)):
            self._invalid_row(row)
        self.rows_written += 1
        width = len(row)
        while width and row[width - 1] is None:
            width -= 1
        if width:
            self.last_filled = self.rows_written
            self.widest = max(self.widest, width)
        if self._rows_file is None:
            self._get_writer()  # openpyxl writes the sheet's head (views, columns) at the first row, as ever
            self._rows_file = tempfile.TemporaryFile()
        self._rows_file.write(self._row_xml(row, self.rows_written).encode("ascii", "xmlcharrefreplace"))

    def _row_xml(self, row, number: int) -> str:
        """A row as openpyxl's write-only sheet writes it. openpyxl reuses one cell for the plain values of a
        row and, after an unstyled openpyxl cell, that cell itself: a plain value after it takes its comment."""
        out = [row_start(number, self.row_dimensions)]
        carried = None  # the unstyled openpyxl cell a plain value would be written into
        for column, item in enumerate(row, start=1):
            if item is None:
                continue
            if isinstance(item, Cell):
                if item.hyperlink is not None:
                    raise ValueError("a streamed sheet writes no hyperlinks")
                value, kind, comment = item._value, item.data_type, item._comment
                style = tuple(item._style) if item._style else UNSTYLED  # an unstyled cell may have no array
                carried = None if style != UNSTYLED else item
            else:
                value, kind = value_and_kind(item)
                style, comment = UNSTYLED, (carried._comment if carried is not None else None)
            if comment is not None:
                self._comments.append((number, column, comment))
            elif value is None and style == UNSTYLED:
                continue
            out.append(cell_xml(number, column, value, kind, style, self._style_id))
        out.append("</row>")
        return "".join(out)

    def dimension(self) -> str:
        return f"A1:{get_column_letter(max(self.widest, 1))}{max(self.last_filled, 1)}"

    def close(self):
        """openpyxl writes the tail (filter, merged ranges, page setup, a legacy drawing for comments) after an
        empty <sheetData>, where write_xml puts the rows."""
        if self._finished:
            self._already_saved()
        if self.filtered and self.last_filled:
            self.auto_filter.ref = self.dimension()
        if self.print_columns and self.last_filled:
            self.print_area = f"A1:{get_column_letter(self.print_columns)}{self.last_filled}"
        self._get_writer()
        writer = self._writer
        stream = writer.xf.send(True)
        with stream.element("sheetData"):
            pass
        writer.xf.send(None)
        writer.write_tail()
        writer.close()
        self._finished = True

    def write_xml(self, around: bytes, target) -> None:
        """The sheet's XML into `target`: `around` (what openpyxl wrote: head, empty rows, tail) with the
        <dimension> and the rows put in."""
        head, tail = around.split(ROWS_MARK, 1)
        target.write(with_dimension(head, self.dimension()) + b"<sheetData>")
        if self._rows_file is not None:
            self._rows_file.seek(0)
            shutil.copyfileobj(self._rows_file, target, 1 << 20)
            self._rows_file.close()
            self._rows_file = None
        target.write(b"</sheetData>" + tail)


def with_dimension(head: bytes, ref: str) -> bytes:
    """A streamed sheet is written before its size is known; its <dimension> goes in as it is saved,
    where the schema wants it (after <sheetPr>, before <sheetViews>)."""
    if b"<dimension" in head:
        return head
    element = f'<dimension ref="{ref}"/>'.encode()
    for marker in (b"<sheetViews", b"<sheetFormatPr", b"<cols"):
        at = head.find(marker)
        if at >= 0:
            return head[:at] + element + head[at:]
    return head + element  # the head ends where <sheetData> begins


def create_sheet(workbook, title: str) -> SizedSheet:
    """A streamed sheet of a write-only workbook that will state its size when saved."""
    sheet = SizedSheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)
    return sheet
