"""A Series -> the series workbook: a wide view per agency (indicators × years, status colours,
provenance comments, format breaks marked), a long table, unmapped fields per year, sum rules,
sources, findings, charts of key series and a bilingual legend.

Sheets are streamed (openpyxl write-only mode) so that a large corpus does not have to fit in
memory as cell objects.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Border, Font, PatternFill
from openpyxl.utils import get_column_letter

from .._version import __version__
from ..corpus.series import LONG_COLUMNS, Series, Slot, long_rows
from ..mapping import Mappings
from ..model import STATUSES, Report, json_number
from .excel import (
    BOLD,
    BREAK_SIDE,
    HEADER_FILL,
    MAX_SHEET_ROWS,
    WRAP,
    StatusLook,
    StyleCache,
    clean_text,
    comment,
    new_workbook,
    plain_row,
    provenance_text,
    save,
    sheet_name,
    streamed,
    writable_folder,
)
from .listings import (
    FINDING_HEADER,
    LEGEND_HEADER,
    RULE_FILLS,
    RULE_HEADER,
    RULE_RESULT_COLUMN,
    finding_row,
    legend_rows,
    rule_row,
)
from .report_workbook import SCHEMA_CHECKS, SOURCE_CHECKS, TABLE_TITLES

# The series charted for every agency with two or more reports.
KEY_SERIES = (
    ("apply.new.total", "本年新收申请 applications received"),
    ("apply.total.total", "本年办理结果总计 applications handled"),
    ("art20.licensing.decisions", "行政许可处理决定 licensing decisions"),
)
MAX_CHARTED_AGENCIES = 50
# openpyxl keeps every comment of a workbook in memory until it is saved (about 8 kB each), so a
# large series comments only the cells a reader questions; the long sheet has every provenance.
MAX_COMMENTS = 20_000
QUESTIONED = ("exact", "approx", "summed", "missing")
CHART_ROWS = 18  # rows each chart occupies on the charts sheet
BREAK_FILL = PatternFill("solid", fgColor="FFC7CE")
AGENCY_FILL = PatternFill("solid", fgColor="BDD7EE")
AGENCY_FONT = Font(bold=True, size=12)
BREAK_BORDER = Border(left=BREAK_SIDE)
WIDE_HEADER = ("分组 group", "指标 indicator", "单位 unit", "编号 id")
LONG_HEADER = (
    "机构 agency",
    "年度 year",
    "格式 format",
    "编号 id",
    "表 table",
    "指标 indicator",
    "单位 unit",
    "数值 value",
    "状态 status",
    "关系 relation",
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


def write_series_workbook(series: Series, mappings: Mappings, path: str | Path) -> Path:
    """Write the series workbook at `path` (atomically); return the path."""
    writable_folder(Path(path))
    look = StatusLook(mappings)
    workbook = new_workbook(write_only=True)
    taken: set[str] = set()
    sheets = {key: workbook.create_sheet(sheet_name(title, taken)) for key, title in SHEETS.items()}
    commented = _comment_policy(series, mappings)
    wide_parts = _wide(sheets["wide"], workbook, taken, series, mappings, look, commented, StyleCache())
    parts = _long(sheets["long"], workbook, series, mappings, taken)
    unmapped_values = sum(len(r.unmapped) for r in series.reports())
    _unmapped(sheets["unmapped"], series, with_comments=unmapped_values <= MAX_COMMENTS // 4)
    _rules(sheets["rules"], series)
    _sources(sheets["sources"], series)
    _findings(sheets["findings"], series)
    _charts(sheets["charts"], series)
    _legend(sheets["legend"], look, mappings, wide_parts, parts, commented)
    return save(workbook, path)


def _header(ws, titles, widths=None, *, freeze: str = "A2", fit: bool = False) -> None:
    """Widths, frozen panes and page setup first: a streamed sheet writes them with its first row."""
    for index in range(1, len(titles) + 1):
        width = (widths or {}).get(index, 16)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = freeze
    if fit:
        _fit_width(ws)
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


def _wide(
    ws,
    workbook,
    taken: set[str],
    series: Series,
    mappings: Mappings,
    look: StatusLook,
    commented: tuple[str, ...],
    styles: StyleCache,
) -> list[str]:
    """A block per agency; an agency's block is never cut: past Excel's row limit the next blocks go
    on in further sheets."""
    widths = {1: 30, 2: 46, 3: 6, 4: 30}
    for index in range(len(WIDE_HEADER) + 1, len(WIDE_HEADER) + len(series.slots) + 1):
        widths[index] = 12
    header = WIDE_HEADER + tuple(s.title for s in series.slots)
    _header(ws, header, widths, freeze="E2", fit=True)
    cells_by_table = {t: [c for c in mappings.schema.values() if c.table == t] for t in TABLE_TITLES}
    block = 3 + len(TABLE_TITLES) + len(mappings.schema) + 1
    parts, rows = [ws.title], 1
    for agency in series.agencies:
        if rows + block > MAX_SHEET_ROWS:
            ws = workbook.create_sheet(sheet_name(f"{SHEETS['wide']} {len(parts) + 1}", taken))
            _header(ws, header, widths, freeze="E2", fit=True)
            parts.append(ws.title)
            rows = 1
        rows += block
        reports = [agency.columns.get(slot) for slot in series.slots]
        breaks = [agency.breaks.get(slot) for slot in series.slots]
        others = [n for n in agency.names if n != agency.name]
        ws.append(
            [
                streamed(ws, agency.name, font=AGENCY_FONT, fill=AGENCY_FILL),
                streamed(ws, f"其他写法 also printed as: {'、'.join(others)}" if others else None),
            ]
        )
        ws.append(
            [None, streamed(ws, "格式 format", font=BOLD), None, None]
            + [_format_cell(ws, report, brk) for report, brk in zip(reports, breaks)]
        )
        ws.append(
            [None, streamed(ws, "文件 file", font=BOLD), None, None]
            + [_edge(ws, Path(report.path).name if report else None, brk) for report, brk in zip(reports, breaks)]
        )
        for table, title in TABLE_TITLES.items():
            ws.append([streamed(ws, title, font=BOLD)] + [None] * 3 + [_edge(ws, None, brk) for brk in breaks])
            for cell in cells_by_table[table]:
                label = " · ".join(p for p in (cell.row_label, cell.column_label) if p)
                row = [cell.group, label, cell.unit, cell.id]
                ws.append(
                    [streamed(ws, v) for v in row]
                    + [
                        _value_cell(ws, report, cell.id, brk, look, commented, styles)
                        for report, brk in zip(reports, breaks)
                    ]
                )
        ws.append([])
    return parts


def _fit_width(ws) -> None:
    """Printed, a sheet comes out one page wide (landscape), pages running down."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _format_cell(ws, report: Report | None, brk):
    if report is None:
        return _edge(ws, "无报告 no report", brk)
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
    style = {"fill": look.fills[obs.status], **({"border": BREAK_BORDER} if brk else {})}
    cell = styles.cell(ws, obs.value, (obs.status, bool(brk)), **style)
    if obs.status in commented:
        cell.comment = comment(provenance_text(obs, look, Path(report.path).name))
    return cell


# --- long table -----------------------------------------------------------------------------------


def _long(ws, workbook, series: Series, mappings: Mappings, taken: set[str]) -> list[str]:
    """One row per value; past Excel's row limit the table goes on in further sheets (never cut)."""
    widths = {1: 24, 4: 34, 6: 40, 11: 40, 12: 30, 14: 40}
    _header(ws, LONG_HEADER, widths)
    parts, rows = [ws.title], 1
    for row in long_rows(series, mappings):
        if rows == MAX_SHEET_ROWS:
            ws = workbook.create_sheet(sheet_name(f"{SHEETS['long']} {len(parts) + 1}", taken))
            _header(ws, LONG_HEADER, widths)
            parts.append(ws.title)
            rows = 1
        ws.append(plain_row(ws, row))
        rows += 1
    return parts


# --- unmapped fields per year ---------------------------------------------------------------------

UNMAPPED_FIELDS = ("机构 agency", "栏目 section", "标签 printed label", "列 column", "单位 unit", "原因 reason")


def _unmapped(ws, series: Series, with_comments: bool = True) -> None:
    """Per agency, each unmapped field once, its value in each year's column: what the old formats held."""
    _header(ws, UNMAPPED_FIELDS + tuple(s.title for s in series.slots), {1: 24, 2: 30, 3: 40, 6: 50}, freeze="G2")
    for agency in series.agencies:
        fields: dict[tuple, dict[Slot, tuple]] = {}
        for slot in series.slots:
            report = agency.columns.get(slot)
            for entry in report.unmapped if report else ():
                key = (entry["section"], entry["label"], entry["column"], entry["unit"])
                fields.setdefault(key, {"reason": entry["reason"]})[slot] = (entry, report)
        for (section, label, column, unit), by_slot in fields.items():
            row = [streamed(ws, v) for v in (agency.name, section, label, column, unit, by_slot["reason"])]
            for slot in series.slots:
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
                values = plain_row(ws, _report_prefix(agency.name, report) + list(row))
                result = values[result_column]
                values[result_column] = styles.cell(ws, result, result, fill=fills[result])
                ws.append(values)


SOURCE_HEADER = (
    (
        "机构 agency",
        "原文机构名 agency as printed",
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
    _header(ws, SOURCE_HEADER, {1: 24, 2: 24, 6: 50, 7: 66})
    for agency in series.agencies:
        for slot in sorted(agency.columns, key=Slot.sort_key):
            report = agency.columns[slot]
            counts = report.status_counts()
            row = [
                agency.name,
                report.agency,
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


def _findings(ws, series: Series) -> None:
    _header(ws, REPORT_COLUMNS + FINDING_HEADER, {1: 24, 3: 40, 4: 22, 7: 100})
    for agency in series.agencies:
        for report in agency.reports():
            for finding in report.findings:
                ws.append([streamed(ws, v) for v in _report_prefix(agency.name, report) + list(finding_row(finding))])
    for report, finding in series.findings:
        prefix = [report.agency, report.year, str(report.path)] if report else ["", None, ""]
        ws.append([streamed(ws, v) for v in prefix + list(finding_row(finding))])


# --- charts ---------------------------------------------------------------------------------------


def _charts(ws, series: Series) -> None:
    """For each agency with two or more reports: a small table of the key series and a line chart."""
    for letter in "ABCD":
        ws.column_dimensions[letter].width = 22
    charted = [a for a in series.agencies if len(a.columns) >= 2]
    lines = [[streamed(ws, "关键指标折线图 Line charts of key series (agencies with two or more reports)", font=BOLD)]]
    if len(charted) > MAX_CHARTED_AGENCIES:
        lines.append(
            [
                streamed(
                    ws,
                    f"仅前 {MAX_CHARTED_AGENCIES} 个机构 Only the first {MAX_CHARTED_AGENCIES} of "
                    f"{len(charted)} agencies are charted; the wide and long sheets hold all of them",
                )
            ]
        )
    for line in lines:
        ws.append(line)
    row = len(lines) + 2  # the row where the next agency's block starts (one blank row first)
    for agency in charted[:MAX_CHARTED_AGENCIES]:
        ws.append([])
        slots = sorted(agency.columns, key=Slot.sort_key)
        ws.append([streamed(ws, agency.name, font=BOLD)])
        ws.append([streamed(ws, t, font=BOLD, fill=HEADER_FILL) for t in ("年度 year", *(t for _, t in KEY_SERIES))])
        for slot in slots:
            report = agency.columns[slot]
            ws.append([slot.title] + [json_number(report.observations[i].value) for i, _ in KEY_SERIES])
        ws.add_chart(_line_chart(ws, agency.name, header_row=row + 1, count=len(slots)), f"F{row}")
        used = 2 + len(slots)
        for _ in range(CHART_ROWS - used):
            ws.append([])
        row += 1 + max(CHART_ROWS, used)


def _line_chart(ws, title: str, *, header_row: int, count: int) -> LineChart:
    chart = LineChart()
    chart.title = clean_text(title)  # a chart title is XML text too: no control characters
    chart.y_axis.title = "件 count"
    chart.x_axis.title = "年度 year"
    chart.height, chart.width = 7.5, 16
    chart.display_blanks = "gap"  # a year without a value is a gap, never a drop to 0
    data = Reference(ws, min_col=2, max_col=1 + len(KEY_SERIES), min_row=header_row, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count))
    return chart


# --- legend ---------------------------------------------------------------------------------------


def _parts_note(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return "、".join(parts) + (
        "（超过 Excel 行数上限，已分成多张工作表，没有截断）/ past Excel's row limit, continued in "
        "further sheets, nothing cut"
    )


def _comment_note(commented: tuple[str, ...]) -> str:
    if commented == STATUSES:
        return (
            "每个数值单元格的批注写明状态、原表标签、行号、映射关系和说明 / Each value's comment gives its status, "
            "printed label, line, relation and note"
        )
    if commented:
        return (
            f"数值较多，只有状态为 {'、'.join(commented)} 的单元格带批注；每个数值的出处见“长表” / A large series: only "
            f"cells with status {', '.join(commented)} carry a comment; the long sheet gives every value's provenance"
        )
    return (
        "数值太多，单元格不带批注；每个数值的出处见“长表” / Too many values for comments; the long sheet gives every "
        "value's provenance"
    )


def _legend(
    ws, look: StatusLook, mappings: Mappings, wide_parts: list[str], long_parts: list[str], commented: tuple[str, ...]
) -> None:
    for letter, width in zip("ABCDEF", (16, 14, 24, 12, 44, 70)):
        ws.column_dimensions[letter].width = width
    ws.append([streamed(ws, h, font=BOLD, fill=HEADER_FILL) for h in LEGEND_HEADER])
    for row in legend_rows(look):
        ws.append([streamed(ws, v, **({"fill": look.fills[row[0]]} if i == 3 else {})) for i, v in enumerate(row)])
    ws.append([])
    ws.append(
        [
            streamed(ws, "break", font=BOLD),
            "格式变化",
            "format break",
            streamed(ws, None, fill=BREAK_FILL, border=BREAK_BORDER),
            "红色粗竖线：从这一年起报告格式不同（旧表→2019→2021），前后数值口径可能不可比",
            "Thick red line: from this year on the report format differs (legacy → 2019 → 2021); values "
            "before and after may not be comparable",
        ]
    )
    ws.append(["", "无报告", "no report", "", "该年没有这个机构的报告", "No report of this agency for that year"])
    ws.append([])
    notes = [
        ("工具版本 xxgk version", __version__),
        ("映射表版本 mapping tables version", mappings.version),
        ("宽表 wide view", _parts_note(wide_parts)),
        ("长表 long table", _parts_note(long_parts)),
        ("批注 comments", _comment_note(commented)),
        (
            "未映射 Unmapped",
            "值的批注写明原表行号和文件；数值很多时省略，可用 xxgk audit 列出 / Comments give each value's "
            "line and file; left out in a large series, where xxgk audit lists them",
        ),
    ]
    for item, text in notes:
        ws.append([streamed(ws, item, font=BOLD), None, streamed(ws, text)])
