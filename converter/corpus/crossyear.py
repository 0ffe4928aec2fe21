"""Checks across years: one agency's report of year N against its report of year N-1.

The official formats state or imply identities between consecutive reports (mappings/series_rules.csv):
what a year carries out is what the next carries in; the documents in force grow by those issued and
shrink by those repealed; a legacy 历年累计 grows by the year's figure. Only a series can check them.

A gap year or a second report for a year makes a check `incomplete`, never a failure. Where a rule
allows it, a cell the earlier report's format lacks is computed from the later report (a back-cast):
offered as status `approx`, relation `derived, approx`, with a note that says so; never as if printed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..mapping import Mappings
from ..mapping_rules import SeriesRule, Term
from ..model import Finding, json_number
from ..normalize import agency_key

MISMATCH = "year-to-year-mismatch"
BACKCAST_RELATION = "derived, approx"  # combination, meaning: as a mapping relation reads


@dataclass
class YearFacts:
    """What the checks across years need of one report: small enough to come back from a worker."""

    agency: str | None
    year: int | None
    format: str
    path: str
    values: dict[str, tuple[Decimal | None, str]] = field(default_factory=dict)  # id -> (value, status)
    annual: dict[str, Decimal | None] = field(default_factory=dict)  # legacy row label key -> the year's figure
    cumulative: dict[str, tuple[str, Decimal | None]] = field(default_factory=dict)  # label key -> (label, value)
    occurrence: int = 1


@dataclass(frozen=True)
class CrossCheck:
    """The outcome of one rule across years for one agency: passed, failed or incomplete."""

    rule: str
    agency: str
    later: YearFacts
    earlier: YearFacts | None
    left: tuple[str, ...]  # the terms as shown, each with its year
    right: tuple[str, ...]
    left_value: Decimal | None
    right_value: Decimal | None
    status: str
    reason: str = ""  # why incomplete, in Chinese
    note: str = ""

    @property
    def difference(self) -> Decimal | None:
        if self.left_value is None or self.right_value is None:
            return None
        return self.left_value - self.right_value

    @property
    def years(self) -> str:
        before = self.earlier.year if self.earlier else "?"
        return f"{before}→{self.later.year}"

    @property
    def files(self) -> str:
        names = [Path(f.path).name for f in (self.earlier, self.later) if f is not None]
        return " → ".join(names)

    def finding(self) -> Finding:
        return Finding(
            "year-to-year-mismatch",
            f"跨年核对 {self.rule} 不成立：{self.later.year}年报告（{Path(self.later.path).name}）的 "
            f"{' + '.join(self.left)} = {json_number(self.left_value)}，但由{self.earlier.year}年报告"
            f"（{Path(self.earlier.path).name}）应为 {' '.join(self.right)} = {json_number(self.right_value)}"
            f"（差额 {json_number(self.difference)}）。{self.note}",
            id=self.rule,
        )


def year_facts(report, mappings: Mappings) -> YearFacts:
    """The facts of a Report or a series Entry (both have observations, unmapped, agency, year, format)."""
    ids = {t.id for r in mappings.series_rules for t in r.left + r.right}
    facts = YearFacts(report.agency, report.year, report.format, str(report.path))
    for cell_id in ids:
        if cell_id in report.observations:
            obs = report.observations[cell_id]
            facts.values[cell_id] = (_decimal(obs.value), obs.status)
    columns = {r.column for r in mappings.series_rules if r.kind == "cumulative"}
    if report.format == "legacy" and columns:
        _legacy_facts(report, facts, columns, mappings.normalizer.key)
    return facts


def _legacy_facts(report, facts: YearFacts, columns: set[str], key) -> None:
    """Each legacy row's 历年累计 (listed as unmapped) and its annual figure (mapped or unmapped)."""
    for entry in report.unmapped:
        label = key(entry["label"])
        if key(entry["column"]) in columns:
            facts.cumulative[label] = (entry["label"], _decimal(entry["value"]))
        elif entry["key"]:
            facts.annual.setdefault(label, _decimal(entry["value"]))
    for obs in report.observations.values():
        for source in obs.sources:
            value = obs.value if len(obs.sources) == 1 else getattr(source, "value", None) or _number(source.raw)
            facts.annual.setdefault(key(source.row_label), _decimal(value))


def check_facts(facts: Iterable[YearFacts], mappings: Mappings) -> list[CrossCheck]:
    """Every rule across years for every agency of `facts` (grouped by agency identity)."""
    groups: dict[str, list[YearFacts]] = defaultdict(list)
    for fact in facts:
        if fact.agency and fact.year is not None:
            groups[agency_key(fact.agency, mappings.normalizer)].append(fact)
    checks = []
    for group in groups.values():
        checks += check_agency(group, mappings)
    return checks


def check_agency(reports: list[YearFacts], mappings: Mappings) -> list[CrossCheck]:
    """The checks between each report and the one of the year before, for one agency."""
    by_year: dict[int, list[YearFacts]] = defaultdict(list)
    for fact in reports:
        if fact.year is not None:
            by_year[fact.year].append(fact)
    checks = []
    years = sorted(by_year)
    for index, year in enumerate(years[1:], start=1):
        earlier_year = years[index - 1]
        for later in by_year[year]:
            for rule in mappings.series_rules:
                checks += _pair_checks(rule, later, by_year[earlier_year], by_year[year])
    return checks


def _pair_checks(rule: SeriesRule, later: YearFacts, earlier: list[YearFacts], same_year: list) -> list:
    """The rule between `later` and the report(s) of the year before it in the series: incomplete when that
    year is missing (a gap) or when either year has more than one report."""
    if later.format not in rule.formats or earlier[0].format not in rule.formats:
        return []
    agency = later.agency or ""
    reason = ""
    if earlier[0].year != later.year - 1:
        reason = f"缺少{later.year - 1}年的报告（上一份是{earlier[0].year}年）/ no report for {later.year - 1}"
    elif len(earlier) > 1 or len(same_year) > 1:
        reason = f"{earlier[0].year}年或{later.year}年有不止一份报告 / more than one report for a year"
    if reason:
        return [CrossCheck(rule.name, agency, later, earlier[0], (), (), None, None, "incomplete", reason, rule.note)]
    if rule.kind == "cumulative":
        return _cumulative(rule, agency, later, earlier[0])
    return [_identity(rule, agency, later, earlier[0])]


def _identity(rule: SeriesRule, agency: str, later: YearFacts, earlier: YearFacts) -> CrossCheck:
    def shown(term: Term) -> str:
        year = earlier.year if term.previous else later.year
        return f"{'−' if term.sign < 0 else '+'}{term.id}（{year}年）".lstrip("+")

    values = {t: (earlier if t.previous else later).values.get(t.id, (None, "missing")) for t in rule.left + rule.right}
    left, right = tuple(shown(t) for t in rule.left), tuple(shown(t) for t in rule.right)
    absent = [shown(t).lstrip("−") for t, (value, _) in values.items() if value is None]
    if absent:
        reason = "没有数值 no value: " + "、".join(absent)
        return CrossCheck(rule.name, agency, later, earlier, left, right, None, None, "incomplete", reason, rule.note)
    left_value = sum((t.sign * values[t][0] for t in rule.left), Decimal(0))
    right_value = sum((t.sign * values[t][0] for t in rule.right), Decimal(0))
    status = "passed" if left_value == right_value else "failed"
    return CrossCheck(rule.name, agency, later, earlier, left, right, left_value, right_value, status, "", rule.note)


def _cumulative(rule: SeriesRule, agency: str, later: YearFacts, earlier: YearFacts) -> list[CrossCheck]:
    checks = []
    for label_key, (label, value) in later.cumulative.items():
        if label_key not in earlier.cumulative:
            continue
        before, annual = earlier.cumulative[label_key][1], later.annual.get(label_key)
        name = f"{rule.name}[{label}]"
        left = (f"「{label}」{rule.column}（{later.year}年）",)
        right = (f"「{label}」{rule.column}（{earlier.year}年）", f"+「{label}」本年数（{later.year}年）")
        if value is None or before is None or annual is None:
            reason = "没有数值 no value"
            checks.append(CrossCheck(name, agency, later, earlier, left, right, None, None, "incomplete", reason))
            continue
        status = "passed" if value == before + annual else "failed"
        checks.append(
            CrossCheck(name, agency, later, earlier, left, right, value, before + annual, status, "", rule.note)
        )
    return checks


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _number(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        return None


def check_series(series, mappings: Mappings) -> list[CrossCheck]:
    """The checks across years of every agency of a Series; back-casts are set into its entries after."""
    checks = []
    for agency in series.agencies:
        entries = agency.reports()
        facts = [year_facts(entry, mappings) for entry in entries]
        checks += check_agency(facts, mappings)
        for earlier, later in _consecutive(entries):
            for rule in mappings.series_rules:
                _backcast(rule, earlier, later)
    return checks


def _consecutive(entries: list) -> Iterable[tuple]:
    """(N-1, N) pairs of reports that are each alone in their year."""
    by_year = defaultdict(list)
    for entry in entries:
        by_year[entry.year].append(entry)
    for year, found in by_year.items():
        before = by_year.get(year - 1, []) if year is not None else []
        if len(found) == 1 and len(before) == 1:
            yield before[0], found[0]


def _backcast(rule: SeriesRule, earlier, later) -> None:
    """The earlier report's cell from the later report's, where the rule allows it and the cell is empty."""
    if not rule.backcast or earlier.format not in rule.backcast or later.format not in rule.formats:
        return
    target = next(t for t in rule.left + rule.right if t.previous)
    if target.id not in earlier.observations or earlier.observations[target.id].value is not None:
        return
    known = [t for t in rule.left + rule.right if not t.previous]
    values = {t: later.observations[t.id].value for t in known if t.id in later.observations}
    if len(values) < len(known) or any(v is None for v in values.values()):
        return
    on_left = sum(t.sign * Decimal(str(values[t])) for t in rule.left)
    others = sum(t.sign * Decimal(str(values[t])) for t in rule.right if not t.previous)
    value = (on_left - others) * target.sign
    signs = [(t, t.sign * target.sign) for t in rule.left] + [
        (t, -t.sign * target.sign) for t in rule.right if not t.previous
    ]
    formula = " ".join(f"{'−' if sign < 0 else '+'} {t.id}" for t, sign in signs).lstrip("+ ")
    note = (
        f"由下一年（{later.year}年）的报告推算，不是原表印出的数：按 {rule.name} 倒推（{formula}）= {json_number(value)}。"
        f"修订、失效等可能打破这一等式，仅供参考 / computed from the following year's report "
        f"({Path(later.path).name}), never printed; amendments and expiry can break the identity"
    )
    set_value(earlier, target.id, json_number(value), "approx", BACKCAST_RELATION, note)


def set_value(entry, cell_id: str, value, status: str, relation: str, note: str) -> None:
    """Replace one cell of a series Entry; its shared columns are copied first, never changed in place."""
    kept = entry.observations
    index = kept.index[cell_id]
    old = kept.statuses[index]

    def replaced(column: tuple, new) -> tuple:
        return column[:index] + (new,) + column[index + 1 :]

    kept.numbers = replaced(kept.numbers, value)
    kept.statuses = replaced(kept.statuses, status)
    kept.relations = replaced(kept.relations, relation)
    kept.notes = replaced(kept.notes, note)
    entry.counts = dict(entry.counts)
    entry.counts[old] -= 1
    entry.counts[status] += 1
