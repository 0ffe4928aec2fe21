"""Source fields -> 2021 observations with a status; derived cells computed from printed ones.

A 2021-format report fills each cell from its own printed field. An older report goes through
its mapping table (mappings/map_2019.csv, map_legacy.csv): every source field is either the
source of an observation or listed as unmapped with the reason; nothing is dropped.
"""

from __future__ import annotations

from decimal import Decimal

from ..mapping import Mappings, MapRow
from ..model import Finding, Observation, SourceField, unmapped_entry

# The status a mapped value gets from its mapping row's relation.
_STATUS = {"exact": "exact", "approx": "approx", "summed": "summed", "aggregate": "approx"}


def observations_from_current(fields: list[SourceField], mappings: Mappings) -> dict[str, Observation]:
    """A 2021-format report: each printed field is its own cell (status reported, or missing)."""
    by_key = {f.key: f for f in fields}
    observations = {}
    for cell in mappings.printed():
        source = by_key.get(cell.id)
        value = source.value if source else None
        status = "reported" if value is not None else "missing"
        observations[cell.id] = Observation(cell.id, value, status, sources=[source] if source else [])
    return observations


def observations_from_older(fields: list[SourceField], decisions: dict[str, MapRow], mappings: Mappings):
    """Map an older format's fields through its decisions; return observations, unmapped, findings."""
    unmapped, findings = [], []
    feeds: dict[str, list[tuple[MapRow, SourceField]]] = {}
    for source in fields:
        decision = decisions.get(source.key)
        if decision is None or decision.relation == "none":
            reason = decision.note if decision else "no decision in the mapping table"
            unmapped.append(unmapped_field(source, reason))
        else:
            feeds.setdefault(decision.target, []).append((decision, source))
    observations = {}
    for cell in mappings.schema.values():
        if cell.id in feeds:
            observation, conflict = _mapped(cell.id, feeds[cell.id], decisions, fields)
            observations[cell.id] = observation
            findings += conflict
        elif cell.kind == "printed":
            observations[cell.id] = Observation(
                cell.id, None, "not_collected", note="the report's format has no such field"
            )
    return observations, unmapped, findings


def unmapped_field(source: SourceField, reason: str) -> dict:
    return unmapped_entry(
        key=source.key,
        label=source.row_label,
        section=source.section,
        column=source.column_label,
        unit=source.unit,
        raw=source.raw,
        value=source.value,
        line=source.line,
        reason=reason,
    )


def _mapped(
    cell_id: str, pairs: list[tuple[MapRow, SourceField]], decisions: dict[str, MapRow], fields: list[SourceField]
) -> tuple[Observation, list[Finding]]:
    """One target cell from the preferred group of its sources; alternatives are compared, not used."""
    best = min(d.priority for d, _ in pairs)
    used = [(d, f) for d, f in pairs if d.priority == best]
    others = [f for d, f in pairs if d.priority != best]
    sources = [f for _, f in used] + others
    note = " | ".join(dict.fromkeys(d.note for d, _ in used))
    relation = used[0][0].relation
    absent = _absent_summands(used, decisions, fields)
    if absent:
        return Observation(
            cell_id, None, "missing", relation, f"cannot be summed: the report has no row {', '.join(absent)}", sources
        ), []
    if any(f.value is None for _, f in used):
        return Observation(cell_id, None, "missing", relation, note, sources), []
    value = sum((f.value for _, f in used), Decimal(0))
    status = "summed" if len(used) > 1 or relation == "summed" else _STATUS[relation]
    observation = Observation(cell_id, value, status, relation, note, sources)
    return observation, _conflicts(cell_id, value, used, others)


def _absent_summands(used, decisions: dict[str, MapRow], fields: list[SourceField]) -> list[str]:
    """Rows that a 'summed' target needs but the report does not print: a partial sum would be wrong."""
    first = used[0][0]
    if first.relation != "summed":
        return []
    present = {f.key for f in fields}
    return [
        d.source
        for d in decisions.values()
        if (d.target, d.relation, d.priority, d.variant) == (first.target, "summed", first.priority, first.variant)
        and d.source not in present
    ]


def _conflicts(cell_id: str, value: Decimal, used, others: list[SourceField]) -> list[Finding]:
    chosen = " + ".join(f"「{f.row_label}」 (line {f.line})" for _, f in used)
    return [
        Finding(
            "conflicting-sources",
            f"{cell_id}: {chosen} = {value} is used, but 「{other.row_label}」 (line {other.line}) = {other.value} "
            "differs; the mapping table prefers the first",
            line=other.line,
            id=cell_id,
        )
        for other in others
        if other.value is not None and other.value != value
    ]


def add_derived(observations: dict[str, Observation], mappings: Mappings) -> None:
    """Fill each derived cell not already set by a mapping: the sum of its parts.

    A part the format does not have makes the sum not collected; a part without a value makes it
    missing -- a partial sum would be a wrong number.
    """
    for cell in mappings.derived():
        if cell.id in observations:
            continue
        parts = [observations[p] for p in cell.parts]
        observations[cell.id] = _sum_of(cell.id, parts)


def _sum_of(cell_id: str, parts: list[Observation]) -> Observation:
    lacking = [p.id for p in parts if p.status == "not_collected"]
    if lacking:
        return Observation(cell_id, None, "not_collected", note="the format has no " + ", ".join(lacking))
    absent = [p.id for p in parts if p.value is None]
    if absent:
        return Observation(cell_id, None, "missing", note="cannot be summed: no value for " + ", ".join(absent))
    total = sum((p.value for p in parts), Decimal(0))
    return Observation(cell_id, total, "derived", relation="sum", note="sum of " + " + ".join(p.id for p in parts))
