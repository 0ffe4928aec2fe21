"""A report's text -> a stream of cells in reading order, whatever the table layout.

Layouts seen: one cell per line ending in ' |', ' | ' rows, tab rows whose leading tabs stand
for merged cells (and sometimes are lost), rows broken across lines, empty merged-cell lines,
blank lines, whitespace-separated numbers. Instead of guessing the grid, every line is cut into
cells and each cell is a label, a value, or an empty slot between two values of one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .values import Token, parse_token

_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Cell:
    text: str  # as printed, stripped
    line: int  # 1-based line in the decoded text
    kind: str  # "label", "value", "blank" (empty, between two values of a row) or "pad" (empty, after them)
    value: Decimal | None = None
    unit: str = ""
    input_kind: str = "text"  # text / html / docx / xlsx / pdf: what the report file was
    page: int | None = None  # PDF page, 1-based
    sheet: str | None = None  # Excel sheet name
    confidence: float | None = None  # OCR only: recognition confidence, 0-1
    box: tuple[int, int, int, int] | None = None  # OCR only: where the text stood in the page image

    @property
    def is_label(self) -> bool:
        return self.kind == "label"

    @property
    def where(self) -> dict:
        """Where the cell stands in the report file: the provenance keywords of a SourceField."""
        where = {"line": self.line, "input_kind": self.input_kind, "page": self.page, "sheet": self.sheet}
        return where | ({"confidence": self.confidence, "box": self.box} if self.confidence is not None else {})


def text_to_cells(lines: list[str]) -> list[Cell]:
    """Every line of the text cut into cells, in reading order."""
    cells: list[Cell] = []
    for number, line in enumerate(lines, start=1):
        cells.extend(line_cells(line, number))
    return cells


def line_cells(line: str, number: int, **where) -> list[Cell]:
    """One line of text cut into cells: at '|' or tabs, then into labels and values.

    `where` (input_kind, page, sheet) is stamped on every cell.
    """
    if _MARKDOWN_RULE.match(line):
        return []
    return row_cells(split_line(line), number, **where)


def row_cells(pieces: list[str], number: int, **where) -> list[Cell]:
    """The cells of one row whose pieces are already known (a table row of a document, a cut line).

    An empty piece between two values is a blank slot; empty pieces after the last filled one are
    pads (the reader decides whether they complete the row); empty pieces before the values are layout.
    """
    cells = _row_cells([piece.replace("\u3000", " ").strip() for piece in pieces], number)
    return [replace(cell, **where) for cell in cells] if where else cells


def _row_cells(pieces: list[str], number: int) -> list[Cell]:
    groups = [_piece_cells(piece, number) if piece else [] for piece in pieces]
    holding_values = [i for i, group in enumerate(groups) if any(c.kind == "value" for c in group)]
    last_filled = max((i for i, piece in enumerate(pieces) if piece), default=-1)
    cells: list[Cell] = []
    for index, group in enumerate(groups):
        cells.extend(group)
        if pieces[index]:
            continue
        if holding_values and holding_values[0] < index < holding_values[-1]:
            # between two values of one row: a blank value slot, not layout padding
            cells.append(Cell("", number, "blank"))
        elif last_filled >= 0 and index > last_filled:
            # after the row's last cell: padding, or blank slots that end the row (the reader decides)
            cells.append(Cell("", number, "pad"))
    return cells


def split_line(line: str) -> list[str]:
    """A text line's pieces: cut at '|' when it has one, else at tabs."""
    if "|" in line:
        pieces = line.split("|")
        # a line ending in '|' closes its last cell: the empty piece after it is not a cell
        return pieces[:-1] if line.rstrip().endswith("|") else pieces
    if "\t" in line:
        return line.split("\t")
    return [line]


def _piece_cells(piece: str, number: int) -> list[Cell]:
    """A piece is a label or a value; 'label 1 2 3' or '1 2 3' (space-separated) is split."""
    token = parse_token(piece)
    if token is not None:
        return [_value_cell(token, number)]
    words = piece.split()
    tail: list[Token] = []
    while len(words) > 1 and (token := parse_token(words[-1])) is not None and token.value is not None:
        tail.insert(0, token)
        words.pop()
    head = " ".join(words)
    if len(words) == 1 and parse_token(head) is not None:
        return [_value_cell(t, number) for t in [parse_token(head), *tail]]
    label = piece if not tail else head
    return [Cell(label, number, "label")] + [_value_cell(t, number) for t in tail]


def _value_cell(token: Token, number: int) -> Cell:
    return Cell(token.raw, number, "value", token.value, token.unit)
