"""A report's text -> a stream of cells in reading order, whatever the table layout.

Layouts seen: one cell per line ending in ' |', ' | ' rows, tab rows whose leading tabs stand
for merged cells (and sometimes are lost), rows broken across lines, empty merged-cell lines,
blank lines, whitespace-separated numbers. Instead of guessing the grid, every line is cut into
cells and each cell is a label, a value, or an empty slot between two values of one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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

    @property
    def is_label(self) -> bool:
        return self.kind == "label"


def text_to_cells(lines: list[str]) -> list[Cell]:
    """Every line of the text cut into cells, in reading order."""
    cells: list[Cell] = []
    for number, line in enumerate(lines, start=1):
        if _MARKDOWN_RULE.match(line):
            continue
        cells.extend(_line_cells(line, number))
    return cells


def _line_cells(line: str, number: int) -> list[Cell]:
    pieces = [piece.replace("\u3000", " ").strip() for piece in _split(line)]
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


def _split(line: str) -> list[str]:
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
