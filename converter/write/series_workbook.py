"""A Series -> the series workbook: a wide view per agency (indicators × years, status colours,
provenance comments, format breaks marked), a long table, unmapped fields per year, sum rules,
sources, findings, charts of key series and a bilingual legend.

Sheets are streamed (openpyxl write-only mode) so that a large corpus does not have to fit in
memory as cell objects.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..corpus.series import LONG_COLUMNS, AgencySeries, Series, Slot, long_rows
from ..mapping import Mappings
from ..model import STATUSES, Report, json_number
from .excel import (
    BOLD,
    HEADER_FILL,
    MAX_SHEET_ROWS,
    RIGHT,
    WRAP,
    StatusLook,
    StyleCache,
    comment,
    create_sheet,
    new_workbook,
    plain_row,
    print_setup,
    provenance_text,
    save,
    sheet_name,
    streamed,
    writable_folder,
)
from .listings import (
    FINDING_HEADER,
    RULE_FILLS,
    RULE_HEADER,
    RULE_RESULT_COLUMN,
    crossyear_row,
    finding_row,
    in_chinese,
    rule_row,
)
from .report_workbook import SCHEMA_CHECKS, SOURCE_CHECKS
from .series_charts import NO_REPORT, write_charts, years_between
from .series_legend import BREAK_BORDER, BREAK_FILL, write_legend
from .series_narrative import block_rows, narrative_block

# openpyxl keeps every comment of a workbook in memory until it is saved (about 8 kB each), so a
# large series comments only the cells a reader questions; the long sheet has every provenance.
MAX_COMMENTS = 20_000
QUESTIONED = ("exact", "approx", "summed", "missing")
AGENCY_FILL = PatternFill("solid", fgColor="BDD7EE")
AGENCY_FONT = Font(bold=True, size=12)
# The wide view: label columns (frozen, printed on every page), a column per year, then the columns
# that identify a row for filters and lookups. Every row names its agency, so a filter keeps it whole.
WIDE_HEADER = ("机构 agency", "分组 group", "指标 indicator", "单位 unit")
WIDE_TAIL = ("编号 id", "表 table", "机构键 agency key")
WIDE_LABEL_COLUMNS = "A:D"
LONG_HEADER = (
    "机构 agency",
    "机构键 agency key",
    "年度 year",
    "格式 format",
    "编号 id",
    "表 table",
    "指标 indicator",
    "单位 unit",
    "数值 value",
    "状态 status",
    "口径 meaning",
    "组合 combination",
    "源文件 source file",
    "原表标签 printed label",
    "原表行 line",
    "说明 note",
)
REPORT_COLUMNS = ("机构 agency", "年度 year", "文件 file")
SHEETS = {
    "wide": "宽表 Series",
    "long": "长表 Long",
    "unmapped": "未映射 Unmapped",
    "rules": "勾稽关系 Rules",
    "sources": "来源 Sources",
    "findings": "提示 Findings",
    "charts": "图表 Charts",
    "legend": "图例 Legend",
}
assert len(LONG_HEADER) == len(LONG_COLUMNS)
WRITE_STEPS = 2  # progress steps per report: its wide-view column, its long-table rows


def write_series_workbook(series: Series, mappings: Mappings, path: str | Path, progress=None) -> Path:
    """Write the series workbook at `path` (atomically); return the path.

    `progress(n)`, if given, hears of n more steps done out of WRITE_STEPS per report (its wide-view
    columns, its long-table rows: most of the writing), for a progress bar.
    """
    writable_folder(Path(path))
    progress = progress or (lambda n: None)
    look = StatusLook(mappings)
    workbook = new_workbook(write_only=True)
    taken: set[str] = set()
    sheets = {key: create_sheet(workbook, sheet_name(title, taken)) for key, title in SHEETS.items()}
    commented = _comment_policy(series, mappings)
    wide_parts = _wide(sheets["wide"], workbook, taken, series, mappings, look, commented, StyleCache(), progress)
    parts = _long(sheets["long"], workbook, series, mappings, taken, progress)
    unmapped_values = sum(len(r.unmapped) for r in series.reports())
    _unmapped(sheets["unmapped"], series, mappings.messages, with_comments=unmapped_values <= MAX_COMMENTS // 4)
    _rules(sheets["rules"], series)
    _sources(sheets["sources"], series)
    _findings(sheets["findings"], series, mappings.messages)
    write_charts(sheets["charts"], series, mappings.official.charted)
    write_legend(sheets["legend"], look, mappings, wide_parts, parts, commented)
    return save(workbook, path)


def _header(ws, titles, widths=None, *, freeze: str = "A2", label_columns: str | None = None) -> None:
    """A list sheet's header: widths, frozen panes, filter and page setup first (a streamed sheet writes
    them with its first row); printed, the header row (and label columns) repeat on every page."""
    for index in range(1, len(titles) + 1):
        width = (widths or {}).get(index, 16)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = freeze
    ws.filtered = True
    print_setup(ws, title_columns=label_columns)
    ws.append([streamed(ws, t, font=BOLD, fill=HEADER_FILL, alignment=WRAP) for t in titles])


def _report_prefix(agency_name: str, report: Report) -> list:
    return [agency_name, report.year, str(report.path)]


# --- wide view ------------------------------------------------------------------------------------


def _comment_policy(series: Series, mappings: Mappings) -> tuple[str, ...]:
    """The statuses whose value cells get a provenance comment in the wide view."""
    reports = [r for a in series.agencies for r in a.columns.values()]
    if len(reports) * len(mappings.schema) <= MAX_COMMENTS:
        return STATUSES
    questioned = sum(1 for r in reports for o in r.observations.values() if o.status in QUESTIONED)
    return QUESTIONED if questioned <= MAX_COMMENTS else ()


def wide_slots(series: Series) -> list[Slot]:
    """The year columns: every year the series has a report for, and every year between the first and
    the last that has none (an absent year shows as absent, not skipped)."""
    return years_between(series.slots)


def _wide(
    ws,
    workbook,
    taken: set[str],
    series: Series,
    mappings: Mappings,
    look: StatusLook,
    commented: tuple[str, ...],
    styles: StyleCache,
    progress,
) -> list[str]:
    """Rows per agency, each naming its agency; an agency's rows are never cut: past Excel's row limit
    the next agencies go on in further sheets."""
    slots = wide_slots(series)
    widths = {1: 22, 2: 24, 3: 36, 4: 6}
    first_tail = len(WIDE_HEADER) + len(slots) + 1
    for index in range(len(WIDE_HEADER) + 1, first_tail):
        widths[index] = 16  # "无报告 no report" fits
    widths.update({first_tail: 30, first_tail + 1: 14, first_tail + 2: 22})
    header = WIDE_HEADER + tuple(s.title for s in slots) + WIDE_TAIL
    freeze = f"{get_column_letter(len(WIDE_HEADER) + 1)}2"
    _wide_sheet_setup(ws, header, widths, freeze, first_tail)
    titles = mappings.official.table_titles
    cells = [(c, titles[t]) for t in titles for c in mappings.schema.values() if c.table == t]
    parts, rows = [ws.title], 1
    for agency in series.agencies:
        others = [n for n in agency.names if n != agency.name]
        block = 2 + bool(others) + len(cells) + block_rows(mappings)
        if rows + block > MAX_SHEET_ROWS:
            ws = create_sheet(workbook, sheet_name(f"{SHEETS['wide']} {len(parts) + 1}", taken))
            _wide_sheet_setup(ws, header, widths, freeze, first_tail)
            parts.append(ws.title)
            rows = 1
        rows += block
        _wide_block(ws, agency, others, slots, cells, look, commented, styles)
        for row in narrative_block(ws, agency, slots, mappings, look, commented, styles):
            ws.append(row)
        progress(len(agency.columns))
    return parts


def _wide_sheet_setup(ws, header, widths, freeze: str, first_tail: int) -> None:
    """Printed, the wide view is its labels and years: the id, table and key columns stay on screen."""
    _header(ws, header, widths, freeze=freeze, label_columns=WIDE_LABEL_COLUMNS)
    ws.print_columns = first_tail - 1


def _wide_block(ws, agency: AgencySeries, others, slots, cells, look, commented, styles) -> None:
    reports = [agency.columns.get(slot) for slot in slots]
    breaks = [agency.breaks.get(slot) for slot in slots]
    tail = plain_row(ws, [None, None, agency.key])
    name = streamed(ws, agency.name, font=AGENCY_FONT, fill=AGENCY_FILL)
    ws.append(
        [name, None, streamed(ws, "格式 format", font=BOLD), None]
        + [_format_cell(ws, report, brk) for report, brk in zip(reports, breaks)]
        + tail
    )
    ws.append(
        plain_row(ws, [agency.name, None, "文件 file", None])
        + [_edge(ws, Path(report.path).name if report else None, brk) for report, brk in zip(reports, breaks)]
        + tail
    )
    if others:
        ws.append(
            plain_row(ws, [agency.name, "其他写法 also printed as", "、".join(others), None])
            + [_edge(ws, None, brk) for brk in breaks]
            + tail
        )
    for cell, table_title in cells:
        label = " · ".join(p for p in (cell.row_label, cell.column_label) if p)
        ws.append(
            plain_row(ws, [agency.name, cell.group, label, cell.unit])
            + [_value_cell(ws, report, cell.id, brk, look, commented, styles) for report, brk in zip(reports, breaks)]
            + plain_row(ws, [cell.id, table_title, agency.key])
        )


def _format_cell(ws, report: Report | None, brk):
    if report is None:
        return _edge(ws, NO_REPORT, brk)
    if brk:
        return streamed(
            ws,
            f"{report.format} ◀ 格式变化 break: {brk[0]} → {brk[1]}",
            font=BOLD,
            fill=BREAK_FILL,
            border=BREAK_BORDER,
            alignment=WRAP,
        )
    return streamed(ws, report.format)


def _edge(ws, value, brk):
    """A cell of a break column gets a thick red left edge, so the break runs down the whole block."""
    if brk:
        return streamed(ws, value, border=BREAK_BORDER)
    return streamed(ws, value) if value is not None else None  # an empty cell costs nothing when left out


def _value_cell(
    ws, report: Report | None, cell_id: str, brk, look: StatusLook, commented: tuple[str, ...], styles: StyleCache
):
    if report is None:
        return _edge(ws, None, brk)
    obs = report.observations[cell_id]
    style = {"fill": look.fills[obs.status], "number_format": look.number_format(obs.status), "alignment": RIGHT}
    if brk:
        style["border"] = BREAK_BORDER
    cell = styles.cell(ws, look.shown(obs.value, obs.status), (obs.status, bool(brk)), **style)
    if obs.status in commented:
        cell.comment = comment(provenance_text(obs, look, Path(report.path).name))
    return cell


# --- long table -----------------------------------------------------------------------------------


def _long(ws, workbook, series: Series, mappings: Mappings, taken: set[str], progress) -> list[str]:
    """One row per value; past Excel's row limit the table goes on in further sheets (never cut)."""
    widths = {1: 24, 4: 34, 6: 40, 12: 40, 13: 30, 15: 40}
    _header(ws, LONG_HEADER, widths)
    parts, rows = [ws.title], 1
    per_report = len(mappings.schema)  # a report's rows: one per schema cell
    for written, row in enumerate(long_rows(series, mappings), start=1):
        if written % per_report == 0:
            progress(1)
        if rows == MAX_SHEET_ROWS:
            ws = create_sheet(workbook, sheet_name(f"{SHEETS['long']} {len(parts) + 1}", taken))
            _header(ws, LONG_HEADER, widths)
            parts.append(ws.title)
            rows = 1
        ws.append(plain_row(ws, row))
        rows += 1
    return parts


# --- unmapped fields per year ---------------------------------------------------------------------

UNMAPPED_FIELDS = ("机构 agency", "栏目 section", "标签 printed label", "列 column", "单位 unit", "原因 reason")


def _unmapped(ws, series: Series, messages: dict, with_comments: bool = True) -> None:
    """Per agency, each unmapped field once, its value in each year's column: what the old formats held."""
    slots = wide_slots(series)  # every year between the first and the last report, as in the wide view
    _header(ws, UNMAPPED_FIELDS + tuple(s.title for s in slots), {1: 24, 2: 30, 3: 40, 6: 50}, freeze="G2")
    for agency in series.agencies:
        fields: dict[tuple, dict[Slot, tuple]] = {}
        for slot in slots:
            report = agency.columns.get(slot)
            for entry in report.unmapped if report else ():
                key = (entry["section"], entry["label"], entry["column"], entry["unit"])
                fields.setdefault(key, {"reason": entry["reason"]})[slot] = (entry, report)
        for (section, label, column, unit), by_slot in fields.items():
            row = [
                streamed(ws, v)
                for v in (agency.name, section, label, column, unit, in_chinese(by_slot["reason"], "", messages))
            ]
            for slot in slots:
                row.append(_unmapped_value(ws, *by_slot[slot], with_comments) if slot in by_slot else None)
            ws.append(row)


def _unmapped_value(ws, entry: dict, report: Report, with_comments: bool):
    value = json_number(entry["value"]) if entry["value"] is not None else (entry["raw"] or None)
    cell = streamed(ws, value)
    if not with_comments:
        return cell
    where = f"第{entry['line']}行 line {entry['line']}" if entry["line"] else "no line"
    cell.comment = comment(
        f"「{entry['label']}」 = {entry['raw'] or '空 blank'}, {where}\n文件 file: {Path(report.path).name}"
    )
    return cell


# --- rules, sources, findings ---------------------------------------------------------------------


def _rules(ws, series: Series) -> None:
    _header(ws, REPORT_COLUMNS + RULE_HEADER, {1: 24, 3: 36, 5: 30, 6: 50, 7: 50})
    result_column = len(REPORT_COLUMNS) + RULE_RESULT_COLUMN
    styles = StyleCache()
    fills = {result: PatternFill("solid", fgColor=colour) for result, colour in RULE_FILLS.items()}
    for agency in series.agencies:
        for report in agency.reports():
            rows = [rule_row(c, SOURCE_CHECKS) for c in report.source_checks]
            rows += [rule_row(c, SCHEMA_CHECKS) for c in report.checks]
            for row in rows:
                _rule_line(ws, _report_prefix(agency.name, report) + list(row), result_column, styles, fills)
    for check in series.crossyear:  # each report against the year before: both years, both files
        _rule_line(ws, [check.agency, check.years, check.files, *crossyear_row(check)], result_column, styles, fills)


def _rule_line(ws, row: list, result_column: int, styles: StyleCache, fills: dict) -> None:
    values = plain_row(ws, row)
    result = values[result_column]
    values[result_column] = styles.cell(ws, result, result, fill=fills[result])
    ws.append(values)


SOURCE_HEADER = (
    (
        "机构 agency",
        "原文机构名 agency as printed",
        "机构键 agency key",
        "年度 year",
        "列 column",
        "格式 format",
        "文件 file",
        "SHA-256",
        "编码 encoding",
    )
    + tuple(f"{s}" for s in STATUSES)
    + ("未映射 unmapped", "对账平衡 ledger balanced", "提示 findings")
)


def _sources(ws, series: Series) -> None:
    _header(ws, SOURCE_HEADER, {1: 24, 2: 24, 3: 24, 7: 50, 8: 66})
    for agency in series.agencies:
        for slot in sorted(agency.columns, key=Slot.sort_key):
            report = agency.columns[slot]
            counts = report.status_counts()
            row = [
                agency.name,
                report.agency_printed or report.agency,
                report.agency_key,
                report.year,
                slot.title,
                report.format,
                str(report.path),
                report.sha256,
                report.encoding,
                *(counts[s] for s in STATUSES),
                len(report.unmapped),
                "是 yes" if report.ledger.get("balanced") else "否 NO",
                len(report.findings),
            ]
            ws.append([streamed(ws, v) for v in row])


def _findings(ws, series: Series, messages: dict) -> None:
    _header(ws, REPORT_COLUMNS + FINDING_HEADER, {1: 24, 3: 40, 4: 22, 7: 100})
    for agency in series.agencies:
        for report in agency.reports():
            for finding in report.findings:
                ws.append(
                    [
                        streamed(ws, v)
                        for v in _report_prefix(agency.name, report) + list(finding_row(finding, messages))
                    ]
                )
    for report, finding in series.findings:
        prefix = [report.agency, report.year, str(report.path)] if report else ["", None, ""]
        ws.append([streamed(ws, v) for v in prefix + list(finding_row(finding, messages))])
    for check in series.crossyear:
        if check.status == "failed":
            prefix = [check.agency, check.years, check.later.path]
            ws.append([streamed(ws, v) for v in prefix + list(finding_row(check.finding()))])
