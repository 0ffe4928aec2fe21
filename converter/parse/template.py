"""Template-guided extraction: a recognised row label is followed by as many values as its row
has columns. Works on the cell stream, so the layout (lines, pipes, tabs, broken rows) does not
matter. What cannot be placed is never guessed: it becomes a finding, and its numbers go to the
unmapped list so that every printed number is accounted for.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from decimal import Decimal

from ..model import Finding, unmapped_entry
from ..normalize import Normalizer, half_width
from ..read.cells import Cell
from .layout import (  # noqa: F401  (build_template, find_heading …: the readers' public names, re-exported)
    Slot,
    TableResult,
    Template,
    TemplateRow,
    blank_slots,
    build_template,
    find_heading,
    fit_leads,
    missing_fields,
    row_fields,
    unmapped_numbers,
)
from .rows import PENDING, Pending, normalizer_key, resolve_glued, settle_pending  # noqa: F401


def read_table(cells: list[Cell], template: Template, normalizer: Normalizer, prose: tuple = ()) -> TableResult:
    """Read one table region (the cells between its heading and the next one); `prose`: the figures the
    report's sentences state (witnesses between readings of glued digits)."""
    if template.rows and not template.rows[0].label:
        return _read_positional(cells, template)
    return _LabelledReader(template, normalizer, prose).read(cells)


def _read_positional(cells: list[Cell], template: Template) -> TableResult:
    """A table with one unlabelled row (table 四): the first values after its header labels."""
    row = template.rows[0]
    result = TableResult()
    values: list[Cell] = []
    pads: list[Cell] = []
    rest: list[Cell] = []
    for index, cell in enumerate(cells):
        if cell.kind == "pad":
            pads.append(cell)
            continue
        values += blank_slots(values, pads, len(row.slots))
        pads = []
        if cell.kind == "empty":
            # before the first value: an empty header cell, or the row's blank first cells (told at the end)
            values.append(replace(cell, kind="blank" if values else "lead"))
            continue
        if cell.is_label and not any(v.kind != "lead" for v in values):
            values = []  # empty cells before a header label were the header's
        if cell.is_label and values or len(values) == len(row.slots):
            rest = cells[index:]
            break
        if not cell.is_label:
            values.append(cell)
    values += blank_slots(values, pads, len(row.slots))
    values = _fit_leading_empties(values, len(row.slots))
    values = resolve_glued(result, template, row, values)
    if values is None:
        result.fields = missing_fields(template, [row])
        return result
    _list_strays(result, template, [c for c in rest if c.kind == "value"])
    result.fields = row_fields(template, row, row.label, values)
    if len(values) < len(row.slots):
        result.fields += missing_fields(template, [TemplateRow(row.label, row.section, row.slots[len(values) :])])
        line = values[-1].line if values else None
        result.findings.append(
            Finding(
                "truncated-table",
                f"table {template.table} stops after line {line}: {len(values)} of {len(row.slots)} values read; "
                "the rest are missing"
                if values
                else f"table {template.table}: none of its {len(row.slots)} values could be read; they are missing",
                line=line,
            )
        )
    _flag_missing_values(result, template, row, values)
    return result


# 「2.重复申请」「(3)…」: the number a row label opens with.
_LEADING_ORDINAL = re.compile(r"^[(（]?(\d+)[)）.、．]")


def _fit_leading_empties(values: list[Cell], expected: int) -> list[Cell]:
    """Empty cells before the first value of a table read by position are its blank first cells when the row
    then has exactly its cells; else they were the header's empty cells."""
    filled = [v for v in values if v.kind != "lead"]
    leading = len(values) - len(filled)
    if leading and filled and len(values) == expected:
        return [replace(v, kind="blank") if v.kind == "lead" else v for v in values]
    return filled


class _LabelledReader:
    """Walks the cells once, opening a row at each recognised label and filling its slots."""

    def __init__(self, template: Template, normalizer: Normalizer, prose: tuple = ()):
        self.template = template
        self.prose = prose
        self.pending: list[Pending] = []  # glued rows waiting for the table's sum rules
        self.maybe: int | None = None  # the row a header word may open, decided by the values after it
        self.key = normalizer.key
        self.row_keys = [self.key(row.label) for row in template.rows]
        self.next_row = 0
        self.open: tuple[TemplateRow | None, Cell, list[Cell]] | None = None
        self.cut_inside: tuple[TemplateRow, int, int] | None = None  # the row the text ends in
        self.pads: list[Cell] = []
        self.result = TableResult()
        self.suggestions: dict[str, str] = {}  # label key -> closest row label

    def _settle_pads(self) -> None:
        """Empty cells after a row's values are its blank last slots only if they complete the row."""
        if self.open is not None and self.open[0] is not None:
            self.open[2].extend(blank_slots(self.open[2], self.pads, len(self.open[0].slots)))
        self.pads = []

    def read(self, cells: list[Cell]) -> TableResult:
        for cell in cells:
            if cell.kind == "pad":
                self.pads.append(cell)
                continue
            if self.pads:
                self._settle_pads()
            if cell.kind == "empty":
                self._empty(cell)
            elif cell.kind == "lead":
                if self.open is not None:
                    self.open[2].append(cell)
            elif cell.is_label:
                self._label(cell)
            elif self.open is not None:
                self.open[2].append(cell)
            elif cell.kind == "value":
                _list_strays(self.result, self.template, [cell])
        self._settle_pads()
        self._close(at_end=True)
        settle_pending(self.result, self.template, self.pending, self.prose)
        unread = list(self.template.rows[self.next_row :])
        if unread or self.cut_inside:
            self._report_cut(unread)
        return self.result

    def _empty(self, cell: Cell) -> None:
        """An empty cell of its own is a blank slot of the open row while the row is not complete, if the
        row then fits."""
        if self.open is not None and self.open[0] is not None and len(self.open[2]) < len(self.open[0].slots):
            # tentative, like an empty piece after a label: a lone '|' may also close a label line
            self.open[2].append(cell)

    def _report_cut(self, unread: list[TemplateRow]) -> None:
        """One finding for a table that stops early, inside a row or between rows."""
        last_line = max((f.line for f in self.result.fields if f.line is not None), default=None)
        self.result.fields += missing_fields(self.template, unread)
        rows = len(self.template.rows)
        if self.cut_inside:
            row, read, line = self.cut_inside
            message = (
                f"table {self.template.table} stops after line {line} inside row 「{row.label}」 "
                f"({read} of {len(row.slots)} values read); {len(unread)} of {rows} rows not reached; "
                "the rest are missing"
            )
        elif last_line is None:
            line = None
            message = f"table {self.template.table}: none of its {rows} rows could be read; its cells are missing"
        else:
            line = last_line
            message = (
                f"table {self.template.table} stops after line {line}: {rows - len(unread)} of {rows} rows "
                "read; the rest are missing"
            )
        self.result.findings.append(Finding("truncated-table", message, line=line))

    def _label(self, cell: Cell) -> None:
        key = self.key(cell.text)
        if self.maybe is not None:  # settle a header word's row first: it moves the rows expected next
            self._close(at_end=False)
        found = self._match(key)
        if found is not None:
            self._close(at_end=False)
            skipped = list(self.template.rows[self.next_row : found])
            if skipped:
                self._not_found(skipped, cell)
            self.open = (self.template.rows[found], cell, [])
            self.next_row = found + 1
        elif not key or key in self.template.known_labels:
            self._close(at_end=False)
            self._maybe_row(key, cell)
        elif self.next_row > 0:  # inside the rows: a label no template row knows
            self._close(at_end=False)
            self.open = (None, cell, [])

    def _maybe_row(self, key: str, cell: Cell) -> None:
        """A header word that is also a later row's label (总计, 其他): that row only if a row's worth of values
        follows before the next label (a page that starts at 「3.其他」 or 「（七）总计」); a header cell is
        followed by more labels, never by values."""
        later = next((i for i in range(self.next_row, len(self.template.rows)) if self.row_keys[i] == key), None)
        if later is not None and later != self.next_row:
            self.open = (self.template.rows[later], cell, [])
            self.maybe = later

    def _match(self, key: str) -> int | None:
        """The row this label opens. A label that is also a header label (总计, 其他) opens a row
        only where that row is the next one expected, so header cells never open data rows."""
        for index in range(self.next_row, len(self.template.rows)):
            if self.row_keys[index] == key:
                if key in self.template.known_labels and index != self.next_row:
                    return None
                return index
        return None

    def _close(self, *, at_end: bool) -> None:
        if self.open is None:
            return
        row, label_cell, values = self.open
        self.open = None
        if self.maybe is not None:
            found, self.maybe = self.maybe, None
            filled = any(v.kind == "value" for v in values)  # a header row's empty cells are no data row
            if (
                not filled
                or len([v for v in values if v.kind != "lead"]) != len(row.slots)
                and not any(v.glued for v in values)
            ):
                _list_strays(self.result, self.template, [v for v in values if v.kind == "value"])
                return  # a header cell after all
            skipped = list(self.template.rows[self.next_row : found])
            if skipped:
                self._not_found(skipped, label_cell)
            self.next_row = found + 1
        if row is not None:
            values = fit_leads(values, len(row.slots), at_end=at_end)
            if at_end:
                values = self._without_next_ordinal(row, values)
            values = resolve_glued(self.result, self.template, row, values, self.pending, label_cell, self.prose)
            if values is PENDING:
                return
            if values is None:
                self.result.fields += missing_fields(self.template, [row], label_cell)
                return
        if row is None:
            self._unknown(label_cell, values)
        elif len(values) == len(row.slots) or (at_end and len(values) < len(row.slots)):
            self.result.fields += row_fields(self.template, row, label_cell.text, values)
            self.result.fields += missing_fields(
                self.template, [TemplateRow(row.label, row.section, row.slots[len(values) :])]
            )
            _flag_missing_values(self.result, self.template, row, values)
            if len(values) < len(row.slots):  # the text ends inside this row
                self.cut_inside = (row, len(values), values[-1].line if values else label_cell.line)
        else:
            self._misfit(row, label_cell, values)

    def _without_next_ordinal(self, row: TemplateRow, values: list[Cell]) -> list[Cell]:
        """A text cut off right after the next row's ordinal (「… 0 0 2」): that last number is the ordinal
        of the row the text does not reach, not a cell of this one."""
        if len(values) != len(row.slots) + 1 or values[-1].value is None or self.next_row >= len(self.template.rows):
            return values
        ordinal = _LEADING_ORDINAL.match(half_width(self.template.rows[self.next_row].label))
        if ordinal is None or Decimal(ordinal.group(1)) != values[-1].value or values[-1].glued:
            return values
        self.result.ignored.append(values[-1])
        self.cut_inside = (self.template.rows[self.next_row], 0, values[-1].line)
        return values[:-1]

    def _misfit(self, row: TemplateRow, label_cell: Cell, values: list[Cell]) -> None:
        """A row with too few or too many values: which cell is which cannot be told, so none is used."""
        printed = ", ".join(v.text or "(blank)" for v in values) or "nothing"
        reason = f"row has {len(values)} value(s) where {len(row.slots)} were expected"
        self.result.fields += missing_fields(self.template, [row], label_cell)
        self.result.findings.append(
            Finding(
                "row-misfit",
                f"table {self.template.table}, line {label_cell.line}: 「{label_cell.text}」 {reason} ({printed}); "
                "which value belongs to which column cannot be told, so the whole row is left missing",
                line=label_cell.line,
                id=row.slots[0].key,
            )
        )
        self._unmapped(label_cell, values, reason, code="row-misfit")

    def _unknown(self, label_cell: Cell, values: list[Cell]) -> None:
        suggestion = self._suggestion(self.key(label_cell.text))
        hint = f"; closest known label: 「{suggestion}」" if suggestion else ""
        self.result.findings.append(
            Finding(
                "unknown-label",
                f"table {self.template.table}, line {label_cell.line}: label 「{label_cell.text}」 is not in the format{hint}",
                line=label_cell.line,
            )
        )
        self._unmapped(label_cell, values, "unknown-label", suggestion, code="unknown-label")

    def _suggestion(self, key: str) -> str:
        """The closest row label, once per distinct label (a long line may repeat one thousands of times)."""
        if key not in self.suggestions:
            keys = {self.key(row.label): row.label for row in self.template.rows}
            close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.5)
            self.suggestions[key] = keys[close[0]] if close else ""
        return self.suggestions[key]

    def _unmapped(self, label_cell: Cell, values: list[Cell], reason: str, suggestion: str = "", *, code: str) -> None:
        label = "" if label_cell in values else label_cell.text
        section = f"table {self.template.table}"
        self.result.unmapped += unmapped_numbers(values, label, section, reason, code=code, suggestion=suggestion)

    def _not_found(self, rows: list[TemplateRow], where: Cell) -> None:
        self.result.fields += missing_fields(self.template, rows)
        names = "、".join(f"「{row.label}」" for row in rows)
        self.result.findings.append(
            Finding(
                "row-not-found",
                f"table {self.template.table}: row(s) {names} not found before line {where.line}; their cells are missing",
                line=where.line,
                id=rows[0].slots[0].key,
            )
        )


def _list_strays(result: TableResult, template: Template, cells: list[Cell]) -> None:
    """Values that stand under no row label: listed as unmapped with a finding, never dropped."""
    for cell in cells:
        result.findings.append(
            Finding(
                "stray-value",
                f"table {template.table}, line {cell.line}: value 「{cell.text}」 stands under no row label",
                line=cell.line,
            )
        )
        result.unmapped.append(
            unmapped_entry(
                label="",
                section=f"table {template.table}",
                column="",
                unit=cell.unit,
                raw=cell.text,
                value=cell.value,
                line=cell.line,
                reason="stray-value",
                code="stray-value",
            )
        )


def _flag_missing_values(result: TableResult, template: Template, row: TemplateRow, values: list[Cell]) -> None:
    """One finding per row naming its cells that hold no value (blank or a dash), never zero."""
    empty = [(slot, cell) for slot, cell in zip(row.slots, values) if cell.value is None]
    if not empty:
        return
    marks = sorted({cell.text for _, cell in empty})
    shown = "left blank" if marks == [""] else "printed as " + " / ".join(f"「{m}」" if m else "blank" for m in marks)
    columns = "、".join(slot.column_label for slot, _ in empty)
    result.findings.append(
        Finding(
            "missing-value",
            f"table {template.table}, line {empty[0][1].line}: {row.label or template.table} — {len(empty)} cell(s) "
            f"{shown} ({columns}): no value, not zero",
            line=empty[0][1].line,
            id=empty[0][0].key,
        )
    )
