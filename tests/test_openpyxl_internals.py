"""Every part of openpyxl's inside that the workbook writers rely on, named and checked.

pyproject.toml pins openpyxl to one minor release (>=3.1,<3.2). The writers reach past its public API
for repeatable bytes and speed: converter/write/excel.py (styles copied as arrays, a zip of fixed
timestamps), sized_sheet.py (a streamed sheet that states its size and writes its own rows),
cell_sheet.py (cells, merged ranges and comments as records) and sheet_xml.py (the XML openpyxl writes
for them). Whoever raises the pin runs these tests first: each names what moved, and
tests/test_cell_sheet.py compares the bytes with openpyxl's own writing.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.comments.author import AuthorList
from openpyxl.comments.comment_sheet import CommentSheet
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

PINNED = (3, 1)


def test_the_installed_openpyxl_is_the_pinned_minor_release():
    assert tuple(int(p) for p in openpyxl.__version__.split(".")[:2]) == PINNED


def test_openpyxl_writes_through_lxml():
    """The sheet XML CellSheet writes is what openpyxl's lxml writer prints (ASCII, character references);
    lxml is a dependency, and OPENPYXL_LXML=False would change openpyxl's own bytes, not ours."""
    assert openpyxl.LXML is True


def test_style_array_layout():
    """excel.StyleCache and cell_sheet copy a cell's style as the nine numbers of its StyleArray."""
    names = ("fontId", "fillId", "borderId", "numFmtId", "protectionId", "alignmentId", "pivotButton", "quotePrefix")
    assert [StyleArray.__dict__[n].key for n in names + ("xfId",)] == list(range(9))
    assert tuple(StyleArray()) == (0,) * 9
    workbook = Workbook()
    cell = Cell(workbook.active)
    cell.font = Font(bold=True)
    assert isinstance(cell._style, StyleArray) and cell._style.fontId == workbook._fonts.index(Font(bold=True))
    copied = WriteOnlyCell(workbook.active, 1)
    copied._style = StyleArray(cell._style)
    assert copied.has_style and copied.font == Font(bold=True)


def test_workbook_style_lists_number_in_order_of_first_use():
    workbook = Workbook()
    for name in ("_fonts", "_fills", "_borders", "_alignments", "_protections", "_number_formats", "_cell_styles"):
        assert isinstance(getattr(workbook, name), IndexedList), name
    first, second = Font(italic=True), Font(size=20)
    assert workbook._fonts.add(first) == len(workbook._fonts) - 1
    assert workbook._fonts.add(second) == workbook._fonts.add(first) + 1
    assert workbook._fonts.add(Font(italic=True)) == workbook._fonts.index(first)  # equal values share a number


def test_border_addition_and_merging():
    """cell_sheet.CellSheet.merge repeats MergedCellRange's border arithmetic with Border + Border."""
    thin = Side(style="thin")
    assert Border(top=thin) + Border(left=thin) == Border(top=thin, left=thin)
    workbook = Workbook()
    sheet = workbook.active
    sheet.merge_cells("A1:B2")
    assert type(sheet._cells[1, 2]).__name__ == "MergedCell"
    assert {tuple(r.bounds) for r in sheet.merged_cells.ranges} == {(1, 1, 2, 2)}
    sheet.merge_cells("A1:B1")  # inside a listed range: not listed again
    assert len(sheet.merged_cells.ranges) == 1


def test_worksheet_internals():
    workbook = Workbook()
    sheet = Worksheet(workbook, "x")
    workbook._add_sheet(sheet)
    assert sheet in workbook.worksheets and sheet._cells == {} and sheet._current_row == 0
    sheet._cells[3, 2] = object()  # a CellSheet keeps its records there: the dimension reads the keys only
    assert sheet.calculate_dimension() == "B3:B3" and sheet.max_row == 3
    assert sheet._charts == [] and sheet._images == [] and sheet.legacy_drawing is None
    sheet._id = 2  # ExcelWriter numbers the sheets as it writes them
    assert sheet.path == "/xl/worksheets/sheet2.xml"


def test_worksheet_writer_stages():
    """cell_sheet._SheetWriter writes an empty <sheetData> and a <mergeCells/> mark, then fills them in."""
    for name in ("write_top", "write_rows", "write_tail", "write_merged_cells", "write_legacy", "write", "close"):
        assert callable(getattr(WorksheetWriter, name)), name
    workbook = Workbook()
    sheet = workbook.active
    writer = WorksheetWriter(sheet, out=io.BytesIO())
    assert sheet._comments == [] and sheet._hyperlinks == []
    writer.write()
    assert b"<sheetData></sheetData>" in writer.out.getvalue()
    assert writer.xf is not None and hasattr(writer, "_rels")


def test_package_writer_hooks():
    """cell_sheet.PackageWriter overrides write_worksheet and _write_comment and uses what they use."""
    for name in ("write_data", "write_worksheet", "_write_comment", "_write_worksheets"):
        assert callable(getattr(ExcelWriter, name)), name
    writer = ExcelWriter(Workbook(), zipfile.ZipFile(io.BytesIO(), "w"))
    for name in ("_archive", "manifest", "_comments", "vba_modified"):
        assert hasattr(writer, name), name
    sheet = CommentSheet(authors=AuthorList(), commentList=[])
    sheet._id = 3
    assert sheet.path == "/xl/comments/comment3.xml" and sheet._rel_type == "comments"
    assert SpreadsheetDrawing().charts == []


def test_write_only_sheet_streams_through_a_file_without_dimension():
    """excel.SizedSheet: a write-only sheet is written to a temporary file, then archive.write(file, name);
    it states no <dimension> (SizedSheet adds its own as the file goes into the zip)."""
    workbook = Workbook(write_only=True)
    sheet = WriteOnlyWorksheet(workbook, "x")
    workbook._add_sheet(sheet)
    sheet.append([1, "a"])
    written = {}

    class Recorder(zipfile.ZipFile):
        def write(self, filename, arcname=None, *args, **kwargs):
            with open(filename, "rb") as source:
                written[arcname] = source.read()

    ExcelWriter(workbook, Recorder(io.BytesIO(), "w")).write_data()
    assert set(written) == {"xl/worksheets/sheet1.xml"}
    assert b"<dimension" not in written["xl/worksheets/sheet1.xml"] and sheet.closed


@pytest.mark.parametrize(
    "value, kind",
    [("text", "s"), ("=A1", "f"), ("=", "s"), ("#N/A", "e"), (3, "n"), (2.5, "n"), (True, "b"), (None, "n")],
)
def test_cell_data_types(value, kind):
    """cell_sheet.value_and_kind repeats Cell._bind_value for plain values."""
    from converter.write.sheet_xml import value_and_kind

    assert Cell(None, value=value).data_type == kind == value_and_kind(value)[1]
    assert "#N/A" in ERROR_CODES


def test_number_text_and_illegal_characters():
    assert safe_string(1 / 3) == "%.16g" % (1 / 3) and safe_string(float("nan")) == ""
    assert ILLEGAL_CHARACTERS_RE.pattern == r"[\000-\010]|[\013-\014]|[\016-\037]"
    assert re.fullmatch(ILLEGAL_CHARACTERS_RE, "\x1f")


def test_write_only_sheet_stages():
    """sized_sheet.SizedSheet: openpyxl's _get_writer writes the head at the first row; close() sends an
    empty <sheetData> through the writer's stream, then its tail; ExcelWriter asks `closed`, then takes
    `_writer.out` (a file) and `_writer._rels`."""
    from converter.write.sized_sheet import ROWS_MARK, SizedSheet

    for name in ("_get_writer", "_already_saved", "_invalid_row"):
        assert callable(getattr(WriteOnlyWorksheet, name)), name
    assert isinstance(WriteOnlyWorksheet.closed, property)
    workbook = Workbook(write_only=True)
    sheet = SizedSheet(workbook, "x")
    workbook._add_sheet(sheet)
    sheet.append(["a", None, 2])
    assert sheet._writer is not None and sheet._comments == [] and not sheet.closed
    sheet.close()
    with open(sheet._writer.out, "rb") as written:
        assert written.read().count(ROWS_MARK) == 1
    assert sheet.closed and hasattr(sheet._writer, "_rels")
    sheet._writer.cleanup()
