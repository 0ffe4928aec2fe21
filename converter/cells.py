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
    kind: str  # "label", "value" or "blank" (an empty slot between two values of one row)
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
    cells: list[Cell] = []
    for index, group in enumerate(groups):
        cells.extend(group)
        # An empty piece between two values of one row is a blank value slot, not layout padding.
        if not pieces[index] and holding_values and holding_values[0] < index < holding_values[-1]:
            cells.append(Cell("", number, "blank"))
    return cells


def _split(line: str) -> list[str]:
    if "|" in line:
        return line.split("|")
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
