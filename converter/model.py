"""Dataclasses shared by every stage: what was printed, what it became, what a reader must know."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

# The statuses of canonical-ids.md, in the order a legend lists them.
STATUSES = ("reported", "exact", "approx", "summed", "derived", "not_collected", "missing")
# Why a printed number has no 2021 cell, as the code of its unmapped entry (mappings/findings.csv):
# the mapping tables give the field no home, its label is in no table, it stands under no label, or its
# row holds too few or too many values.
UNMAPPED_CODES = ("unmapped-field", "unknown-label", "stray-value", "row-misfit")


# Not frozen, for speed: the readers make hundreds a report, and a frozen dataclass costs five times as much
# to make. Treat it as if frozen: never assign to a field, make a new one with dataclasses.replace.
@dataclass(unsafe_hash=True)
class SourceField:
    """One value slot as the report printed it, with where it came from."""

    key: str  # what the source format calls this slot: a 2021 id, or a legacy/2019 field id
    table: str  # 二 / 三 / 四 / legacy
    section: str  # e.g. "三、本年度办理结果 / （三）不予公开"
    row_label: str  # as printed (script and numbering kept)
    column_label: str
    unit: str
    raw: str  # the token as printed; "" when the slot was never reached (truncated table)
    value: Decimal | None
    line: int | None
    # Appended provenance (None when no printed cell stands behind the field, e.g. a missing slot):
    input_kind: str | None = None  # text / html / docx / xlsx / pdf
    page: int | None = None  # PDF page, 1-based
    sheet: str | None = None  # Excel sheet name
    confidence: float | None = None  # OCR: the recognition confidence (0-1) of the text read
    box: tuple[int, int, int, int] | None = None  # OCR: left, top, right, bottom of the text in the page image
    image: str | None = None  # OCR: the picture read, as the report names it (a web page's <img src>, a Word part)

    def to_dict(self) -> dict:
        ocr = {"confidence": self.confidence, "box": list(self.box) if self.box else None, "image": self.image}
        return {
            "key": self.key,
            "table": self.table,
            "section": self.section,
            "row_label": self.row_label,
            "column_label": self.column_label,
            "unit": self.unit,
            "raw": self.raw,
            "value": json_number(self.value),
            "line": self.line,
            "input_kind": self.input_kind,
            "page": self.page,
            "sheet": self.sheet,
        } | (ocr if self.confidence is not None else {})  # only values read by OCR have them


@dataclass
class Observation:
    """A 2021-schema cell: its value, its status and the source fields it came from."""

    id: str
    value: Decimal | None
    status: str
    relation: str = ""
    note: str = ""
    sources: list[SourceField] = field(default_factory=list)

    @property
    def line(self) -> int | None:
        return next((s.line for s in self.sources if s.line is not None), None)

    @property
    def label(self) -> str:
        """The printed label of the (first) source row, as the report wrote it."""
        if not self.sources:
            return ""
        # A cell read by position (table 四) has no printed row label: its column path stands in.
        return self.sources[0].row_label or self.sources[0].column_label

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "value": json_number(self.value),
            "status": self.status,
            "line": self.line,
            "label": self.label,
            "relation": self.relation,
            "note": self.note,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True)
class Finding:
    """Something a reader must know about a report; a result, never raised."""

    code: str  # stable kebab-case: sum-mismatch, missing-value, truncated-table, mojibake, ...
    message: str  # a plain sentence with the numbers
    line: int | None = None
    id: str = ""  # the canonical id or rule concerned, when there is one

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "line": self.line, "id": self.id}


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure the report prints in a sentence of its prose (not a table cell), or the legacy table row
    that counts the same quantity (status exact), for the supplementary narrative series."""

    id: str  # a narrative indicator of mappings/narrative.csv, e.g. narrative.proactive.total
    label: str
    unit: str
    value: Decimal | None
    status: str  # narrative (read from a sentence) / exact (the legacy table row) / not_taken (a near miss)
    line: int | None
    sentence: str = ""  # as printed
    phrasing: str = ""  # the pattern of narrative.csv that matched
    raw: str = ""
    check: str = ""  # agrees / differs: the prose against the table's figure for the same quantity
    note: str = ""  # the table figure compared with, or why a near miss was not taken
    input_kind: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "unit": self.unit,
            "value": json_number(self.value),
            "status": self.status,
            "line": self.line,
            "sentence": self.sentence,
            "phrasing": self.phrasing,
            "raw": self.raw,
            "check": self.check,
            "note": self.note,
            "input_kind": self.input_kind,
        }


# Not frozen, for speed: the readers make hundreds a report, and a frozen dataclass costs five times as much
# to make. Treat it as if frozen: never assign to a field, make a new one with dataclasses.replace.
@dataclass(unsafe_hash=True)
class RuleCheck:
    """The outcome of one sum rule on one report: passed, failed or incomplete."""

    rule: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_value: Decimal | None
    right_value: Decimal | None
    status: str  # passed / failed / incomplete
    missing: tuple[str, ...] = ()

    @property
    def difference(self) -> Decimal | None:
        if self.left_value is None or self.right_value is None:
            return None
        return self.left_value - self.right_value

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "left": list(self.left),
            "right": list(self.right),
            "left_value": json_number(self.left_value),
            "right_value": json_number(self.right_value),
            "difference": json_number(self.difference),
            "status": self.status,
            "missing": list(self.missing),
        }


@dataclass
class Report:
    """Everything the tool learned from one report file."""

    path: Path
    sha256: str
    encoding: str
    agency: str | None
    year: int | None
    format: str
    observations: dict[str, Observation] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    checks: list[RuleCheck] = field(default_factory=list)
    source_fields: list[SourceField] = field(default_factory=list)
    source_checks: list[RuleCheck] = field(default_factory=list)  # rules of the source format (legacy)
    ledger: dict = field(default_factory=dict)
    input_kind: str = "text"  # text / html / docx / xlsx / pdf, told from the content, not the file name
    narrative: list[NarrativeFigure] = field(default_factory=list)  # figures printed in the prose
    # `agency` is the name in Simplified script (mainland names are official in Simplified; a Traditional
    # page comes from a converted mirror); `agency_printed` keeps it as the page printed it; `agency_key`
    # is what series match across years (script, widths, spaces and a doubled 市 set aside).
    agency_printed: str | None = None
    agency_key: str = ""

    def status_counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for obs in self.observations.values():
            counts[obs.status] += 1
        return counts

    def to_dict(self) -> dict:
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "encoding": self.encoding,
            "input_kind": self.input_kind,
            "agency": self.agency,
            "agency_printed": self.agency_printed,
            "agency_key": self.agency_key,
            "year": self.year,
            "format": self.format,
            "counts": self.status_counts(),
            "observations": [o.to_dict() for o in self.observations.values()],
            "findings": [f.to_dict() for f in self.findings],
            "unmapped": [_plain(u) for u in self.unmapped],
            "ledger": dict(self.ledger),
            "source_checks": [c.to_dict() for c in self.source_checks],
            "checks": [c.to_dict() for c in self.checks],
            "narrative": [n.to_dict() for n in self.narrative],
        }


def json_number(value: Decimal | int | float | None) -> int | float | None:
    """Decimal -> int when whole, else float (short decimals such as 0.2 round-trip exactly)."""
    if value is None or not isinstance(value, Decimal):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def unmapped_entry(
    *,
    label: str,
    section: str,
    column: str,
    unit: str,
    raw: str,
    value: Decimal | None,
    line: int | None,
    reason: str,
    suggestion: str = "",
    key: str = "",
    code: str = "unmapped-field",
) -> dict:
    """One printed number (or empty slot) with no 2021 home: listed with why (`reason`, for people) and
    its kind (`code`, one of UNMAPPED_CODES, for the audit; the reader that lists it says which: a
    field the mapping tables give no home is the default), never dropped."""
    return {
        "key": key,
        "label": label,
        "section": section,
        "column": column,
        "unit": unit,
        "raw": raw,
        "value": value,
        "line": line,
        "reason": reason,
        "suggestion": suggestion,
        "code": code,
    }


def _plain(entry: dict) -> dict:
    return {k: json_number(v) if isinstance(v, Decimal) else v for k, v in entry.items()}
