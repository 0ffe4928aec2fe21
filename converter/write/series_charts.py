"""The charts sheet of the series workbook: per agency with two or more reports, a small table of its
key series, one row per year from its first report to its last (a year without a report is a row
with no values, so the lines show a gap there, never a drop to 0), and straight-line charts of it.

Series of very different size do not share an axis: applications (tens) and licensing decisions
(thousands) get a chart each, so that neither flattens the other.
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.utils import get_column_letter

from ..corpus.series import AgencySeries, Series, Slot
from ..model import json_number
from .excel import BOLD, HEADER_FILL, clean_text, print_setup, streamed

MAX_CHARTED_AGENCIES = 50
CHART_ROWS = 18  # rows each agency's charts occupy on the sheet
CHART_FIRST_COLUMN, CHART_SPAN = 6, 9  # an agency's charts start in column F, one every 9 columns
NO_REPORT = "无报告 no report"


def key_charts(charted: tuple[tuple[str, str, str], ...]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The charted series (mappings/layout.csv) grouped by chart, in the table's order."""
    charts: dict[str, list[tuple[str, str]]] = {}
    for cell_id, title, chart in charted:
        charts.setdefault(chart or title, []).append((cell_id, title))
    return list(charts.items())


def write_charts(ws, series: Series, charted: tuple[tuple[str, str, str], ...]) -> None:
    """For each agency with two or more reports: its table of key series and one chart per chart title."""
    key_charts_ = key_charts(charted)
    key_series = [item for _, items in key_charts_ for item in items]
    for letter, width in zip("ABCD", (22, 22, 22, 22)):
        ws.column_dimensions[letter].width = width
    print_setup(ws, title_rows=None)
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
        slots = chart_slots(agency)
        ws.append([streamed(ws, agency.name, font=BOLD)])
        ws.append([streamed(ws, t, font=BOLD, fill=HEADER_FILL) for t in ("年度 year", *(t for _, t in key_series))])
        for slot in slots:
            report = agency.columns.get(slot)
            values = [json_number(report.observations[i].value) if report else None for i, _ in key_series]
            ws.append([slot.title if report else f"{slot.title} {NO_REPORT}"] + values)
        column = 2
        for index, (title, items) in enumerate(key_charts_):
            anchor = get_column_letter(CHART_FIRST_COLUMN + CHART_SPAN * index)
            chart = _line_chart(f"{agency.name} {title}")
            chart_data(ws, chart, first_column=column, columns=len(items), header_row=row + 1, count=len(slots))
            ws.add_chart(chart, f"{anchor}{row}")
            column += len(items)
        used = 2 + len(slots)
        for _ in range(CHART_ROWS - used):
            ws.append([])
        row += 1 + max(CHART_ROWS, used)


def chart_slots(agency: AgencySeries) -> list[Slot]:
    """The agency's columns, and a slot for each year between its first and last report that has none."""
    return years_between(agency.columns)


def years_between(slots) -> list[Slot]:
    """`slots` and a slot for every year between the first and the last that has none, in order (a
    span of more than 60 years is a misread year, not a gap to fill)."""
    filled = set(slots)
    years = [s.year for s in filled if s.year is not None]
    if years and max(years) - min(years) <= 60:
        filled |= {Slot(year) for year in range(min(years), max(years) + 1)}
    return sorted(filled, key=Slot.sort_key)


def _line_chart(title: str) -> LineChart:
    chart = LineChart()
    chart.title = clean_text(title)  # a chart title is XML text too: no control characters
    chart.y_axis.title = "件 count"
    chart.x_axis.title = "年度 year"
    chart.height, chart.width = 7.5, 15
    chart.display_blanks = "gap"  # a year without a value is a gap, never a drop to 0
    chart.smooth = False
    return chart


def chart_data(ws, chart: LineChart, *, first_column: int, columns: int, header_row: int, count: int) -> None:
    """The chart's series: straight lines between the points (a smoothed line overshoots, even below 0),
    each point marked so that a year standing alone between gaps is seen."""
    data = Reference(
        ws, min_col=first_column, max_col=first_column + columns - 1, min_row=header_row, max_row=header_row + count
    )
    chart.add_data(data, titles_from_data=True)
    years = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count)
    for line in chart.series:
        line.cat = AxDataSource(strRef=StrRef(f=str(years)))  # year titles are text ("2020 无报告 no report")
        line.smooth = False
        line.marker.symbol = "circle"
