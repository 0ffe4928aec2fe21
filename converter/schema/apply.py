"""Source fields -> 2021 observations with a status; derived cells computed from printed ones.

A 2021-format report fills each cell from its own printed field. An older report goes through
its mapping table (mappings/map_2019.csv, map_legacy.csv): every source field is either the
source of an observation or listed as unmapped with the reason; nothing is dropped.
"""

from __future__ import annotations

from decimal import Decimal

from ..mapping import Mappings, MapRow
from ..model import Finding, Observation, SourceField, unmapped_entry

NOT_IN_FORMAT = "该报告的格式没有此项 / the report's format has no such field"
NO_DECISION = "映射表中没有此字段的决定 / no decision in the mapping table"


def link_status(links: list[MapRow]) -> str:
    """A cell's status from its links: approx when any link is approximate (whatever the combination),
    else summed when several fields are added, else exact."""
    if any(link.meaning == "approx" for link in links):
        return "approx"
    if len(links) > 1 or links[0].combination == "summed":
        return "summed"
    return "exact"


def link_relation(links: list[MapRow]) -> str:
    """Both flags as provenance shows them: 'summed, approx', 'aggregate, exact', 'single, exact'."""
    combination = "summed" if len(links) > 1 else links[0].combination
    meaning = "approx" if any(link.meaning == "approx" for link in links) else "exact"
    return f"{combination}, {meaning}"


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
        if decision is None or decision.meaning == "none":
            reason = decision.note if decision else NO_DECISION
            unmapped.append(unmapped_field(source, reason))
        else:
            feeds.setdefault(decision.target, []).append((decision, source))
    observations = {}
    groups, present = _summed_groups(decisions, mappings), {f.key for f in fields}
    for cell in mappings.schema.values():
        if cell.id in feeds:
            observation, conflict = _mapped(cell.id, feeds[cell.id], groups, present)
            observations[cell.id] = observation
            findings += conflict
        elif cell.kind == "printed":
            observations[cell.id] = Observation(cell.id, None, "not_collected", note=NOT_IN_FORMAT)
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
    cell_id: str, pairs: list[tuple[MapRow, SourceField]], groups: dict[tuple, list[str]], present: set[str]
) -> tuple[Observation, list[Finding]]:
    """One target cell from the preferred group of its sources; alternatives are compared, not used."""
    if len(pairs) == 1:  # most cells have one source: the same as below, without the grouping
        used, others, sources, note = pairs, [], [pairs[0][1]], pairs[0][0].note
    else:
        best = min(d.priority for d, _ in pairs)
        used = [(d, f) for d, f in pairs if d.priority == best]
        others = [f for d, f in pairs if d.priority != best]
        sources = [f for _, f in used] + others
        note = " | ".join(dict.fromkeys(d.note for d, _ in used))
    relation = link_relation([d for d, _ in used])
    absent = _absent_summands(used, groups, present)
    if absent:
        reason = f"无法相加：报告没有 {'、'.join(absent)} 这一行 / cannot be summed: the report has no row {', '.join(absent)}"
        return Observation(cell_id, None, "missing", relation, reason, sources), []
    if any(f.value is None for _, f in used):
        return Observation(cell_id, None, "missing", relation, note, sources), []
    value = sum((f.value for _, f in used), Decimal(0))
    status = link_status([d for d, _ in used])
    observation = Observation(cell_id, value, status, relation, note, sources)
    return observation, _conflicts(cell_id, value, used, others)


def _absent_summands(used, groups: dict[tuple, list[str]], present: set[str]) -> list[str]:
    """Rows that a 'summed' target needs but the report does not print: a partial sum would be wrong."""
    first = used[0][0]
    if first.combination != "summed":
        return []
    group = (first.target, "summed", first.priority, first.variant)
    return [source for source in groups.get(group, ()) if source not in present]


def _summed_groups(decisions: dict[str, MapRow], mappings: Mappings) -> dict[tuple, list[str]]:
    """The sources of each group of decisions summed into one target, in table order: made once per table
    of decisions, not once per target and report."""
    key = ("summed-groups", id(decisions))
    held = mappings.cache.get(key)
    if held is None or held[0] is not decisions:
        groups: dict[tuple, list[str]] = {}
        for d in decisions.values():
            groups.setdefault((d.target, d.combination, d.priority, d.variant), []).append(d.source)
        held = mappings.cache[key] = (decisions, groups)
    return held[1]


def _conflicts(cell_id: str, value: Decimal, used, others: list[SourceField]) -> list[Finding]:
    chosen = " + ".join(f"「{f.row_label}」（第{f.line}行）" for _, f in used)
    return [
        Finding(
            "conflicting-sources",
            f"{cell_id}：采用 {chosen} = {value}，但「{other.row_label}」（第{other.line}行）= {other.value}，"
            "两者不同；映射表优先采用前者",
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
        return Observation(cell_id, None, "not_collected", note="该格式没有 " + "、".join(lacking))
    absent = [p.id for p in parts if p.value is None]
    if absent:
        return Observation(cell_id, None, "missing", note="无法相加：没有数值的单元格 " + "、".join(absent))
    total = sum((p.value for p in parts), Decimal(0))
    return Observation(
        cell_id, total, "derived", relation="sum", note="由以下单元格相加 sum of " + " + ".join(p.id for p in parts)
    )
