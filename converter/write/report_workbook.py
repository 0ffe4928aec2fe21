"""One report -> one workbook: the three 2021 tables laid out as in the official format, every cell
coloured by status with its provenance in a comment, and sheets for all values, unmapped fields,
sum rules, findings, the source and the legend.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from .._version import __version__
from ..catalogue import OfficialLayout
from ..mapping import Mappings, SchemaCell
from ..model import Report, json_number
from .cell_sheet import create_cell_sheet
from .excel import (
    BOLD,
    CENTER,
    GRID,
    HEADER_FILL,
    RIGHT,
    TITLE_FONT,
    WRAP,
    StatusLook,
    comment,
    new_workbook,
    print_setup,
    provenance_text,
    put,
    save,
    sheet_name,
    streamed,
    writable_folder,
)
from .listings import (
    FINDING_HEADER,
    LEGEND_HEADER,
    MARK_NOTE,
    RULE_FILLS,
    RULE_HEADER,
    RULE_RESULT_COLUMN,
    STATUS_COLUMN,
    UNMAPPED_HEADER,
    VALUE_COLUMN,
    VALUE_HEADER,
    finding_row,
    legend_cells,
    legend_rows,
    rule_row,
    unmapped_row,
    value_row,
)

# The official layout's titles and header texts are data: mappings/layout.csv (Mappings.official).
SOURCE_CHECKS = "原格式 source format"
SCHEMA_CHECKS = "2021格式 2021 schema"
# Column widths of the listings, by a word of the column title (others are 14 wide).
LISTING_WIDTHS = {
    "message": 100,
    "indicator": 60,
    "note": 60,
    "reason": 50,
    "label": 40,
    "section": 30,
    "id": 36,
    "side": 40,
    "value": 12,
    "item": 30,
    "file": 40,
    "details": 80,
}
RULE_RESULT_FILLS = {result: PatternFill("solid", fgColor=colour) for result, colour in RULE_FILLS.items()}
SHEETS = (
    "2021格式 Tables",
    "全部数值 Values",
    "未映射 Unmapped",
    "勾稽关系 Rules",
    "提示 Findings",
    "来源 Source",
    "图例 Legend",
)


def write_report_workbook(report: Report, mappings: Mappings, path: str | Path) -> Path:
    """Write `report` as a workbook at `path` (atomically); return the path."""
    writable_folder(Path(path))
    look = StatusLook(mappings)
    workbook = new_workbook()
    taken: set[str] = set()
    sheets = {name: create_cell_sheet(workbook, sheet_name(name, taken)) for name in SHEETS}
    _tables_sheet(sheets[SHEETS[0]], report, mappings, look)
    _listing(
        sheets[SHEETS[1]],
        VALUE_HEADER,
        _value_rows(report, mappings, look),
        lambda row: look.fills[row[STATUS_COLUMN]],
        (VALUE_COLUMN, STATUS_COLUMN),
    )
    _listing(sheets[SHEETS[2]], UNMAPPED_HEADER, [unmapped_row(u, mappings.messages) for u in report.unmapped])
    rules = [rule_row(c, SOURCE_CHECKS) for c in report.source_checks] + [
        rule_row(c, SCHEMA_CHECKS) for c in report.checks
    ]
    _listing(
        sheets[SHEETS[3]],
        RULE_HEADER,
        rules,
        lambda row: RULE_RESULT_FILLS[row[RULE_RESULT_COLUMN]],
        (RULE_RESULT_COLUMN,),
    )
    _listing(sheets[SHEETS[4]], FINDING_HEADER, [finding_row(f, mappings.messages) for f in report.findings])
    _listing(sheets[SHEETS[5]], ("项目 item", "内容 details"), source_rows(report, mappings))
    _legend(sheets[SHEETS[6]], look)
    return save(workbook, path)


def source_rows(report: Report, mappings: Mappings) -> list[tuple]:
    ledger = report.ledger
    return [
        ("文件 file", str(report.path)),
        ("SHA-256", report.sha256),
        ("机构 agency", report.agency or ""),
        ("原文机构名 agency as printed", report.agency_printed or ""),
        ("机构键 agency key", report.agency_key),
        ("年度 year", report.year),
        ("格式 format", report.format),
        ("编码 text encoding", report.encoding),
        ("工具版本 xxgk version", __version__),
        ("映射表版本 mapping tables version", mappings.version),
        ("表内数字 numbers in the tables", ledger.get("source_numbers")),
        ("已映射 mapped", ledger.get("mapped")),
        ("未映射 unmapped", ledger.get("unmapped")),
        ("对账 ledger balanced", "是 yes" if ledger.get("balanced") else "否 NO"),
    ]


def _value_rows(report: Report, mappings: Mappings, look: StatusLook) -> list[tuple]:
    return [value_row(obs, mappings.schema[obs.id], look) for obs in report.observations.values()]


def _listing(ws, header, rows, fill_of=None, coloured=()) -> None:
    """A header row (bold, frozen, filtered) then the rows; `fill_of(row)` colours columns `coloured`."""
    ws.append([streamed(ws, h, font=BOLD, fill=HEADER_FILL, alignment=WRAP) for h in header])
    for row in rows:
        fill = fill_of(row) if fill_of else None
        ws.append([streamed(ws, v, **({"fill": fill} if fill and i in coloured else {})) for i, v in enumerate(row)])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(ws.max_row, 1)}"
    print_setup(ws)
    for index, title in enumerate(header, start=1):
        width = next((w for word, w in LISTING_WIDTHS.items() if word in title), 14)
        ws.column_dimensions[get_column_letter(index)].width = width


def _legend(ws, look: StatusLook) -> None:
    ws.append([streamed(ws, h, font=BOLD, fill=HEADER_FILL) for h in LEGEND_HEADER])
    for row in legend_rows(look):
        ws.append(legend_cells(ws, row, look))
    ws.append([])
    ws.append([streamed(ws, MARK_NOTE)])
    for letter, width in zip("ABCDEFG", (16, 12, 22, 10, 12, 40, 60)):
        ws.column_dimensions[letter].width = width
    print_setup(ws)


# --- the official layout -------------------------------------------------------------------------


def _tables_sheet(ws, report: Report, mappings: Mappings, look: StatusLook) -> None:
    title = f"{report.agency or '（机构未识别）'} {report.year or '（年度未识别）'}年度 — 2021年格式（原格式 {report.format}）"
    put(ws, 1, 1, title, font=TITLE_FONT)
    put(
        ws,
        2,
        1,
        "单元格颜色和数值后的标记表示状态（见“图例 Legend”），批注说明来源。Cell colours and the mark after each "
        "value show the status (see Legend); comments say where each value came from.",
    )
    row = 4
    file_name = Path(report.path).name
    texts = mappings.official
    for table, writer in (("二", _table_two), ("三", _table_three), ("四", _table_four)):
        put(ws, row, 1, texts.table_titles[table], font=TITLE_FONT)
        derived = [c for c in mappings.derived() if c.table == table]
        row = writer(ws, row + 1, mappings.printed(table), derived, report, look, file_name, texts) + 2
    widths = {1: 16, 2: 18, 3: 60}
    for column in range(1, 16):
        ws.column_dimensions[get_column_letter(column)].width = widths.get(column, 11)
    # Printed on paper, the tables come out one page wide, as in the official format.
    print_setup(ws, title_rows=None)


def _table_two(
    ws, top: int, cells: list[SchemaCell], extra: list[SchemaCell], report, look, file_name, texts: OfficialLayout
) -> int:
    """Four sub-tables: caption, header, rows; a single-column sub-table's value spans the three columns."""
    row = top
    for group in dict.fromkeys(c.group for c in cells):
        members = [c for c in cells if c.group == group]
        columns = list(dict.fromkeys(c.column_label for c in members))
        span = 3 // len(columns)
        header = [texts.headers["table_two_row"]] + [label for label in columns for _ in range(span)]
        _grid(ws, row, 1, [[group] * 4, header])
        row += 2
        for label in dict.fromkeys(c.row_label for c in members):
            _grid(ws, row, 1, [[label]], header=False)
            for index, cell in enumerate(c for c in members if c.row_label == label):
                column = 2 + index * span
                _value(ws, row, column, report.observations[cell.id], look, file_name)
                if span > 1:
                    ws.merge(row, column, row, column + span - 1)
            row += 1
    return row - 1


def _table_three(
    ws, top: int, cells: list[SchemaCell], extra: list[SchemaCell], report, look, file_name, texts: OfficialLayout
) -> int:
    """Three label columns (levels merged) and the seven applicant columns under a three-level header.

    The schema's derived cells (法人或其他组织 小计, group 小计 rows) are not in the official table;
    they follow it as an extra column and extra rows, titled as such, so no value is hidden.
    """
    columns = list(dict.fromkeys(c.column_label for c in cells))
    extra_columns = [c for c in dict.fromkeys(c.column_label for c in extra) if c not in columns]
    # 自然人 first, 总计 last, the organisation columns between them (the official header).
    corner, applicants = texts.headers["table_three_corner"], texts.headers["table_three_applicants"]
    organisations = texts.headers["table_three_organisations"]
    header = [
        [corner] * 3 + [applicants] * len(columns) + extra_columns,
        [corner] * 3 + [columns[0]] + [organisations] * (len(columns) - 2) + [columns[-1]] + extra_columns,
        [corner] * 3 + columns + extra_columns,
    ]
    _grid(ws, top, 1, header)
    rows = list(dict.fromkeys((c.group, c.row_label) for c in cells))
    _grid(ws, top + 3, 1, [_levels(group, label) for group, label in rows], header=False)
    position = {(c.group, c.row_label, c.column_label): c.id for c in cells + extra}
    all_columns = columns + extra_columns
    row = _matrix_values(ws, top + 3, rows, all_columns, position, report, look, file_name)
    extra_rows = [r for r in dict.fromkeys((c.group, c.row_label) for c in extra) if r not in rows]
    if extra_rows:
        put(ws, row, 1, texts.derived_title, font=BOLD)
        _grid(ws, row + 1, 1, [[label] * 3 for _, label in extra_rows], header=False)
        row = _matrix_values(ws, row + 1, extra_rows, all_columns, position, report, look, file_name)
    return row - 1


def _matrix_values(ws, top, rows, columns, position, report, look, file_name) -> int:
    """Value cells of a row × column block, from column D on; return the row after the block."""
    for offset, (group, label) in enumerate(rows):
        for index, column in enumerate(columns):
            cell_id = position.get((group, label, column))
            if cell_id:
                _value(ws, top + offset, 4 + index, report.observations[cell_id], look, file_name)
    return top + len(rows)


def _levels(group: str, label: str) -> list[str]:
    """A row's label as three columns: one level fills all three, two levels share the last two."""
    parts = [p for p in group.split(" / ") if p] + [label]
    if len(parts) == 1:
        return parts * 3
    if len(parts) == 2:
        return [parts[0], parts[1], parts[1]]
    return parts[:3]


def _table_four(
    ws, top: int, cells: list[SchemaCell], extra: list[SchemaCell], report, look, file_name, texts: OfficialLayout
) -> int:
    """Fifteen columns under three header levels (行政复议 has two levels, so it spans two rows).

    The derived 行政诉讼 合计 cells follow as one row under the columns of the same outcome.
    """
    levels = []
    for cell in cells:
        parts = cell.group.split(" / ")
        levels.append((parts[0], parts[-1], cell.column_label))
    _grid(ws, top, 1, [list(level) for level in zip(*levels)])
    for index, cell in enumerate(cells):
        _value(ws, top + 3, 1 + index, report.observations[cell.id], look, file_name)
    if not extra:
        return top + 3
    put(ws, top + 5, 1, texts.derived_title, font=BOLD)
    groups = list(dict.fromkeys(c.group for c in extra))
    for offset, group in enumerate(groups):
        row = top + 6 + offset
        family = group.split(" / ")[0]
        # Under the first columns of the same family and outcome (合计 sits under 未经复议直接起诉).
        column_of = {
            c.column_label: i for i, c in reversed(list(enumerate(cells, start=1))) if c.group.startswith(family)
        }
        _grid(ws, row, 1, [[group.replace(" / ", " ")] * (min(column_of.values()) - 1)], header=False)
        for cell in (c for c in extra if c.group == group):
            _value(ws, row, column_of[cell.column_label], report.observations[cell.id], look, file_name)
    return top + 6 + len(groups) - 1


def _grid(ws, top: int, left: int, grid: list[list[str]], *, header: bool = True) -> None:
    """Write a block of labels; equal neighbouring texts become one merged cell (as the official tables print them)."""
    covered: set[tuple[int, int]] = set()
    style = {"font": BOLD, "fill": HEADER_FILL, "alignment": CENTER} if header else {"alignment": WRAP}
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            width = 1
            while c + width < len(row) and row[c + width] == text and (r, c + width) not in covered:
                width += 1
            height = 1
            while r + height < len(grid) and grid[r + height][c : c + width] == [text] * width:
                height += 1
            covered |= {(r + i, c + j) for i in range(height) for j in range(width)}
            for i in range(height):
                for j in range(width):
                    put(ws, top + r + i, left + c + j, text if (i, j) == (0, 0) else None, border=GRID, **style)
            if width > 1 or height > 1:
                ws.merge(top + r, left + c, top + r + height - 1, left + c + width - 1)


def _value(ws, row: int, column: int, obs, look: StatusLook, file_name: str) -> None:
    """A value cell: the number (blank when there is none — never 0), its status colour and its provenance."""
    value = look.shown(json_number(obs.value), obs.status)
    number_format = look.number_format(obs.status, "0.00####" if obs.id.startswith("art20.fees") else "General")
    style = {"fill": look.fills[obs.status], "border": GRID, "alignment": RIGHT, "number_format": number_format}
    ws.note(put(ws, row, column, value, **style), comment(provenance_text(obs, look, file_name)))
