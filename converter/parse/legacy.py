"""The legacy statistical table (统计指标 | 单位 | 统计数, 2008-2018) -> source fields.

Rows are told apart by their place in the hierarchy: the same short label (「(一)维持具体行政行为数」)
is a different row under 行政复议, 行政诉讼 and 举报投诉, so a label is matched to the candidate whose
parent is nearest in the rows read so far. Columns other than the annual one (本期实际, 历年累计, …)
are listed as unmapped with the reason, never mixed into the series.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..mapping import LegacyColumn, LegacyRow, Mappings
from ..model import Finding, SourceField
from ..normalize import half_width, strip_pinyin
from ..read.cells import Cell
from ..read.values import UNITS
from .glued import ProseFigures, prose_witness
from .splits import describe_split, split_run
from .template import TableResult, blank_slots, find_heading, fit_leads, normalizer_key, unmapped_numbers

_MAX_LABEL = 80  # a longer cell (pinyin readings not counted) is prose after the table
_FAR = 10**6


@dataclass
class _Pending:
    """A glued row waiting for the rows around it to decide how its digits split."""

    row: _Row
    values: list[Cell]
    data_slots: list
    candidates: list[list[Decimal]]


_ORDINAL = re.compile(r"^[(（]?\d+[)）.、,，]")


def _at_most(numbers: list[Decimal], limit: list[Decimal]) -> bool:
    return all(n <= m for n, m in zip(numbers, limit))


@dataclass
class _Row:
    legacy: LegacyRow | None
    label: Cell
    unit: str = ""
    values: list[Cell] = field(default_factory=list)


class LegacyReader:
    def __init__(self, mappings: Mappings, prose: tuple = ()):
        self.m = mappings
        self.prose = prose  # figures the report's sentences state: witnesses between readings of glued digits
        self.key = mappings.normalizer.key
        self.candidates: dict[str, list[LegacyRow]] = {}
        for row in mappings.legacy_rows.values():
            self.candidates.setdefault(self.key(row.label), []).append(row)
        for alias, row_id in mappings.aliases.items():
            self.candidates.setdefault(alias, []).append(mappings.legacy_rows[row_id])
        self.units = {self.key(u) for u in UNITS}
        self.printed: dict[str, str] = {}
        self.last: LegacyRow | None = None
        self.result = TableResult()
        self.open: _Row | None = None
        self.pads: list[Cell] = []
        self.form = ""  # the local form most of the table's labels belong to
        self.suggestions: dict[tuple[str, str], str] = {}  # (label key, last row) -> closest known label
        self.numbers: dict[str, list[Decimal | None]] = {}  # legacy row id -> its printed numbers, by column
        self.pending: list[_Pending] = []
        self.parents: dict[
            str, str
        ] = {}  # printed row id -> the printed row it is a part of  # glued rows whose split waits for the rows around them

    def read(self, cells: list[Cell]) -> tuple[TableResult, list[Cell]]:
        """Read the table that starts at its header cell; return it and the cells it covered."""
        start = self._header(cells)
        if start is None:
            self.result.findings.append(
                Finding("table-not-found", "the legacy statistical table (统计指标 | 单位 | 统计数) was not found")
            )
            return self.result, []
        columns, first = self._columns(cells, start)
        self.columns = columns
        self.form = self._form(cells, first)
        self.slots = [c for c in columns if c[1].role != "unit"]
        end = first
        for end in range(first, len(cells)):
            cell = cells[end]
            if cell.kind == "pad":
                self.pads.append(cell)
                continue
            self._settle()
            if cell.is_label and self._ends_table(cell):
                break
            self._cell(cell)
        else:
            end = len(cells)
        self._settle()
        self._close()
        self._resolve_glued()
        return self.result, cells[start:end]

    # --- rows printed without separators (a crawler glued the table into one line)

    def _glued(self, row: _Row, values: list[Cell], data_slots: list) -> None:
        """Candidates for reading the glued digits as the row's cells; decided once the table is read."""
        headers = [self.key(header.text) for header, _ in data_slots]
        annual = next((i for i, (_, c) in enumerate(data_slots) if c.role == "annual"), None)
        total = next((i for i, h in enumerate(headers) if "累计" in h and data_slots[i][1].role != "annual"), None)

        def holds(numbers: list[Decimal]) -> bool:  # 本年 ≤ 历年累计
            return annual is None or total is None or numbers[annual] <= numbers[total]

        self.result.ignored += values
        candidates = split_run([v.text for v in values], len(data_slots), holds)
        self.pending.append(_Pending(row, values, data_slots, candidates))

    def _resolve_glued(self) -> None:
        """Keep the readings that agree with the rows around them (a sub-item is at most its parent); where
        several are left, the one the report's own text states, and the rows around it narrowed again."""
        witnessed: set[int] = set()
        self._narrow()
        for index, pending in enumerate(self.pending):
            if len(pending.candidates) > 1:
                witness = prose_witness(pending.candidates, normalizer_key(pending.row.label.text), self.prose)
                if witness is not None:
                    pending.candidates = [pending.candidates[witness]]
                    witnessed.add(index)
                    self._narrow()
        for index, pending in enumerate(self.pending):
            if len(pending.candidates) == 1:
                self._take_split(pending, by_prose=index in witnessed)
            else:
                self._ambiguous(pending)

    def _narrow(self) -> None:
        changed = True
        while changed:
            changed = False
            for pending in self.pending:
                kept = [c for c in pending.candidates if self._fits(pending, c)]
                changed |= len(kept) != len(pending.candidates)
                pending.candidates = kept

    def _fits(self, pending: _Pending, numbers: list[Decimal]) -> bool:
        row_id = pending.row.legacy.id
        parent = self._readings(self.parents.get(row_id, ""))
        if parent and not any(_at_most(numbers, p) for p in parent):
            return False
        for child in (c for c, p in self.parents.items() if p == row_id):
            readings = self._readings(child)
            if readings and not any(_at_most(c, numbers) for c in readings):
                return False
        return True

    def _printed_parent(self, row: _Row) -> str:
        """The printed row this one is a part of: its parent in legacy_rows.csv when printed, else what the
        numbering shows (「其中：」 opens the parts of the row before; 「2.」 continues them)."""
        if row.legacy.parent in self.printed:
            return row.legacy.parent
        text = half_width(row.label.text).strip()
        previous = self.last.id if self.last is not None else ""
        if text.startswith("其中"):
            return previous
        if _ORDINAL.match(text):
            return self.parents.get(previous, "")
        return ""

    def _readings(self, row_id: str) -> list[list[Decimal]]:
        if row_id in self.numbers:
            numbers = self.numbers[row_id]
            return [numbers] if all(n is not None for n in numbers) else []
        return next((p.candidates for p in self.pending if p.row.legacy.id == row_id), [])

    def _take_split(self, pending: _Pending, *, by_prose: bool = False) -> None:
        first = pending.values[0]
        cells = [replace(first, text=format(n, "f"), value=n) for n in pending.candidates[0]]
        self.result.split_values += len(cells)
        if len(cells) != len(pending.values):
            self.result.findings.append(
                Finding(
                    "split-inferred",
                    f"legacy table, line {first.line}: 「{pending.row.label.text}」 is printed without separators; "
                    f"{describe_split(pending.values, pending.candidates)} is the only reading where no number starts "
                    "with 0, 本年 ≤ 历年累计 and a sub-item is at most its parent"
                    + (", and the one whose numbers the report's own text states" if by_prose else ""),
                    line=first.line,
                    id=pending.row.legacy.id,
                )
            )
        self._emit(pending.row, cells, pending.data_slots)

    def _ambiguous(self, pending: _Pending) -> None:
        first = pending.values[0]
        self.result.ambiguous += len(pending.values)
        self.result.findings.append(
            Finding(
                "ambiguous-digits",
                f"legacy table, line {first.line}: 「{pending.row.label.text}」 is printed without separators and its "
                f"digits can be read in more than one way or none: {describe_split(pending.values, pending.candidates)}; "
                "no value is taken, never guessed",
                line=first.line,
                id=pending.row.legacy.id,
            )
        )
        run = " ".join(v.text for v in pending.values)
        blank = [replace(first, text=run, value=None) for _ in pending.data_slots]
        self.numbers[pending.row.legacy.id] = [None] * len(pending.data_slots)
        self._emit(pending.row, blank, pending.data_slots)

    # --- locating the table and its columns

    def _header(self, cells: list[Cell]) -> int | None:
        found = [find_heading(cells, e.keywords, self.m.normalizer) for e in self.m.entries("legacy", "table")]
        found = [i for i in found if i is not None]
        return min(found) if found else None

    def _columns(self, cells: list[Cell], start: int) -> tuple[list[tuple[Cell, LegacyColumn]], int]:
        """The header cells after 统计指标 that name columns; the national default is 单位 | 统计数."""
        columns, index = [], start + 1
        while index < len(cells) and cells[index].kind in ("label", "pad", "blank"):
            cell = cells[index]
            if cell.is_label:
                column = self._column(cell)
                if column is None:
                    break
                columns.append((cell, column))
            index += 1
        if not any(c.role == "annual" for _, c in columns):
            columns.append((Cell("统计数", cells[start].line, "label"), LegacyColumn("统计数", "annual", "")))
        return columns, index

    def _column(self, cell: Cell) -> LegacyColumn | None:
        key = self.key(cell.text)
        return next((c for c in self.m.legacy_columns if c.key and c.key in key and len(key) <= len(c.key) + 8), None)

    def _form(self, cells: list[Cell], first: int) -> str:
        """The local form most of the table's labels belong to: it decides the first row, which has no
        row before it to tell a label two forms share (主动公开信息数 is 定西's and 莆田's)."""
        counts: dict[str, int] = {}
        for cell in cells[first:]:
            if cell.is_label and self._ends_table(cell):
                break
            for variant in (
                {row.variant for row in self.candidates.get(self.key(cell.text), ())} if cell.is_label else ()
            ):
                counts[variant] = counts.get(variant, 0) + 1
        return max(counts, key=counts.__getitem__) if counts else ""

    def _ends_table(self, cell: Cell) -> bool:
        if len(strip_pinyin(cell.text)) > _MAX_LABEL or cell.text.lstrip().startswith(("注:", "注：")):
            return True
        key = self.key(cell.text)
        return any(e.keywords[0] in key for e in self.m.entries("legacy", "end"))

    # --- rows

    def _cell(self, cell: Cell) -> None:
        if cell.kind == "lead":
            if self.open is not None:
                self.open.values.append(cell)
            return
        if cell.kind == "empty":  # a blank slot of the open row while the row is not complete
            if self.open is not None and len(self.open.values) < len(self.slots):
                self.open.values.append(cell)  # kept only if the row then fits (fit_leads)
            return
        if cell.is_label:
            key = self.key(cell.text)
            if self.open is not None and key in self.units and not self.open.unit and not self.open.values:
                self.open.unit = cell.text
                return
            self._close()
            self.open = _Row(self._match(key), cell)
        elif self.open is not None:
            self.open.values.append(cell)
        elif cell.kind == "value":
            self._unmapped("", [cell], "stray-value", code="stray-value")

    def _settle(self) -> None:
        if self.open is not None:
            self.open.values.extend(blank_slots(self.open.values, self.pads, len(self.slots)))
        self.pads = []

    def _match(self, key: str) -> LegacyRow | None:
        candidates = self.candidates.get(key, [])
        if not candidates:
            return None
        chain = self._ancestry(self.last)
        variant = self.last.variant if self.last else self.form

        def rank(row: LegacyRow) -> tuple[int, int]:
            place = chain.index(row.parent) if row.parent in chain else (len(chain) if not row.parent else _FAR)
            return place, 0 if row.variant == variant else 1

        return min(candidates, key=rank)

    def _ancestry(self, row: LegacyRow | None) -> list[str]:
        chain = []
        while row is not None:
            chain.append(row.id)
            row = self.m.legacy_rows.get(row.parent)
        return chain

    def _close(self) -> None:
        row, self.open = self.open, None
        if row is None:
            return
        if self.slots and self.slots[0][1].role == "code" and row.values:
            self.result.ignored.append(row.values[0])  # the row code (01, 02 …) is not data
            row.values = row.values[1:]
        if row.legacy is None:
            self._unknown(row)
            return
        self.parents[row.legacy.id] = self._printed_parent(row)
        self.last = row.legacy
        self.printed[row.legacy.id] = row.label.text
        data_slots = [s for s in self.slots if s[1].role != "code"]
        values = row.values = fit_leads(row.values, len(data_slots))
        if not values or (not row.legacy.unit and all(v.kind != "value" for v in values)):
            return  # a heading row: it has no value of its own, its empty cells are layout
        if len(values) != len(data_slots) and any(v.glued for v in values):
            self._glued(row, values, data_slots)
            return
        if len(values) != len(data_slots):
            self._misfit(row, values, len(data_slots))
            return
        self._emit(row, values, data_slots)

    def _emit(self, row: _Row, values: list[Cell], data_slots: list) -> None:
        self.numbers[row.legacy.id] = [v.value for v in values]
        printed_before = any(f.key == row.legacy.id for f in self.result.fields)
        for (header, column), cell in zip(data_slots, values):
            if column.role == "annual" and not printed_before:
                self._field(row, header, cell)
            elif column.role == "annual":
                self._unmapped(
                    row.label.text,
                    [cell],
                    "同一行印了两次：采用第一次的数值 the row is printed twice: the first one is used",
                    column=header.text,
                )
            else:
                reason = column.note or f"column {header.text} is not the annual figure"
                self._unmapped(row.label.text, [cell], reason, column=header.text)

    def _field(self, row: _Row, header: Cell, cell: Cell) -> None:
        legacy = row.legacy
        section = " / ".join(
            self.printed.get(a, self.m.legacy_rows[a].label) for a in reversed(self._ancestry(legacy)[1:])
        )
        self.result.fields.append(
            SourceField(
                legacy.id,
                "legacy",
                section,
                row.label.text,
                header.text,
                row.unit or legacy.unit or cell.unit,
                cell.text,
                cell.value,
                **cell.where,
            )
        )
        if cell.value is None:
            shown = f"printed as 「{cell.text}」" if cell.text else "left blank"
            self.result.findings.append(
                Finding(
                    "missing-value",
                    f"legacy table, line {cell.line}: 「{row.label.text}」 is {shown}: no value (not zero)",
                    line=cell.line,
                    id=legacy.id,
                )
            )

    def _misfit(self, row: _Row, values: list[Cell], expected: int) -> None:
        reason = f"row has {len(values)} value(s) where {expected} were expected"
        printed = ", ".join(v.text or "(blank)" for v in values)
        self.result.findings.append(
            Finding(
                "row-misfit",
                f"legacy table, line {row.label.line}: 「{row.label.text}」 {reason} ({printed}); which value "
                "belongs to which column cannot be told, so none is used",
                line=row.label.line,
                id=row.legacy.id,
            )
        )
        self._unmapped(row.label.text, values, reason, code="row-misfit")

    def _unknown(self, row: _Row) -> None:
        suggestion = self._suggest(self.key(row.label.text))
        hint = f"; closest known label: 「{suggestion}」" if suggestion else ""
        self.result.findings.append(
            Finding(
                "unknown-label",
                f"legacy table, line {row.label.line}: label 「{row.label.text}」 is in no mapping table{hint}",
                line=row.label.line,
            )
        )
        self._unmapped(row.label.text, row.values, "unknown-label", suggestion=suggestion, code="unknown-label")

    def _suggest(self, key: str) -> str:
        """The closest known label, looked for first among the rows beside the last one read (once per
        label and place: a long line may repeat one label thousands of times)."""
        place = (key, self.last.id if self.last else "")
        if place not in self.suggestions:
            self.suggestions[place] = self._closest(key)
        return self.suggestions[place]

    def _closest(self, key: str) -> str:
        rows = self.m.legacy_rows.values()
        siblings = [
            r for r in rows if self.last is not None and r.parent == self.last.parent and r.variant == self.last.variant
        ]
        # a neighbour sharing any wording is a better hint than a far row sharing more
        for pool, cutoff in ((siblings, 0.1), (list(rows), 0.5)):
            labels = {self.key(r.label): r.label for r in pool}
            close = difflib.get_close_matches(key, list(labels), n=1, cutoff=cutoff)
            if close:
                return labels[close[0]]
        return ""

    def _unmapped(
        self,
        label: str,
        values: list[Cell],
        reason: str,
        *,
        column: str = "",
        suggestion: str = "",
        code: str = "unmapped-field",
    ) -> None:
        """Printed numbers with no source field, listed with why; `code` is the kind (model.UNMAPPED_CODES)."""
        self.result.unmapped += unmapped_numbers(
            values, label, "legacy table", reason, code=code, suggestion=suggestion, column=column
        )


def read_legacy(cells: list[Cell], mappings: Mappings) -> tuple[TableResult, list[Cell]]:
    """The legacy table's source fields, unmapped numbers and findings, and the cells it covered."""
    return LegacyReader(mappings, ProseFigures(cells, mappings)).read(cells)
