"""One report file -> a Report: read (text, HTML, Word, Excel or PDF), cut into cells, detect, parse, map,
derive, check."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import InputError
from .mapping import Mappings, load_mappings
from .model import Finding, Observation, Report
from .parse.detect import detect_agency_year, detect_format
from .parse.legacy import read_legacy
from .parse.template import TableResult, Template, build_template, find_heading, missing_fields, read_table
from .read import read_source
from .read.cells import Cell
from .read.decode import find_mojibake
from .read.limits import read_file
from .schema.apply import add_derived, observations_from_current, observations_from_older
from .schema.rules import check_rules

TABLE_ORDER = ("二", "三", "四")


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
    mappings = mappings or load_mappings()
    data = _read_bytes(path)
    source = read_source(data)
    lines, cells = source.lines, source.cells
    fmt = detect_format(cells, mappings)
    if fmt is None:
        raise InputError(_no_table_reason(lines, mappings))
    report = Report(path, hashlib.sha256(data).hexdigest(), source.encoding, None, None, fmt, input_kind=source.kind)
    report.findings += source.findings
    tables, regions, first_table_line = _read_source_tables(cells, fmt, mappings)
    _set_metadata(report, lines, mappings, first_table_line, agency=agency, year=year)
    for table in tables:
        report.source_fields += table.fields
        report.unmapped += table.unmapped
        report.findings += table.findings
    _map(report, mappings)
    ignored = {id(c) for table in tables for c in table.ignored}
    report.ledger = _ledger(report, [c for c in regions if id(c) not in ignored])
    report.findings += find_mojibake(lines)
    return report


def _read_source_tables(cells: list[Cell], fmt: str, mappings: Mappings):
    """The format's tables as source fields, the cells they cover, and where the first one starts."""
    if fmt == "legacy":
        table, region = read_legacy(cells, mappings)
        return [table], region, region[0].line if region else None
    return _read_tables(cells, fmt, mappings)


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


def _ledger(report: Report, regions: list[Cell]) -> dict:
    """Every number printed in the tables is accounted for once: in an observation or in unmapped."""
    printed = sum(1 for c in regions if c.kind == "value" and c.value is not None)
    used = {id(s) for o in report.observations.values() for s in o.sources if s.value is not None}
    unmapped = sum(1 for u in report.unmapped if u["value"] is not None)
    ledger = {
        "source_numbers": printed,
        "mapped": len(used),
        "unmapped": unmapped,
        "balanced": printed == len(used) + unmapped,
    }
    if not ledger["balanced"]:
        report.findings.append(
            Finding(
                "ledger-unbalanced",
                f"{printed} numbers are printed in the tables but {len(used)} were mapped and {unmapped} listed as "
                "unmapped: some number is unaccounted for — please report this file",
            )
        )
    return ledger


# Words of a report's title: a text holding them is a report whose tables were not found, not some
# other document.
_TITLE_WORDS = ("政府信息公开", "政务公开")


def _no_table_reason(lines: list[str], mappings: Mappings) -> str:
    head = mappings.normalizer.clean("".join(lines[:30]))
    if any(word in head for word in _TITLE_WORDS) and ("报告" in head or "年度" in head):
        return (
            "it looks like a 政府信息公开工作年度报告, but no statistical table of a known format was found in it "
            "(the tables may be images, attachments or on another page)"
        )
    return "no statistical table of a known format was found (is this a 政府信息公开工作年度报告?)"


def _read_bytes(path: Path) -> bytes:
    return read_file(path)  # only regular files, within the size limit (read/limits.py)


def _read_tables(cells: list[Cell], fmt: str, mappings: Mappings):
    """Locate each table by its heading, in order, and read the cells up to the next heading."""
    normalizer = mappings.normalizer
    headings = {e.table: e.keywords for e in mappings.entries(fmt, "table")}
    starts: dict[str, int | None] = {}
    position = 0
    for table in TABLE_ORDER:
        starts[table] = find_heading(cells, headings[table], normalizer, position)
        position = starts[table] + 1 if starts[table] is not None else position
    end = _end_of_tables(cells, fmt, mappings, position)
    results, regions = [], []
    for index, table in enumerate(TABLE_ORDER):
        template = _template(table, fmt, mappings)
        start = starts[table]
        if start is None:
            results.append(_table_not_found(template))
            continue
        later = [starts[t] for t in TABLE_ORDER[index + 1 :] if starts[t] is not None]
        region = cells[start + 1 : later[0] if later else end]
        regions += region
        results.append(read_table(region, template, normalizer))
    found = [cells[s].line for s in starts.values() if s is not None]
    return results, regions, min(found) if found else None


def _end_of_tables(cells: list[Cell], fmt: str, mappings: Mappings, start: int) -> int:
    ends = [find_heading(cells, e.keywords, mappings.normalizer, start) for e in mappings.entries(fmt, "end")]
    ends = [e for e in ends if e is not None]
    return min(ends) if ends else len(cells)


def _template(table: str, fmt: str, mappings: Mappings) -> Template:
    """The reading template of one table of a format; built once per set of mapping tables."""
    cached = mappings.cache.get(("template", fmt, table))
    if cached is None:
        cached = mappings.cache[("template", fmt, table)] = _build_template(table, fmt, mappings)
    return cached


def _build_template(table: str, fmt: str, mappings: Mappings) -> Template:
    key = mappings.normalizer.key
    printed = mappings.layout(fmt, table)
    known = {key(part) for c in printed for part in c.group.split(" / ")}
    known |= {key(c.column_label) for c in printed}
    known |= {e.keywords[0] for e in mappings.formats if e.format == fmt and e.kind in ("label", "table")}
    return build_template(table, printed, frozenset(known))


def _table_not_found(template: Template) -> TableResult:
    result = TableResult(fields=missing_fields(template, list(template.rows)))
    result.findings.append(
        Finding("table-not-found", f"table {template.table} was not found: all its cells are missing")
    )
    return result


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
    report.agency = agency or found_agency
    report.year = year or found_year
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
