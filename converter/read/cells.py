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

from .values import UNITS, Token, parse_token

_PAGE_MARK = re.compile(r"^\s*(?:P\.?\s*\d+|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+)\s*$")
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


# Not frozen, for speed: the readers make hundreds a report, and a frozen dataclass costs five times as much
# to make. Treat it as if frozen: never assign to a field, make a new one with dataclasses.replace.
@dataclass(unsafe_hash=True)
class Cell:
    text: str  # as printed, stripped
    line: int  # 1-based line in the decoded text
    # "label", "value", "blank" (empty, between two values of a row), "pad" (empty, after them), "lead"
    # (empty, between a row's label and its first value) or "empty" (a cell of its own that holds nothing:
    # a row's blank slot when the row is not yet complete)
    kind: str
    value: Decimal | None = None
    unit: str = ""
    input_kind: str = "text"  # text / html / docx / xlsx / pdf: what the report file was
    page: int | None = None  # PDF page, 1-based
    sheet: str | None = None  # Excel sheet name
    glued: bool = False  # cut from a line that lost its separators: may hold several cells' digits
    confidence: float | None = None  # OCR only: recognition confidence, 0-1
    box: tuple[int, int, int, int] | None = None  # OCR only: where the text stood in the page image
    image: str | None = None  # OCR only: the picture file read, when the report names it (a web page's <img>)

    @property
    def is_label(self) -> bool:
        return self.kind == "label"

    @property
    def where(self) -> dict:
        """Where the cell stands in the report file: the provenance keywords of a SourceField."""
        where = {"line": self.line, "input_kind": self.input_kind, "page": self.page, "sheet": self.sheet}
        ocr = {"confidence": self.confidence, "box": self.box, "image": self.image}
        return where | (ocr if self.confidence is not None else {})


def text_to_cells(lines: list[str]) -> list[Cell]:
    """Every line of the text cut into cells, in reading order.

    In a text that puts one empty line after every cell, a longer run of empty lines holds empty
    cells: each extra empty line is one (the reader uses it only to complete a row).
    """
    cells: list[Cell] = []
    spaced = _one_empty_line_between_cells(lines)
    empty_run = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            empty_run += 1
            continue
        if spaced and empty_run > 1:
            cells += [Cell("", number - empty_run + index, "empty") for index in range(1, empty_run)]
        empty_run = 0
        cells.extend(line_cells(line, number))
    return cells


# A text is laid out one cell per line with an empty line after each when at least this share of its
# consecutive non-empty lines are one empty line apart (over at least _SPACED_MIN_LINES lines).
_SPACED_SHARE = 0.8
_SPACED_MIN_LINES = 40


def _one_empty_line_between_cells(lines: list[str]) -> bool:
    gaps, run, started = [], 0, False
    for line in lines:
        if line.strip():
            if started:
                gaps.append(run)
            started, run = True, 0
        else:
            run += 1
    return len(gaps) >= _SPACED_MIN_LINES and sum(1 for g in gaps if g >= 1) >= _SPACED_SHARE * len(gaps)


def line_cells(line: str, number: int, **where) -> list[Cell]:
    """One line of text cut into cells: at '|' or tabs, then into labels and values.

    `where` (input_kind, page, sheet) is stamped on every cell.
    """
    if len(line) > _SHAPE_MAX_LINE:
        return _line_cells(line, number, **where)
    return _from_shapes(_shapes(line, _line_cells), number, where)


def row_cells(pieces: list[str], number: int, **where) -> list[Cell]:
    """The cells of one row whose pieces are already known (a table row of a document, a cut line).

    An empty piece between two values is a blank slot; empty pieces after the last filled one are
    pads (the reader decides whether they complete the row); empty pieces before the values are layout.
    """
    pieces = tuple(piece.replace("\u3000", " ").strip() for piece in pieces)
    if sum(map(len, pieces)) > _SHAPE_MAX_LINE:
        return _from_shapes(_cut_shapes(pieces, _row_cells), number, where)
    return _from_shapes(_shapes(pieces, _row_cells), number, where)


# The cells of each distinct line or row, as (text, kind, value, unit): reports of one archive print the same
# table lines again and again, and cutting a line costs far more than making its cells. Bounded: long lines
# are prose, and the store is emptied when full.
_SHAPES: dict = {}
_SHAPE_MAX_LINE = 400
_SHAPE_MAX_LINES = 50_000


def _shapes(printed, cut) -> tuple:
    shapes = _SHAPES.get(printed)
    if shapes is None:
        if len(_SHAPES) >= _SHAPE_MAX_LINES:
            _SHAPES.clear()
        shapes = _SHAPES[printed] = _cut_shapes(printed, cut)
    return shapes


def _cut_shapes(printed, cut) -> tuple:
    return tuple((c.text, c.kind, c.value, c.unit) for c in cut(printed, 0))


def _from_shapes(shapes: tuple, number: int, where: dict) -> list[Cell]:
    return [Cell(text, number, kind, value, unit, **where) for text, kind, value, unit in shapes]


def _line_cells(line: str, number: int, **where) -> list[Cell]:
    if _MARKDOWN_RULE.match(line):
        return []
    if line.strip() == "|":  # one cell per line: a line holding only '|' is an empty cell
        return [Cell("", number, "empty", **where)]
    if _PAGE_MARK.match(line):  # 「P. 8」「第 3 页」「- 12 -」: a page number, not a table row
        return [Cell(line.strip(), number, "label", **where)]
    return row_cells(split_line(line), number, **where)


def _row_cells(pieces: list[str], number: int) -> list[Cell]:
    groups = [_piece_cells(piece, number) if piece else [] for piece in pieces]
    holding_values = [i for i, group in enumerate(groups) if any(c.kind == "value" for c in group)]
    holding_labels = [i for i, group in enumerate(groups) if any(c.kind == "label" for c in group)]
    last_filled = max((i for i, piece in enumerate(pieces) if piece), default=-1)
    cells: list[Cell] = []
    for index, group in enumerate(groups):
        cells.extend(group)
        if pieces[index]:
            continue
        if holding_values and holding_labels and holding_labels[0] < index < holding_values[0]:
            # between the row's label and its first value: a blank slot, or a merged cell's trace in a tab
            # row (「label<TAB><TAB>0<TAB>0 …」): the reader keeps it only where the row then fits
            cells.append(Cell("", number, "lead"))
        elif holding_values and holding_values[0] < index < holding_values[-1]:
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
    """A piece is a label or a value; 'label 1 2 3' or '1 2 3' (space-separated) is split, and so is a
    whole table flattened onto one line: '规 章 0 0 0 行政规范性文件 0 0 0 …'."""
    token = parse_token(piece)
    if token is not None:
        return [_value_cell(token, number)]
    words = piece.split()
    if _flattened_table(piece, words):
        return _alternating_cells(words, number)
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


# A flattened table: at least this many number words, and none of the punctuation of prose sentences
# outside brackets (a table's header may hold 「（…第一项加第二项之和，等于…）」).
_FLATTENED_MIN_NUMBERS = 3
_SENTENCE_MARKS = re.compile(r"[。；;，,！？]")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # 5,781: a number, not a clause
_BRACKETED = re.compile(r"[（(][^（()）]*[）)]")


def _flattened_table(piece: str, words: list[str]) -> bool:
    values = [i for i, w in enumerate(words) if _is_number_word(w) and not _before_date_word(words, i)]
    labels = [i for i, w in enumerate(words) if not _is_number_word(w)]
    if len(values) < _FLATTENED_MIN_NUMBERS or not labels or values[0] > labels[-1]:
        return False  # 'label 1 2 3' is the plain row
    return not _SENTENCE_MARKS.search(_BRACKETED.sub("", _THOUSANDS_COMMA.sub("", piece)))


def _before_date_word(words: list[str], index: int) -> bool:
    return index + 1 < len(words) and words[index + 1].startswith(("年", "月"))


def _is_number_word(word: str) -> bool:
    token = parse_token(word)
    return token is not None and token.value is not None


def _alternating_cells(words: list[str], number: int) -> list[Cell]:
    """Runs of label words become one label, each number word one value; a year before 年 stays a word."""
    cells: list[Cell] = []
    label: list[str] = []
    for index, word in enumerate(words):
        if _is_number_word(word) and not _before_date_word(words, index):
            if label:
                cells.append(Cell(" ".join(label), number, "label"))
                label = []
            cells.append(_value_cell(parse_token(word), number))
        else:
            label.append(word)
    if label:
        cells.append(Cell(" ".join(label), number, "label"))
    return [part for cell in cells for part in _unit_apart(cell)]


def _unit_apart(cell: Cell) -> list[Cell]:
    """「其中：1.网站公开 条」: a unit printed as the last word of a label run is the row's unit cell."""
    words = cell.text.split()
    if cell.kind != "label" or len(words) < 2 or words[-1] not in UNITS:
        return [cell]
    return [replace(cell, text=" ".join(words[:-1])), replace(cell, text=words[-1])]
