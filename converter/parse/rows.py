"""Rows a crawler printed without separators, in the 2019/2021 tables: read where the row's own sums,
then the table's sum rules, then the report's own text leave exactly one reading; else no value."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Finding
from ..read.cells import Cell
from .glued import prose_witness
from .layout import TableResult, Template, TemplateRow, missing_fields, row_fields
from .splits import describe_split, narrow, unglue

# A glued row with up to this many readings waits for the table's sum rules to decide among them.
_MAX_PENDING = 200


@dataclass
class Pending:
    """A glued row whose reading waits for the rest of the table."""

    row: TemplateRow
    label: Cell
    values: list[Cell]
    candidates: list


PENDING: list[Cell] = []  # returned by resolve_glued for a row that waits (compared by identity)


def resolve_glued(
    result: TableResult,
    template: Template,
    row: TemplateRow,
    values: list[Cell],
    pending: list | None = None,
    label: Cell | None = None,
    prose: tuple = (),
) -> list[Cell] | None:
    """A row's glued digit runs read as its cells where exactly one split fits; else no value at all.

    The printed pieces go to `ignored`: the ledger counts the cells read from them instead, or, when
    no single split fits, the pieces themselves as ambiguous. With `pending`, a row with a few readings
    waits there for the table's sum rules (returns PENDING).
    """
    if len(values) == len(row.slots) or not any(v.glued for v in values):
        return values
    cells, candidates = unglue(values, len(row.slots), template.holds(row.label))
    result.ignored += values
    if cells is not None:
        _note_split(result, template, row, values, candidates, "the row's sums hold")
        return cells
    if pending is not None and 1 < len(candidates) <= _MAX_PENDING and template.table_sums:
        pending.append(Pending(row, label or values[0], values, candidates))
        return PENDING
    witness = prose_witness(candidates, normalizer_key(row.label), prose)
    if witness is not None:
        _note_split(result, template, row, values, [candidates[witness]], _PROSE_RULE)
        return [replace(values[0], text=format(n, "f"), value=n) for n in candidates[witness]]
    _note_ambiguous(result, template, row, values, candidates)
    return None


_PROSE_RULE = "of the readings the row and table allow, the report's own text states this one"


def normalizer_key(label: str) -> str:
    """The Chinese characters of a label, to find the sentences that speak of its row."""
    return "".join(ch for ch in label if "\u4e00" <= ch <= "\u9fff")


def _note_split(result: TableResult, template: Template, row: TemplateRow, values, candidates, rule: str) -> None:
    result.split_values += len(row.slots)
    if len(candidates[0]) == len(values):
        return  # every printed piece is one cell: nothing was cut
    name = row.label or f"table {template.table}"
    result.findings.append(
        Finding(
            "split-inferred",
            f"table {template.table}, line {values[0].line}: 「{name}」 is printed without separators; "
            f"{describe_split(values, candidates)} is the only reading where no number starts with 0 and {rule}",
            line=values[0].line,
            id=row.slots[0].key,
        )
    )


def _note_ambiguous(result: TableResult, template: Template, row: TemplateRow, values, candidates) -> None:
    result.ambiguous += len(values)
    name = row.label or f"table {template.table}"
    result.findings.append(
        Finding(
            "ambiguous-digits",
            f"table {template.table}, line {values[0].line}: 「{name}」 is printed without separators and its digits "
            f"can be read in more than one way or none: {describe_split(values, candidates)}; its cells are left "
            "missing, never guessed",
            line=values[0].line,
            id=row.slots[0].key,
        )
    )


def settle_pending(result: TableResult, template: Template, pending: list[Pending], prose: tuple = ()) -> None:
    """Glued rows decided by the table's sum rules where exactly one reading agrees (or, of those left, the
    report's own text states one); else missing."""
    known = {f.key: f.value for f in result.fields if f.value is not None}
    options = [[dict(zip((s.key for s in p.row.slots), c)) for c in p.candidates] for p in pending]
    for waiting, readings in zip(pending, narrow(options, known, template.table_sums)):
        rule = "the table's sum rules hold"
        numbers_of = [[r[s.key] for s in waiting.row.slots] for r in readings]
        witness = prose_witness(numbers_of, normalizer_key(waiting.row.label), prose) if len(readings) > 1 else None
        if witness is not None:
            readings, rule = [readings[witness]], _PROSE_RULE
        if len(readings) == 1:
            numbers = [readings[0][s.key] for s in waiting.row.slots]
            cells = [replace(waiting.values[0], text=format(n, "f"), value=n) for n in numbers]
            _note_split(result, template, waiting.row, waiting.values, [numbers], rule)
            result.fields += row_fields(template, waiting.row, waiting.label.text, cells)
        else:
            left = [[r[s.key] for s in waiting.row.slots] for r in readings] if readings else waiting.candidates
            _note_ambiguous(result, template, waiting.row, waiting.values, left)
            result.fields += missing_fields(template, [waiting.row], waiting.label)
