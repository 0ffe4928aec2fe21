"""A worksheet that keeps its cells as plain records and writes its own XML: the same bytes openpyxl
writes for the same cells, at a fraction of the cost (a report workbook: about 23 ms where it took 86).

openpyxl spends most of a report workbook's time on objects: a style object hashed on every
assignment, a MergedCell per covered cell of a merged range, an lxml call per cell and per comment.
A `CellSheet` is an ordinary openpyxl worksheet for everything around the cells (column widths,
frozen panes, filter, page setup: openpyxl still writes those), while its cells, merged ranges and
comments are records that it writes itself. Each distinct style is registered with openpyxl once per
workbook and in the order openpyxl would register it, so that style ids, and with them the bytes,
stay what openpyxl makes. tests/test_cell_sheet.py writes the same content both ways and compares
the bytes; tests/test_openpyxl_internals.py names what is relied on inside openpyxl.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl.comments.author import AuthorList
from openpyxl.comments.comment_sheet import CommentSheet
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import Relationship
from openpyxl.styles.borders import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import Element

from .sheet_xml import UNSTYLED, cell_xml, comments_vml, comments_xml, row_start, styles_of, value_and_kind

_FORMULA_START = ("=", "+", "-", "@")  # as excel.keep_as_text: such text is stored as text, shown with a prefix
# positions in a StyleArray (its ArrayDescriptors' indexes)
_QUOTE_PREFIX = StyleArray.__dict__["quotePrefix"].key
_PROTECTION = StyleArray.__dict__["protectionId"].key
_BORDER = StyleArray.__dict__["borderId"].key
_SIDES = ("top", "left", "right", "bottom")  # the order MergedCellRange.format gives the edges their borders


class Entry:
    """One cell: its value, openpyxl's data type, its style as the numbers of a StyleArray, its comment."""

    __slots__ = ("value", "kind", "style", "comment")

    def __init__(self, value, kind: str, style: tuple, comment=None):
        self.value, self.kind, self.style, self.comment = value, kind, style, comment


class CellSheet(Worksheet):
    """A worksheet whose cells are `Entry` records in `_cells` (so that openpyxl's dimension, max_row and
    max_column read them as they read cells). Use `put`, `append`, `merge` and `note`; not `cell()`."""

    comment_records = True  # its _comments, once written, are (row, column, Comment): PackageWriter writes them

    def __init__(self, parent, title=None):
        super().__init__(parent, title)
        self.styles = styles_of(self)
        self._merges: set[tuple[int, int, int, int]] = set()  # ordered as openpyxl's set of ranges

    def entry(self, value, style: dict | None = None) -> Entry:
        """A cell not yet placed (for `append`), made safe: text that looks like a formula stays text."""
        value, kind = value_and_kind(value)
        numbers = self.styles.numbers(style) if style else UNSTYLED
        if kind == "f" or (kind == "s" and value.startswith(_FORMULA_START)):
            kind = "s"
            numbers = numbers[:_QUOTE_PREFIX] + (1,) + numbers[_QUOTE_PREFIX + 1 :]
        return Entry(value, kind, numbers)

    def put(self, row: int, column: int, value, style: dict | None = None) -> Entry:
        """Place a cell, once: openpyxl would keep a cell's earlier style attributes, a record has no such past."""
        if (row, column) in self._cells:
            raise ValueError(f"{get_column_letter(column)}{row} of sheet {self.title!r} is written twice")
        entry = self._cells[row, column] = self.entry(value, style)
        self._current_row = max(row, self._current_row)
        return entry

    def append(self, row) -> None:
        """Like Worksheet.append: the next row, each item an Entry or a plain value (which gets no style)."""
        number = self._current_row + 1
        for column, item in enumerate(row, start=1):
            self._cells[number, column] = item if isinstance(item, Entry) else self.entry(item)
        self._current_row = number

    def cell(self, row, column=None, value=None):
        raise TypeError("a CellSheet's cells are Entry records: use put()")

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Worksheet.merge_cells, on records: the top-left cell takes the bottom-right cell's right and bottom
        borders, the covered cells are emptied and the range's edges take the top-left cell's borders."""
        styles, cells, borders = self.styles, self._cells, self.parent._borders
        if not any(  # openpyxl's MultiCellRange.add: a range inside one already listed is not listed again
            r[0] <= first_row <= last_row <= r[2] and r[1] <= first_column <= last_column <= r[3] for r in self._merges
        ):
            self._merges.add((first_row, first_column, last_row, last_column))
        start = cells.get((first_row, first_column)) or self.put(first_row, first_column, None)
        end = cells.get((last_row, last_column))
        if end is not None:
            corner = borders[end.style[_BORDER]]
            make = lambda: Border(right=corner.right, bottom=corner.bottom)
            added = styles.add_border(start.style[_BORDER], ("corner", end.style[_BORDER]), make)
            start.style = _with_border(start.style, added)
        covered = [(r, c) for r in range(first_row, last_row + 1) for c in range(first_column, last_column + 1)]
        for at in covered[1:]:
            cells[at] = Entry(None, "n", UNSTYLED)
        edges = {
            "top": [(first_row, c) for c in range(first_column, last_column + 1)],
            "left": [(r, first_column) for r in range(first_row, last_row + 1)],
            "right": [(r, last_column) for r in range(first_row, last_row + 1)],
            "bottom": [(last_row, c) for c in range(first_column, last_column + 1)],
        }
        for side_name in _SIDES:
            number = start.style[_BORDER]  # the top-left cell's border as it is now (its own edges change it)
            side = getattr(borders[number], side_name)
            if side and side.style is None:
                continue
            make = lambda side_name=side_name, side=side: Border(**{side_name: side})
            for at in edges[side_name]:
                cell = cells[at]
                added = styles.add_border(cell.style[_BORDER], ("side", side_name, number), make)
                cell.style = _with_border(cell.style, added)
        protection = start.style[_PROTECTION]  # a copy of the top-left cell's protection (the same number)
        for at in covered:
            cell = cells[at]
            cell.style = cell.style[:_PROTECTION] + (protection,) + cell.style[_PROTECTION + 1 :]

    def note(self, entry: Entry, comment) -> None:
        """Attach an openpyxl Comment (text, author, width, height) to a cell."""
        entry.comment = comment


def _with_border(numbers: tuple, border: int) -> tuple:
    return numbers[:_BORDER] + (border,) + numbers[_BORDER + 1 :]


def create_cell_sheet(workbook, title: str) -> CellSheet:
    sheet = CellSheet(workbook, title)
    workbook._add_sheet(sheet)
    return sheet


# --- writing ---------------------------------------------------------------------------------------

_ROWS_MARK = b"<sheetData></sheetData>"
_MERGES_MARK = b"<mergeCells/>"


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer for all but the cells and merged ranges, which go in as text."""

    def write_rows(self):
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pass
        self.xf.send(None)

    def write_merged_cells(self):
        if self.ws._merges:
            self.xf.send(Element("mergeCells"))

    def xml(self) -> bytes:
        ws = self.ws
        rows, comments = _sheet_data(ws)
        ws._comments = comments
        out = self.out.getvalue()
        out = out.replace(_ROWS_MARK, b"<sheetData>" + rows + b"</sheetData>", 1)
        if ws._merges:
            refs = "".join(f'<mergeCell ref="{_range(*m)}"/>' for m in ws._merges)
            out = out.replace(_MERGES_MARK, f'<mergeCells count="{len(ws._merges)}">{refs}</mergeCells>'.encode(), 1)
        return out

    def write(self):
        # the comments are known once the rows are written; the tail states a legacy drawing if there are any
        self.ws._comments = [c for c in self.ws._cells.values() if c.comment is not None]
        super().write()


def _range(first_row, first_column, last_row, last_column) -> str:
    first = f"{get_column_letter(first_column)}{first_row}"
    if (first_row, first_column) == (last_row, last_column):
        return first  # as CellRange.coord names a range of one cell
    return f"{first}:{get_column_letter(last_column)}{last_row}"


def _sheet_data(ws: CellSheet) -> tuple[bytes, list]:
    """The rows as openpyxl's lxml writer prints them (ASCII, other characters as references), and the
    comments in the order the rows meet them."""
    style_id = ws.styles.cell_style_id
    rows: dict[int, list] = {}
    for at in sorted(ws._cells):
        rows.setdefault(at[0], []).append(at)
    for number in ws.row_dimensions.keys() - rows.keys():
        rows[number] = []
    dimensions = ws.row_dimensions
    out, comments = [], []
    for number in sorted(rows):
        out.append(row_start(number, dimensions))
        for row, column in rows[number]:
            entry = ws._cells[row, column]
            value, kind, style = entry.value, entry.kind, entry.style
            if entry.comment is not None:
                comments.append((row, column, entry.comment))
            elif value is None and style == UNSTYLED:
                continue
            out.append(cell_xml(row, column, value, kind, style, style_id))
        out.append("</row>")
    return "".join(out).encode("ascii", "xmlcharrefreplace"), comments


class PackageWriter(ExcelWriter):
    """openpyxl's package writer; CellSheets and the comments of CellSheets and SizedSheets are written here."""

    def write_worksheet(self, ws):
        if not isinstance(ws, CellSheet):
            return super().write_worksheet(ws)
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws, out=BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.xml())
        self.manifest.append(ws)

    def _write_comment(self, ws):
        if not getattr(ws, "comment_records", False) or self.workbook.vba_archive is not None:
            return super()._write_comment(ws)
        sheet = CommentSheet(authors=AuthorList(), commentList=[])  # a stand-in: its id, path and type
        self._comments.append(sheet)
        sheet._id = len(self._comments)
        self._archive.writestr(sheet.path[1:], comments_xml(ws._comments))
        self.manifest.append(sheet)
        ws.legacy_drawing = f"xl/drawings/commentsDrawing{sheet._id}.vml"
        self._archive.writestr(ws.legacy_drawing, comments_vml(ws._comments))
        self.vba_modified.add(ws.legacy_drawing)
        ws._rels.append(Relationship(Id="comments", type=sheet._rel_type, Target=sheet.path))
