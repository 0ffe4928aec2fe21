"""Many reports -> one series per agency: who is the same agency across years, which year columns
exist, where the format changes, and the long (tidy) table of every value.

Nothing here writes a workbook; series_workbook.py lays this out for people, build_series() gives
analysts the same long table as a pandas DataFrame.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..csv_text import CsvDecodeError, decode_csv
from ..errors import InputError
from ..mapping import Mappings, load_mappings
from ..model import Finding, NarrativeFigure, Report, json_number
from ..normalize import Normalizer, agency_key, half_width  # noqa: F401 (agency_key: part of this module's face)
from .crossyear import check_series
from .entries import Entry, Sharer, keep, reshare

UNKNOWN_AGENCY = "（机构未识别）"
LONG_COLUMNS = (
    "agency",
    "agency_key",
    "year",
    "format",
    "id",
    "table",
    "indicator",
    "unit",
    "value",
    "status",
    "meaning",
    "combination",
    "file",
    "printed_label",
    "line",
    "note",
)
NARRATIVE_TABLE = "文字 narrative"  # the table column of a narrative figure's row in the long table


@dataclass(frozen=True)
class Slot:
    """One year column of the series; a second report for the same agency and year gets occurrence 2."""

    year: int | None
    occurrence: int = 1

    @property
    def title(self) -> str:
        year = str(self.year) if self.year is not None else "年度未识别 year?"
        return year if self.occurrence == 1 else f"{year} ({self.occurrence})"

    def sort_key(self) -> tuple:
        return (self.year is None, self.year or 0, self.occurrence)


@dataclass
class AgencySeries:
    key: str
    name: str  # as printed in the latest report
    names: list[str] = field(default_factory=list)  # every printed form, first seen first
    columns: dict[Slot, Entry] = field(default_factory=dict)
    breaks: dict[Slot, tuple[str, str]] = field(default_factory=dict)  # slot -> (format before, format from here)

    def reports(self) -> list[Entry]:
        return [self.columns[s] for s in sorted(self.columns, key=Slot.sort_key)]


@dataclass
class Series:
    agencies: list[AgencySeries]
    slots: list[Slot]
    findings: list[tuple[Entry | None, Finding]]  # findings about the series, with the report concerned
    crossyear: list = field(default_factory=list)  # CrossCheck: each report against the year before

    def reports(self) -> Iterator[Entry]:
        for agency in self.agencies:
            yield from agency.reports()


def pinyin_key(name: str) -> tuple:
    """Agencies in the order a Chinese index lists them: by the pinyin of each character (平潭 after
    金乡), not by Unicode code points; the name itself breaks ties between homophones."""
    from pypinyin import Style, lazy_pinyin  # loads its dictionary; only a series needs it

    return (tuple(lazy_pinyin(name, style=Style.NORMAL, errors="default")), name)


def assemble(reports: Iterable[Report | Entry], mappings: Mappings) -> Series:
    """Group reports by agency identity, give each a year slot, mark format changes.

    Reports are reduced to Entries as they come, so `reports` may be a generator over a corpus.
    """
    groups: dict[str, AgencySeries] = {}
    findings: list[tuple[Entry | None, Finding]] = []
    same = Sharer()
    for report in reports:
        report = reshare(report, same) if isinstance(report, Entry) else keep(report, same)
        key = agency_key(report.agency, mappings.normalizer) or f"{UNKNOWN_AGENCY}{report.path}"
        group = groups.setdefault(key, AgencySeries(key, report.agency or UNKNOWN_AGENCY))
        if report.agency and report.agency not in group.names:
            group.names.append(report.agency)
        slot = Slot(report.year)
        while slot in group.columns:
            slot = Slot(report.year, slot.occurrence + 1)
        group.columns[slot] = report
    for group in groups.values():
        findings += _duplicates(group)
        _mark_breaks(group)
        latest = group.reports()[-1]
        group.name = latest.agency or group.name
    agencies = sorted(groups.values(), key=lambda g: (g.key.startswith(UNKNOWN_AGENCY), pinyin_key(g.key)))
    slots = sorted({s for g in agencies for s in g.columns}, key=Slot.sort_key)
    series = Series(agencies, slots, findings)
    series.crossyear = check_series(series, mappings)
    return series


def _duplicates(group: AgencySeries) -> list[tuple[Entry, Finding]]:
    """One finding per agency and year printed by more than one report, naming the files."""
    found = []
    for year in sorted({s.year for s in group.columns if s.occurrence > 1}, key=lambda y: (y is None, y or 0)):
        slots = sorted((s for s in group.columns if s.year == year), key=Slot.sort_key)
        files = [str(group.columns[s].path) for s in slots]
        shown = ", ".join(files[:-1][:5]) + (f" … ({len(files) - 6} more)" if len(files) > 6 else "")
        found.append(
            (
                group.columns[slots[-1]],
                Finding(
                    "duplicate-agency-year",
                    f"{group.name} {slots[0].title} 有 {len(files)} 份报告：{shown} 和 {files[-1]}；全部保留为 "
                    f"{slots[0].title} 至 {slots[-1].title} 列，请核对哪一份正确 / {len(files)} reports for one "
                    "agency and year, all kept: check which is right",
                ),
            )
        )
    return found


def _mark_breaks(group: AgencySeries) -> None:
    previous = None
    for slot in sorted(group.columns, key=Slot.sort_key):
        fmt = group.columns[slot].format
        if previous is not None and fmt != previous:
            group.breaks[slot] = (previous, fmt)
        previous = fmt


def long_rows(series: Series, mappings: Mappings) -> Iterator[tuple]:
    """One row per value, columns LONG_COLUMNS: what a pivot table or pandas wants."""
    for agency in series.agencies:
        for report in agency.reports():
            file_name = str(report.path)
            for obs in report.observations.values():
                cell = mappings.schema[obs.id]
                yield (
                    agency.name,
                    agency.key,
                    report.year,
                    report.format,
                    obs.id,
                    cell.table,
                    cell.label,
                    cell.unit,
                    json_number(obs.value),
                    obs.status,
                    *split_relation(obs.relation),
                    file_name,
                    obs.label,
                    obs.line,
                    obs.note,
                )
            for figure in narrative_values(report):
                yield (
                    agency.name,
                    agency.key,
                    report.year,
                    report.format,
                    figure.id,
                    NARRATIVE_TABLE,
                    figure.label,
                    figure.unit,
                    json_number(figure.value),
                    figure.status,
                    "",  # meaning and combination: a figure read from a sentence is no mapping link
                    "",
                    file_name,
                    figure.sentence,
                    figure.line,
                    narrative_note(report, figure),
                )


def narrative_values(report: Report) -> list[NarrativeFigure]:
    """One figure per narrative indicator of a report, for the series: the legacy table's row where the
    table prints the same quantity, else the first figure the prose gives (a near miss never)."""
    chosen: dict[str, NarrativeFigure] = {}
    for figure in getattr(report, "narrative", ()):
        if figure.status == "not_taken":
            continue
        current = chosen.get(figure.id)
        if current is None or (figure.status == "exact" and current.status != "exact"):
            chosen[figure.id] = figure
    return list(chosen.values())


def narrative_note(report: Report, figure: NarrativeFigure) -> str:
    """The chosen figure's provenance, with every other figure the report gives for the indicator."""
    others = [f for f in report.narrative if f.id == figure.id and f is not figure and f.status != "not_taken"]
    told = [figure.note] if figure.note else []
    if figure.phrasing:
        told.append(f"短语 phrasing 「{figure.phrasing}」")
    for other in others:
        what = f"第{other.line}行 line {other.line} 「{other.sentence}」" if other.sentence else other.note
        told.append(f"另见 also {what} = {json_number(other.value)}" + (f" ({other.check})" if other.check else ""))
    return "; ".join(told)


def split_relation(relation: str) -> tuple[str, str]:
    """(meaning, combination) of a provenance relation: 'summed, approx' -> ('approx', 'summed');
    a cell computed in the report or the series ('sum', 'derived') has a combination only."""
    if ", " in relation:
        combination, meaning = relation.split(", ", 1)
        return meaning, combination
    return "", relation


def build_series(reports_or_paths: Iterable[Report | str | Path], *, mappings: Mappings | None = None):
    """The long table of many reports as a pandas DataFrame (one row per value, LONG_COLUMNS).

    Paths are read with read_report; folders are not walked here (the CLI does that).
    """
    import pandas  # only analysts need it; the CLI writes workbooks without building a DataFrame

    from ..pipeline import read_report

    mappings = mappings or load_mappings()
    reports = [r if isinstance(r, Report) else read_report(r, mappings=mappings) for r in reports_or_paths]
    frame = pandas.DataFrame(list(long_rows(assemble(reports, mappings), mappings)), columns=list(LONG_COLUMNS))
    return frame.astype({"year": "Int64", "line": "Int64"})


@dataclass(frozen=True)
class ManifestEntry:
    agency: str | None
    year: int | None
    line: int = 0  # its row in the manifest, for messages


def read_manifest(path: str | Path) -> dict[Path, ManifestEntry]:
    """file,agency,year rows (UTF-8 or GBK as Excel saves them, header required); files are relative to the manifest's folder.

    An empty agency or year cell means "detect it from the text".
    """
    path = Path(path)
    try:
        text = decode_csv(path.read_bytes())
    except OSError as exc:
        raise InputError(f"the manifest cannot be read ({exc.strerror})") from None
    except CsvDecodeError as exc:
        raise InputError(f"line {exc.line}: {exc}") from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or "file" not in rows[0]:
        raise InputError("the manifest needs a header row with the columns file, agency, year")
    entries = {}
    for line, row in enumerate(rows, start=2):
        year = (row.get("year") or "").strip()
        if year and not year.isdigit():
            raise InputError(f"line {line}: year {year!r} is not a year")
        target = (path.parent / row["file"].strip()).resolve()
        entries[target] = ManifestEntry((row.get("agency") or "").strip() or None, int(year) if year else None, line)
    return entries
