"""One report file -> a Report: read (text, HTML, Word, Excel or PDF), cut into cells, detect, parse, map,
derive, check."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import InputError
from .mapping import Mappings, shared_mappings
from .model import Finding, Observation, Report
from .normalize import agency_key
from .parse.detect import detect_agency_year, detect_format, infer_format, year_from_text
from .parse.glued import cut_glued
from .parse.legacy import read_legacy
from .parse.narrative import check_narrative, read_narrative
from .parse.tables import read_tables
from .read import Source, read_source
from .read.cells import Cell
from .read.decode import find_mojibake
from .read.limits import read_file
from .read.pictures import add_page_pictures
from .schema.apply import add_derived, observations_from_current, observations_from_older
from .schema.rules import check_rules


def read_report(
    path: str | Path,
    *,
    mappings: Mappings | None = None,
    agency: str | None = None,
    year: int | None = None,
) -> Report:
    """Read one report file into a Report in the 2021 schema.

    `agency` and `year` override what is detected in the text. Problems in the report are
    findings in the result; only a file that cannot be read as a report raises InputError.
    """
    path = Path(path)
    mappings = mappings or shared_mappings()
    data = _read_bytes(path)
    source = read_source(data)
    lines, cells, fmt, inferred = _detect(source, year, mappings)
    if fmt is None and source.pictures:  # a saved page whose tables are pictures beside it
        add_page_pictures(source, path.parent)
        lines, cells, fmt, inferred = _detect(source, year, mappings)
    if fmt is None:
        raise InputError(_no_table_reason(lines, cells, mappings))
    report = Report(path, hashlib.sha256(data).hexdigest(), source.encoding, None, None, fmt, input_kind=source.kind)
    report.findings += source.findings
    if inferred:
        report.findings.append(
            Finding(
                "format-inferred-from-year",
                f"the page prints no label that only one format has (it holds tables 三/四 only): read as the {fmt} "
                "format, the one in force for its report year",
            )
        )
    tables, regions, first_table_line = _read_source_tables(cells, fmt, mappings)
    _set_metadata(report, lines, mappings, first_table_line, agency=agency, year=year)
    for table in tables:
        report.source_fields += table.fields
        report.unmapped += table.unmapped
        report.findings += table.findings
    _map(report, mappings)
    report.ledger = _ledger(report, cells, tables, regions)
    report.findings += find_mojibake(lines)
    report.narrative = read_narrative(
        lines, _table_lines(first_table_line, regions), mappings, year=report.year, input_kind=source.kind
    )
    check_narrative(report, mappings)
    return report


def _detect(source: Source, year: int | None, mappings: Mappings):
    """The source's lines and cells, and its format: found from its labels, else inferred from its year."""
    lines, cells = source.lines, cut_glued(source.cells, mappings)
    fmt = detect_format(cells, mappings)
    inferred = fmt is None and (fmt := infer_format(cells, year or _any_year(lines, mappings), mappings))
    return lines, cells, fmt, inferred


def _table_lines(first_line: int | None, regions: list[Cell]) -> range:
    """The lines the tables cover, headings included: no narrative figure is read from them."""
    lines = [c.line for c in regions]
    if not lines:
        return range(0)
    return range(min([first_line or lines[0], *lines]), max(lines) + 1)


def _read_source_tables(cells: list[Cell], fmt: str, mappings: Mappings):
    """The format's tables as source fields, the cells they cover, and where the first one starts."""
    if fmt == "legacy":
        table, region = read_legacy(cells, mappings)
        return [table], region, region[0].line if region else None
    return read_tables(cells, fmt, mappings)


def _map(report: Report, mappings: Mappings) -> None:
    """Source fields -> 2021 observations; rules on the source side first, then on the 2021 cells."""
    if report.format == "2021":
        report.observations = observations_from_current(report.source_fields, mappings)
    else:
        if report.format == "legacy":
            source = {f.key: Observation(f.key, f.value, "reported", sources=[f]) for f in report.source_fields}
            report.source_checks, source_findings = check_rules(source, mappings, applies_to="legacy")
            report.findings += source_findings
        decisions = mappings.maps[report.format]
        report.observations, unmapped, findings = observations_from_older(report.source_fields, decisions, mappings)
        report.unmapped += unmapped
        report.findings += findings
    add_derived(report.observations, mappings)
    report.checks, rule_findings = check_rules(report.observations, mappings)
    report.findings += rule_findings


def _ledger(report: Report, cells: list[Cell], tables: list, regions: list[Cell]) -> dict:
    """Every number printed on a table-like line is accounted for once: mapped, unmapped, or (glued digits
    no single split could read) ambiguous. A number outside every table the reader found is unplaced, so a
    report whose tables were lost can never look balanced."""
    ignored = {id(c) for table in tables for c in table.ignored}
    numbers = [c for c in cells if c.kind == "value" and c.value is not None and id(c) not in ignored]
    inside = {id(c) for c in regions}
    unplaced = [c for c in numbers if id(c) not in inside]
    split = sum(table.split_values for table in tables)
    ambiguous = sum(table.ambiguous for table in tables)
    printed = len(numbers) + split + ambiguous
    used = {id(s) for o in report.observations.values() for s in o.sources if s.value is not None}
    unmapped = sum(1 for u in report.unmapped if u["value"] is not None)
    ledger = {
        "source_numbers": printed,
        "mapped": len(used),
        "unmapped": unmapped,
        "ambiguous": ambiguous,
        "unplaced": len(unplaced),
        "balanced": printed == len(used) + unmapped + ambiguous and not unplaced,
    }
    if unplaced:
        lines = sorted({c.line for c in unplaced})
        shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
        report.findings.append(
            Finding(
                "unplaced-numbers",
                f"{len(unplaced)} number(s) on table-like lines stand outside every table that was read "
                f"(line {shown}): a table may not have been recognised",
                line=lines[0],
            )
        )
    elif not ledger["balanced"]:
        report.findings.append(
            Finding(
                "ledger-unbalanced",
                f"{printed} numbers are printed in the tables but {len(used)} were mapped, {unmapped} listed as "
                f"unmapped and {ambiguous} left ambiguous: some number is unaccounted for — please report this file",
            )
        )
    return ledger


# Words of a report's title: a text holding them is a report whose tables were not found, not some
# other document.
_TITLE_WORDS = ("政府信息公开", "政务公开")


# This many numbers on table-like lines make a text that holds a table nobody could read.
_TABLE_LIKE_NUMBERS = 6


def _no_table_reason(lines: list[str], cells: list[Cell], mappings: Mappings) -> str:
    numbers = sorted({c.line for c in cells if c.kind == "value" and c.value is not None})
    if sum(1 for c in cells if c.kind == "value") >= _TABLE_LIKE_NUMBERS:
        return (
            f"table rows at lines {numbers[0]}–{numbers[-1]} could not be read: none of their labels is a row of "
            "the 2019/2021 tables or of a legacy statistical table the mapping tables know (add the edition to "
            "mappings/, see CONTRIBUTING.md)"
        )
    head = mappings.normalizer.clean("".join(lines[:30]))
    if any(word in head for word in _TITLE_WORDS) and ("报告" in head or "年度" in head):
        return (
            "it looks like a 政府信息公开工作年度报告, but no statistical table of a known format was found in it "
            "(the tables may be images, attachments or on another page)"
        )
    return "no statistical table of a known format was found (is this a 政府信息公开工作年度报告?)"


def _read_bytes(path: Path) -> bytes:
    return read_file(path)  # only regular files, within the size limit (read/limits.py)


def _any_year(lines: list[str], mappings: Mappings) -> int | None:
    return detect_agency_year(lines, mappings)[1] or year_from_text(lines, mappings)[0]


def _set_metadata(
    report: Report,
    lines: list[str],
    mappings: Mappings,
    before_line: int | None,
    *,
    agency: str | None,
    year: int | None,
) -> None:
    found_agency, found_year = detect_agency_year(lines, mappings, before_line=before_line)
    report.agency_printed = agency or found_agency
    report.agency = mappings.normalizer.simplified(report.agency_printed) if report.agency_printed else None
    report.agency_key = agency_key(report.agency, mappings.normalizer)
    report.year = year or found_year
    if report.year is None:
        report.year, words = year_from_text(lines, mappings)
        if report.year is not None:
            report.findings.append(
                Finding("year-from-text", f"no title names the report year: {report.year} is read from 「{words}」")
            )
    if report.agency is None:
        report.findings.append(
            Finding(
                "agency-not-found", "the agency was not found in the title or first sentences; give it with --agency"
            )
        )
    if report.year is None:
        report.findings.append(
            Finding(
                "year-not-found", "the report year was not found in the title or first sentences; give it with --year"
            )
        )
