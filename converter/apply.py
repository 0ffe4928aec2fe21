"""Source fields -> 2021 observations with a status; derived cells computed from printed ones."""

from __future__ import annotations

from decimal import Decimal

from .mapping import Mappings
from .model import Observation, SourceField


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


def add_derived(observations: dict[str, Observation], mappings: Mappings) -> None:
    """Fill each derived cell not already set by a mapping: the sum of its parts.

    A part without a value makes the derived cell missing (or not collected, when the format has
    none of the parts) -- a partial sum would be a wrong number.
    """
    for cell in mappings.derived():
        if cell.id in observations:
            continue
        parts = [observations[p] for p in cell.parts]
        observations[cell.id] = _sum_of(cell.id, parts)


def _sum_of(cell_id: str, parts: list[Observation]) -> Observation:
    if all(p.status == "not_collected" for p in parts):
        return Observation(cell_id, None, "not_collected", note="no part of this sum exists in the report's format")
    absent = [p.id for p in parts if p.value is None]
    if absent:
        return Observation(cell_id, None, "missing", note="cannot be summed: no value for " + ", ".join(absent))
    total = sum((p.value for p in parts), Decimal(0))
    return Observation(cell_id, total, "derived", relation="sum", note="sum of " + " + ".join(p.id for p in parts))
