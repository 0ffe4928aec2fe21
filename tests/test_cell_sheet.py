"""A CellSheet writes the bytes openpyxl writes for the same cells, styles, merged ranges and comments.

The reference is openpyxl itself: a plain worksheet given the same calls through openpyxl's cell API
(`ReferenceSheet`, the way the report workbook was written before CellSheet). Every sample's report
workbook and random sheets (hypothesis) are written both ways and compared byte for byte, so that an
openpyxl release that writes differently fails here, not silently in an archive.
"""

from __future__ import annotations

import math
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from converter import read_report
from converter.write import report_workbook
from converter.write.cell_sheet import CellSheet, create_cell_sheet
from converter.write.excel import cell_value, create_sheet, keep_as_text, new_workbook, save
from converter.write.sized_sheet import with_dimension

from .conftest import REPORTS


class ReferenceSheet(Worksheet):
    """The same calls as a CellSheet, carried out by openpyxl's own cells, merge_cells and comments."""

    def put(self, row, column, value, style=None):
        cell = self.cell(row=row, column=column)
        cell.value = value
        keep_as_text(cell)
        for name, setting in (style or {}).items():
            setattr(cell, name, setting)
        return cell

    def entry(self, value, style=None):
        cell = WriteOnlyCell(self, value)
        keep_as_text(cell)
        for name, setting in (style or {}).items():
            setattr(cell, name, setting)
        return cell

    def merge(self, first_row, first_column, last_row, last_column):
        self.merge_cells(start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column)

    def note(self, cell, comment):
        cell.comment = comment


def create_reference_sheet(workbook, title):
    sheet = ReferenceSheet(workbook, title)
    workbook._add_sheet(sheet)
    return sheet


@pytest.fixture(scope="module")
def reports(mappings):
    return {path: read_report(path, mappings=mappings) for path in REPORTS}


@pytest.mark.parametrize("sample", REPORTS, ids=lambda p: p.stem)
def test_report_workbook_bytes_equal_openpyxls_own(sample, reports, mappings, tmp_path, monkeypatch):
    ours = report_workbook.write_report_workbook(reports[sample], mappings, tmp_path / "ours.xlsx")
    monkeypatch.setattr(report_workbook, "create_cell_sheet", create_reference_sheet)
    reference = report_workbook.write_report_workbook(reports[sample], mappings, tmp_path / "openpyxl.xlsx")
    assert ours.read_bytes() == reference.read_bytes()


# --- random sheets ---------------------------------------------------------------------------------

THIN, THICK = Side(style="thin", color="808080"), Side(style="thick", color="C00000")
STYLES = {
    "font": [Font(bold=True), Font(bold=True, size=12), Font(italic=True)],
    "fill": [PatternFill("solid", fgColor=c) for c in ("D9E1F2", "E2EFDA", "F8CBAD")],
    "border": [Border(left=THIN, right=THIN, top=THIN, bottom=THIN), Border(left=THICK), Border(bottom=THIN)],
    "alignment": [Alignment(wrap_text=True, vertical="center"), Alignment(horizontal="right")],
    "number_format": ["General", 'General" ≈"', "0.00####", '0.00####" Σ"', "0%"],
}
styles = st.dictionaries(st.sampled_from(sorted(STYLES)), st.integers(0, 2), max_size=len(STYLES)).map(
    lambda chosen: {name: STYLES[name][i % len(STYLES[name])] for name, i in chosen.items()}
)
texts = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=st.sampled_from(list(" \t\n\r&<>\"'=+-@#é　政府信息😀\u2028")), max_size=10),
    st.sampled_from(["", " ", "=SUM(A1)", "=", "+1", "-", "@x", "#N/A", "#DIV/0!", "  padded  ", "a & b <c>"]),
)
values = st.one_of(
    st.none(),
    texts,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -0.0, 0.1, 1e16, 123456789012345678, True, False]),
)
coordinates = st.tuples(st.integers(1, 8), st.integers(1, 6))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), coordinates, values, styles),
        st.tuples(st.just("append"), st.lists(st.tuples(values, styles), max_size=5)),
        st.tuples(st.just("merge"), coordinates, st.tuples(st.integers(0, 2), st.integers(0, 2))),
        st.tuples(st.just("merge"), coordinates, st.just((0, 0))),
        st.tuples(st.just("note"), coordinates, texts),
        st.tuples(st.just("height"), st.integers(1, 8), st.sampled_from([15, 30.5])),
    ),
    max_size=25,
)


def _carry_out(sheet, steps) -> None:
    cells = {}
    for step in steps:
        kind = step[0]
        if kind == "put":
            (row, column), value, style = step[1:]
            if (row, column) not in sheet._cells:  # each cell is put once (a CellSheet refuses a second time)
                cells[row, column] = sheet.put(row, column, cell_value(value), style)
        elif kind == "append":
            sheet.append([sheet.entry(cell_value(v), style) for v, style in step[1]])
        elif kind == "merge":
            (row, column), (down, across) = step[1:]
            sheet.merge(row, column, row + down, column + across)
        elif kind == "note":
            (row, column), text = step[1:]
            if (row, column) not in sheet._cells:
                cells[row, column] = sheet.put(row, column, None)
            if sheet._cells[row, column] is not cells.get((row, column)):
                continue  # a cell an appended row or a merged range replaced
            comment = Comment(cell_value(text), "xxgk")
            comment.width, comment.height = 360, 160
            sheet.note(cells[row, column], comment)
        else:
            sheet.row_dimensions[step[1]].height = step[2]
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 20


def _written(make_sheet, sheets, path):
    workbook = new_workbook()
    for index, steps in enumerate(sheets):
        _carry_out(make_sheet(workbook, f"sheet {index}"), steps)
    return save(workbook, path).read_bytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operations, min_size=1, max_size=3))
def test_random_sheets_bytes_equal_openpyxls_own(tmp_path, sheets):
    """Values of every type, styles in any order, merged ranges (also over comments, styles and other
    ranges), comments, row heights, several sheets sharing the workbook's styles."""
    ours = _written(create_cell_sheet, sheets, tmp_path / "ours.xlsx")
    reference = _written(create_reference_sheet, sheets, tmp_path / "openpyxl.xlsx")
    assert ours == reference


def test_a_cell_sheet_refuses_openpyxls_cell_api():
    sheet = create_cell_sheet(new_workbook(), "x")
    assert isinstance(sheet, CellSheet)
    with pytest.raises(TypeError, match="put"):
        sheet.cell(1, 1)


def test_numbers_are_written_as_openpyxl_writes_them(tmp_path):
    """The text of a number: %.16g, an empty value for not-a-number and the infinities."""
    steps = [("put", (1, c), v, {}) for c, v in enumerate([math.nan, math.inf, -math.inf, 2**70, 1 / 3, -0.0], 1)]
    ours = _written(create_cell_sheet, [steps], tmp_path / "ours.xlsx")
    assert ours == _written(create_reference_sheet, [steps], tmp_path / "openpyxl.xlsx")


# --- streamed sheets -------------------------------------------------------------------------------


def _streamed_written(make_sheet, sheets, path):
    """The members of a write-only workbook of `sheets` (rows of (value, style, comment text, kind)), and
    its sheets."""
    workbook = new_workbook(write_only=True)
    for index, rows in enumerate(sheets):
        sheet = make_sheet(workbook, f"sheet {index}")
        sheet.column_dimensions["B"].width = 30
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([_streamed_item(sheet, *item) for item in row])
    with zipfile.ZipFile(save(workbook, path)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()], workbook.worksheets


def _streamed_item(sheet, value, style, note, kind):
    """A plain value, None, or an openpyxl cell (styled or not, with a comment or not), as the writers pass."""
    if kind == "plain" or value is None and kind != "cell":
        return cell_value(value)
    cell = WriteOnlyCell(sheet, cell_value(value))
    keep_as_text(cell)
    for name, setting in style.items():
        setattr(cell, name, setting)
    if note is not None:
        cell.comment = Comment(cell_value(note), "xxgk")
    return cell


class ReferenceStreamedSheet(WriteOnlyWorksheet):
    """openpyxl's own write-only sheet, with the size SizedSheet states (counted the same way)."""

    rows_written = widest = last_filled = 0

    def append(self, row):
        self.rows_written += 1
        width = len(row)
        while width and row[width - 1] is None:
            width -= 1
        if width:
            self.last_filled, self.widest = self.rows_written, max(self.widest, width)
        super().append(row)


def create_reference_streamed_sheet(workbook, title):
    sheet = ReferenceStreamedSheet(workbook, title)
    workbook._add_sheet(sheet)
    return sheet


streamed_rows = st.lists(
    st.lists(st.tuples(values, styles, st.one_of(st.none(), texts), st.sampled_from(["plain", "cell"])), max_size=6),
    max_size=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(streamed_rows, min_size=1, max_size=3))
def test_streamed_sheets_bytes_equal_openpyxls_write_only_sheets(tmp_path, sheets):
    """SizedSheet writes the rows openpyxl's write-only sheet writes, with openpyxl's quirk: after an
    unstyled openpyxl cell the plain values of the row are written through that cell, and so take its
    comment. The reference gets the <dimension> the same way (SizedSheet's), so that only rows differ."""
    ours, _ = _streamed_written(create_sheet, sheets, tmp_path / "ours.xlsx")
    reference, written = _streamed_written(create_reference_streamed_sheet, sheets, tmp_path / "openpyxl.xlsx")
    for index, sheet in enumerate(written):  # openpyxl's sheets state no size: given SizedSheet's, as it counts
        at = [name for name, _ in reference].index(f"xl/worksheets/sheet{index + 1}.xml")
        head, rest = reference[at][1].split(b"<sheetData", 1)
        size = f"A1:{get_column_letter(max(sheet.widest, 1))}{max(sheet.last_filled, 1)}"
        reference[at] = (reference[at][0], with_dimension(head, size) + b"<sheetData" + rest)
    assert ours == reference


def test_a_plain_value_after_an_unstyled_commented_cell_takes_its_comment(tmp_path):
    """openpyxl's write-only quirk, kept for the same bytes: B1 is written through A1's cell."""
    from openpyxl import load_workbook

    rows = [[("a", {}, "note", "cell"), (5, {}, None, "plain")]]
    ours, _ = _streamed_written(create_sheet, [rows], tmp_path / "ours.xlsx")
    sheet = load_workbook(tmp_path / "ours.xlsx")["sheet 0"]
    assert sheet["A1"].comment.text == sheet["B1"].comment.text == "note" and sheet["B1"].value == 5
