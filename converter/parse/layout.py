"""The reading templates of the 2019/2021 tables and what reading a table yields: the records both
the template reader and the glued-digit decisions use."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import Finding, SourceField, unmapped_entry
from ..normalize import Normalizer
from ..read.cells import Cell

# A heading line may hold its keywords plus this many characters of numbering and wording.
_HEADING_SLACK = 20


@dataclass(frozen=True)
class Slot:
    key: str  # the source field id this slot fills
    column_label: str
    unit: str


@dataclass(frozen=True)
class TemplateRow:
    label: str  # official label; "" for a table read by position (table 四)
    section: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Template:
    table: str
    rows: tuple[TemplateRow, ...]
    known_labels: frozenset[str]  # keys of captions, group and header labels: not data rows
    # Per row label ("" for a table read by position): the sum rules within the row, as slot positions
    # (left, right); they decide how a glued run of digits splits into the row's cells.
    row_sums: dict[str, tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]] = field(default_factory=dict, hash=False)
    # The sum rules among the table's printed cells (slot keys, derived cells expanded): they decide
    # among the readings of glued rows that the row's own sums leave open.
    table_sums: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    def holds(self, label: str):
        """A test that a row's numbers keep every sum rule within the row."""
        sums = self.row_sums.get(label, ())
        return lambda numbers: all(
            sum(numbers[i] for i in left) == sum(numbers[i] for i in right) for left, right in sums
        )


@dataclass
class TableResult:
    fields: list[SourceField] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    ignored: list[Cell] = field(default_factory=list)  # numbers that are not data (legacy row codes)
    split_values: int = 0  # cells read from glued digit runs (their pieces are in `ignored`)
    ambiguous: int = 0  # glued pieces no single split could read: their cells are missing


def find_heading(cells: list[Cell], keywords: tuple[str, ...], normalizer: Normalizer, start: int = 0) -> int | None:
    """Index of the first short label cell from `start` that holds every keyword."""
    budget = sum(map(len, keywords)) + _HEADING_SLACK
    for index in range(start, len(cells)):
        cell = cells[index]
        if cell.is_label and len(cell.text) <= 3 * budget:
            key = normalizer.key(cell.text)
            if len(key) <= budget and all(word in key for word in keywords):
                return index
    return None


def missing_fields(template: Template, rows: list[TemplateRow], at: Cell | None = None) -> list[SourceField]:
    """Source fields for rows the report does not yield: no raw token, no value; `at` is the
    printed cell they are reported at (a misfit row's label), if any."""
    where = at.where if at is not None else {"line": None}
    return [
        SourceField(slot.key, template.table, row.section, row.label, slot.column_label, slot.unit, "", None, **where)
        for row in rows
        for slot in row.slots
    ]


def fit_leads(values: list[Cell], expected: int, *, at_end: bool = False) -> list[Cell]:
    """Empty cells between a row's label and its first value (kind "lead"), and empty cells of their own
    (kind "empty": a line holding only '|'), are blank slots of the row when, and only when, the row then has
    exactly its cells (「label | | | | | | | 0 |」); else they are layout. In the row a text ends in, an empty
    cell of its own stays a cell: the row is cut, not over-full."""
    tentative = ("lead", "empty")
    if not any(v.kind in tentative for v in values):
        return values
    if len(values) == expected or at_end and len(values) < expected:
        return [replace(v, kind="blank") if v.kind in tentative else v for v in values]
    return [v for v in values if v.kind not in tentative]


def blank_slots(values: list[Cell], pads: list[Cell], expected: int) -> list[Cell]:
    """Blank cells for the trailing empty cells of a line, when (and only when) they complete the row.

    In a tab row 「3<TAB><TAB>…」 the empty cells after the last value are real blank cells; in
    「0<TAB>0<TAB>」 the final tab is padding. Counting decides: pads that make the row whole are
    slots, pads that do not are layout.
    """
    if not values or not pads or values[-1].line != pads[0].line:
        if not values and len(pads) >= expected > 0:  # a row printed with every cell blank
            return [replace(pad, kind="blank") for pad in pads[:expected]]
        return []
    needed = expected - len(values)
    if 0 < needed <= len(pads):
        return [replace(pad, kind="blank") for pad in pads[:needed]]
    return []


def unmapped_numbers(
    values: list[Cell], label: str, section: str, reason: str, *, code: str, suggestion: str = "", column: str = ""
) -> list[dict]:
    """The numbers among `values` as unmapped entries, listed with why (`code`: model.UNMAPPED_CODES); each in
    its printed position when no column names it."""
    return [
        unmapped_entry(
            label=label,
            section=section,
            column=column or str(position + 1),
            unit=value.unit,
            raw=value.text,
            value=value.value,
            line=value.line,
            reason=reason,
            code=code,
            suggestion=suggestion,
        )
        for position, value in enumerate(v for v in values if v.kind == "value")
    ]


def row_fields(template: Template, row: TemplateRow, printed: str, values: list[Cell]) -> list[SourceField]:
    fields = []
    for slot, cell in zip(row.slots, values):
        head = (slot.key, template.table, row.section, printed, slot.column_label, cell.unit or slot.unit, cell.text)
        if cell.confidence is None:  # cell.where, positionally: no dict made for each of a report's cells
            fields.append(SourceField(*head, cell.value, cell.line, cell.input_kind, cell.page, cell.sheet))
        else:
            fields.append(SourceField(*head, cell.value, **cell.where))
    return fields


def build_template(table: str, cells, known_labels: frozenset[str]) -> Template:
    """Rows of a table from its printed cells (schema rows or a source-format layout), in order.

    Consecutive cells with the same group and row label form one row; their columns are its slots.
    Cells without a row label (table 四) form a single row read by position.
    """
    rows: list[TemplateRow] = []
    for cell in cells:
        if cell.row_label:
            slot = Slot(cell.id, cell.column_label, cell.unit)
            same_row = rows and rows[-1].label == cell.row_label and rows[-1].section == cell.group
        else:  # a table read by position: one row, each column named by its group path
            slot = Slot(cell.id, f"{cell.group} / {cell.column_label}", cell.unit)
            same_row = rows and not rows[-1].label
        if same_row:
            rows[-1] = TemplateRow(rows[-1].label, rows[-1].section, rows[-1].slots + (slot,))
        else:
            rows.append(TemplateRow(cell.row_label, cell.group, (slot,)))
    return Template(table, tuple(rows), known_labels)
