"""The XML of cells, rows and comments as openpyxl writes it (its lxml writer for sheets: ASCII, other
characters as references; lxml's tostring for comments: UTF-8), for the sheets that write their own rows
(cell_sheet.CellSheet, sized_sheet.SizedSheet); and a workbook's style numbers as openpyxl gives them.
"""

from __future__ import annotations

from functools import lru_cache

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, TIME_TYPES, Cell
from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

UNSTYLED = (0,) * len(StyleArray())
_INF = float("inf")
MAX_TEXT = 32_767  # what openpyxl keeps of a longer text


class Styles:
    """A workbook's styles as openpyxl numbers them: the first use of each distinct set of style attributes
    assigns them to a scratch cell (so openpyxl registers each font, fill, border... in order of first use);
    every later use copies the numbers."""

    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.workbook = sheet.parent
        # (names, ids of the values) -> (numbers, the values, kept alive so that no other object takes their ids)
        self._arrays: dict = {}
        self._borders: dict = {}  # (border number, operation) -> border number
        self._cell_styles: dict = {}  # numbers -> the cell style id (xf) written as s="..."

    def numbers(self, style: dict) -> tuple:
        key = (*style, *map(id, style.values()))
        found = self._arrays.get(key)
        if found is None:
            scratch = Cell(self.sheet)
            for name, value in style.items():
                setattr(scratch, name, value)
            found = self._arrays[key] = (tuple(scratch._style), tuple(style.values()))
        return found[0]

    def add_border(self, number: int, operation: tuple, make) -> int:
        """Border number `number` plus the border `make()` builds, as openpyxl's `cell.border += ...` registers it."""
        key = (number, operation)
        found = self._borders.get(key)
        if found is None:
            borders = self.workbook._borders
            found = self._borders[key] = borders.add(borders[number] + make())
        return found

    def cell_style_id(self, numbers: tuple) -> int:
        found = self._cell_styles.get(numbers)
        if found is None:
            found = self._cell_styles[numbers] = self.workbook._cell_styles.add(StyleArray(numbers))
        return found


def styles_of(sheet: Worksheet) -> Styles:
    """The workbook's one Styles (its style ids are the workbook's, shared by all its sheets)."""
    workbook = sheet.parent
    styles = getattr(workbook, "_xxgk_styles", None)
    if styles is None:
        styles = workbook._xxgk_styles = Styles(sheet)
    return styles


def value_and_kind(value):
    """A cell value and openpyxl's data type for it (Cell._bind_value, on the fast path for plain values)."""
    if value is None:
        return None, "n"
    kind = type(value)
    if kind is str:
        if len(value) > MAX_TEXT or ILLEGAL_CHARACTERS_RE.search(value):
            cell = Cell(None, value=value)  # openpyxl cuts the text, or refuses it
            return cell._value, cell.data_type
        if len(value) > 1 and value[0] == "=":
            return value, "f"
        return value, "e" if value in ERROR_CODES else "s"
    if kind is int or kind is float:
        return value, "n"
    if kind is bool:
        return value, "b"
    if isinstance(value, TIME_TYPES):  # openpyxl would give the cell a date format: a style, not a plain value
        raise TypeError(f"{value!r}: dates and times are written as text or numbers here")
    cell = Cell(None, value=value)  # Decimal and other numbers; openpyxl's ValueError for what no cell holds
    return cell._value, cell.data_type


def row_start(number: int, dimensions) -> str:
    """<row r="..."> with the row's dimension attributes (height...), as openpyxl's write_row."""
    found = dimensions.get(number)
    if not found:
        return f'<row r="{number}">'
    attributes = "".join(f' {k}="{_escape_attribute(v)}"' for k, v in dict(found).items())
    return f'<row r="{number}"{attributes}>'


@lru_cache(maxsize=4096)
def column_letter(column: int) -> str:
    return get_column_letter(column)


def cell_xml(row: int, column: int, value, kind: str, style: tuple, style_id) -> str:
    """One <c> element; `style_id(style)` numbers a style among the workbook's cell styles."""
    head = f'<c r="{column_letter(column)}{row}"'
    if style != UNSTYLED:
        head += f' s="{style_id(style)}"'
    if kind == "s":
        head += ' t="inlineStr"'
    elif kind != "f":
        head += f' t="{kind}"'
    if value is None or value == "":
        return head + "></c>"
    if kind == "s":
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f"{head}><is><t{space}>{escape_text(value)}</t></is></c>"
    if kind == "f":
        return f"{head}><f>{escape_text(value[1:])}</f><v></v></c>"
    return f"{head}><v>{escape_text(_number_text(value))}</v></c>"


def _number_text(value) -> str:
    """openpyxl's safe_string: numbers as %.16g, not-a-number and infinities empty."""
    if type(value) is int or (type(value) is float and value == value and value not in (_INF, -_INF)):
        return "%.16g" % value  # noqa: UP031 -- openpyxl's own expression, kept for the same text
    return safe_string(value)


def escape_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _escape_attribute(text: str) -> str:
    return escape_text(str(text)).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_VML_HEAD = (
    '<xml><ns0:shapelayout xmlns:ns0="urn:schemas-microsoft-com:office:office" '
    'xmlns:ns1="urn:schemas-microsoft-com:vml" ns1:ext="edit"><ns0:idmap ns1:ext="edit" data="1"/>'
    '</ns0:shapelayout><ns2:shapetype xmlns:ns2="urn:schemas-microsoft-com:vml" '
    'xmlns:ns3="urn:schemas-microsoft-com:office:office" id="_x0000_t202" coordsize="21600,21600" ns3:spt="202" '
    'path="m,l,21600r21600,l21600,xe"><ns2:stroke joinstyle="miter"/><ns2:path gradientshapeok="t" '
    'ns3:connecttype="rect"/></ns2:shapetype>'
)
_VML_SHAPE = (
    '<ns0:shape xmlns:ns0="urn:schemas-microsoft-com:vml" xmlns:ns1="urn:schemas-microsoft-com:office:office" '
    'type="#_x0000_t202" style="position:absolute; margin-left:59.25pt;margin-top:1.5pt;width:{width}px;'
    'height:{height}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" ns1:insetmode="auto" id="_x0000_s{id:04d}">'
    '<ns0:fill color2="#ffffe1"/><ns0:shadow color="black" obscured="t"/><ns0:path ns1:connecttype="none"/>'
    '<ns0:textbox style="mso-direction-alt:auto"><div style="text-align:left"/></ns0:textbox>'
    '<ns2:ClientData xmlns:ns2="urn:schemas-microsoft-com:office:excel" ObjectType="Note"><ns2:MoveWithCells/>'
    "<ns2:SizeWithCells/><ns2:AutoFill>False</ns2:AutoFill><ns2:Row>{row}</ns2:Row><ns2:Column>{column}"
    "</ns2:Column></ns2:ClientData></ns0:shape>"
)


def comments_xml(comments: list) -> bytes:
    """xl/comments/commentN.xml as openpyxl's CommentSheet prints it (UTF-8)."""
    authors: dict[str, int] = {}
    records = []
    for row, column, note in comments:
        author = authors.setdefault(note.author, len(authors))
        text = note.content
        stripped = text.strip()
        space = ' xml:space="preserve"' if stripped and text != stripped else ""
        records.append(
            f'<comment ref="{get_column_letter(column)}{row}" authorId="{author}" shapeId="0"><text>'
            f"<t{space}>{escape_text(text)}</t></text></comment>"
        )
    names = "".join(f"<author>{escape_text(a)}</author>" for a in authors)
    return (
        f'<comments xmlns="{_MAIN_NS}"><authors>{names}</authors><commentList>{"".join(records)}</commentList>'
        "</comments>"
    ).encode()


def comments_vml(comments: list) -> bytes:
    """The legacy drawing that shows the comments (openpyxl's ShapeWriter for a new file)."""
    shapes = (
        _VML_SHAPE.format(width=note.width, height=note.height, id=index, row=row - 1, column=column - 1)
        for index, (row, column, note) in enumerate(comments, start=1026)
    )
    return (_VML_HEAD + "".join(shapes) + "</xml>").encode()
