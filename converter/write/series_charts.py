"""The series workbook's Charts sheet: for each agency with two or more reports, a small table of the
charted series (mappings/layout.csv) and a line chart of it."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference

from ..corpus.series import Series, Slot
from ..model import json_number
from .excel import BOLD, HEADER_FILL, clean_text, streamed

# The series charted for every agency with two or more reports: mappings/layout.csv (Mappings.official).
MAX_CHARTED_AGENCIES = 50
CHART_ROWS = 18  # rows each chart occupies on the charts sheet


def write_charts(ws, series: Series, key_series: tuple[tuple[str, str], ...]) -> None:
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
        ws.append([streamed(ws, t, font=BOLD, fill=HEADER_FILL) for t in ("年度 year", *(t for _, t in key_series))])
        for slot in slots:
            report = agency.columns[slot]
            ws.append([slot.title] + [json_number(report.observations[i].value) for i, _ in key_series])
        chart = _line_chart(ws, agency.name, header_row=row + 1, count=len(slots), series_count=len(key_series))
        ws.add_chart(chart, f"F{row}")
        used = 2 + len(slots)
        for _ in range(CHART_ROWS - used):
            ws.append([])
        row += 1 + max(CHART_ROWS, used)


def _line_chart(ws, title: str, *, header_row: int, count: int, series_count: int) -> LineChart:
    chart = LineChart()
    chart.title = clean_text(title)  # a chart title is XML text too: no control characters
    chart.y_axis.title = "件 count"
    chart.x_axis.title = "年度 year"
    chart.height, chart.width = 7.5, 16
    chart.display_blanks = "gap"  # a year without a value is a gap, never a drop to 0
    data = Reference(ws, min_col=2, max_col=1 + series_count, min_row=header_row, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count))
    return chart
