"""What a series keeps of each report, small enough for a corpus of tens of thousands.

A Report holds every token, source field and Decimal it met; a series needs only each cell's value,
status and provenance. Entries keep those column by column: a report's values, printed tokens and
lines are its own, while its statuses, relations, notes and labels are usually those of every other
report of its format and layout, and are then one shared object.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from ..model import Finding, NarrativeFigure, Report, RuleCheck, json_number

_NO_LINE = -1


class KeptSource(NamedTuple):
    row_label: str
    column_label: str
    raw: str
    line: int | None


class Kept(NamedTuple):
    """One value as the workbooks show it (made on demand from the entry's columns)."""

    id: str
    value: int | float | None
    status: str
    relation: str
    note: str
    label: str
    line: int | None
    sources: tuple[KeptSource, ...]


class KeptCheck(NamedTuple):
    """A sum-rule outcome with plain numbers (RuleCheck's fields and difference)."""

    rule: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_value: int | float | None
    right_value: int | float | None
    status: str
    missing: tuple[str, ...]

    @property
    def difference(self):
        if self.left_value is None or self.right_value is None:
            return None
        return json_number(Decimal(str(self.left_value)) - Decimal(str(self.right_value)))


class KeptUnmapped(NamedTuple):
    key: str
    label: str
    section: str
    column: str
    unit: str
    raw: str
    value: int | float | None
    line: int | None
    reason: str
    suggestion: str
    code: str  # one of model.UNMAPPED_CODES

    def __getitem__(self, name):  # read like the unmapped dicts of a Report: entry["label"]
        return getattr(self, name) if isinstance(name, str) else tuple.__getitem__(self, name)


class KeptValues:
    """A report's cells in schema order, found by id; each column a tuple, shared where equal."""

    __slots__ = (
        "index",
        "ids",
        "numbers",
        "statuses",
        "relations",
        "notes",
        "labels",
        "columns",
        "raws",
        "lines",
        "several",
    )

    def __init__(self, report: Report, same):
        observations = list(report.observations.values())
        self.ids = same(tuple(report.observations))
        self.index = same(("index", self.ids), lambda: {cell_id: i for i, cell_id in enumerate(self.ids)})
        self.numbers = tuple(json_number(o.value) for o in observations)
        self.statuses = same(tuple(o.status for o in observations))
        self.relations = same(tuple(same(o.relation) for o in observations))
        self.notes = same(tuple(same(o.note) for o in observations))
        self.labels = same(tuple(same(o.label) for o in observations))
        first = [o.sources[0] if o.sources else None for o in observations]
        self.columns = same(tuple(same(s.column_label) if s else "" for s in first))
        self.raws = tuple(same(s.raw) if s else "" for s in first)
        self.lines = array("i", (o.line if o.line is not None else _NO_LINE for o in observations))
        # The few cells with several sources (sums, alternatives) keep them all.
        self.several = {
            i: tuple(KeptSource(same(s.row_label), same(s.column_label), same(s.raw), s.line) for s in o.sources)
            for i, o in enumerate(observations)
            if len(o.sources) > 1
        } or None

    def __getitem__(self, cell_id: str) -> Kept:
        return self._kept(self.index[cell_id])

    def values(self) -> list[Kept]:
        """The cells in schema order (reads like a Report's dict of observations)."""
        return [self._kept(i) for i in range(len(self.ids))]

    def _kept(self, i: int) -> Kept:
        line = self.lines[i] if self.lines[i] != _NO_LINE else None
        if self.several and i in self.several:
            sources = self.several[i]
        elif self.labels[i] or self.raws[i] or line is not None:
            sources = (KeptSource(self.labels[i], self.columns[i], self.raws[i], line),)
        else:
            sources = ()
        return Kept(
            self.ids[i],
            self.numbers[i],
            self.statuses[i],
            self.relations[i],
            self.notes[i],
            self.labels[i],
            line,
            sources,
        )

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Entry:
    path: Path
    sha256: str
    encoding: str
    input_kind: str
    agency: str | None
    year: int | None
    format: str
    observations: KeptValues
    unmapped: list[KeptUnmapped]
    checks: list[KeptCheck]
    source_checks: list[KeptCheck]
    findings: list[Finding]
    ledger: dict
    counts: dict[str, int]
    narrative: list[NarrativeFigure] = field(default_factory=list)  # figures of the prose (few per report)
    agency_printed: str | None = None
    agency_key: str = ""

    def status_counts(self) -> dict[str, int]:
        return self.counts


class Sharer:
    """Hands out one object for equal values, so that equal columns and strings are stored once."""

    def __init__(self):
        self._known: dict = {}

    def __call__(self, value, make=None):
        found = self._known.get(value)
        if found is None:
            found = self._known[value] = make() if make else value
        return found


def keep(report: Report, same: Sharer) -> Entry:
    """The Entry of a report."""
    return Entry(
        report.path,
        report.sha256,
        report.encoding,
        getattr(report, "input_kind", "text"),
        report.agency,
        report.year,
        report.format,
        KeptValues(report, same),
        [_unmapped(u, same) for u in report.unmapped],
        [_check(c, same) for c in report.checks],
        [_check(c, same) for c in report.source_checks],
        list(report.findings),
        dict(report.ledger),
        same(tuple(report.status_counts().items()), lambda: report.status_counts()),
        list(getattr(report, "narrative", ())),
        report.agency_printed,
        report.agency_key,
    )


def reshare(entry: Entry, same: Sharer) -> Entry:
    """An Entry made in another process (a parallel run) shares nothing with this one's until here."""
    kept = entry.observations
    kept.ids = same(kept.ids)
    kept.index = same(("index", kept.ids), lambda: {cell_id: i for i, cell_id in enumerate(kept.ids)})
    for name in ("statuses", "relations", "notes", "labels", "columns"):
        setattr(kept, name, same(tuple(same(v) for v in getattr(kept, name))))
    kept.raws = tuple(same(v) for v in kept.raws)
    entry.checks = [same(c) for c in entry.checks]
    entry.source_checks = [same(c) for c in entry.source_checks]
    return entry


def _unmapped(entry: dict, same: Sharer) -> KeptUnmapped:
    return KeptUnmapped(
        *(same(entry[f]) if isinstance(entry[f], str) else json_number(entry[f]) for f in KeptUnmapped._fields)
    )


def _check(check: RuleCheck, same: Sharer) -> KeptCheck:
    return same(
        KeptCheck(
            check.rule,
            same(check.left),
            same(check.right),
            json_number(check.left_value),
            json_number(check.right_value),
            check.status,
            check.missing,
        )
    )
