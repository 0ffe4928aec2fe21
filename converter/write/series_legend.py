"""The series workbook's legend sheet: statuses, colours and marks, the format break, the narrative block,
and notes on how the workbook was made (versions, parts, comments)."""

from __future__ import annotations

from openpyxl.styles import Border, PatternFill

from .._version import __version__
from ..mapping import Mappings
from ..model import STATUSES
from .excel import BOLD, BREAK_SIDE, HEADER_FILL, StatusLook, print_setup, streamed
from .listings import HONESTY_NOTES, LEGEND_HEADER, MARK_NOTE, legend_cells, legend_rows
from .series_charts import NO_REPORT
from .series_narrative import legend_row as narrative_legend_row

BREAK_FILL = PatternFill("solid", fgColor="FFC7CE")
BREAK_BORDER = Border(left=BREAK_SIDE)


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


def write_legend(
    ws, look: StatusLook, mappings: Mappings, wide_parts: list[str], long_parts: list[str], commented: tuple[str, ...]
) -> None:
    for letter, width in zip("ABCDEFG", (16, 14, 24, 12, 12, 44, 70)):
        ws.column_dimensions[letter].width = width
    print_setup(ws)
    ws.append([streamed(ws, h, font=BOLD, fill=HEADER_FILL) for h in LEGEND_HEADER])
    for row in legend_rows(look):
        ws.append(legend_cells(ws, row, look))
    ws.append(narrative_legend_row(ws))
    ws.append([])
    ws.append(
        [
            streamed(ws, "break", font=BOLD),
            "格式变化",
            "format break",
            streamed(ws, None, fill=BREAK_FILL, border=BREAK_BORDER),
            streamed(ws, "◀ 格式变化", fill=BREAK_FILL, border=BREAK_BORDER),
            "红色粗竖线，“格式”行写明“◀ 格式变化”：从这一年起报告格式不同（旧表→2019→2021），前后数值口径可能不可比",
            "Thick red line, and '◀ 格式变化 break' in the format row: from this year on the report format differs "
            "(legacy → 2019 → 2021); values before and after may not be comparable",
        ]
    )
    ws.append(
        [
            "",
            "无报告",
            "no report",
            "",
            NO_REPORT,
            "该年没有这个机构的报告（首末年份之间的每一年都有一列）",
            "No report of this agency for that year (every year between the first and the last has a column)",
        ]
    )
    ws.append([])
    ws.append([streamed(ws, "标记 mark", font=BOLD), None, streamed(ws, MARK_NOTE)])
    ws.append(
        [
            streamed(ws, "顺序 order", font=BOLD),
            None,
            streamed(
                ws,
                "机构按拼音排序；每行都写明机构，可按机构筛选 / Agencies in pinyin order; every row names its "
                "agency, so a filter on it keeps an agency's rows whole",
            ),
        ]
    )
    notes = [
        ("工具版本 xxgk version", __version__),
        ("映射表版本 mapping tables version", mappings.version),
        ("宽表 wide view", _parts_note(wide_parts)),
        ("长表 long table", _parts_note(long_parts)),
        ("批注 comments", _comment_note(commented)),
        *HONESTY_NOTES,
        (
            "未映射 Unmapped",
            "值的批注写明原表行号和文件；数值很多时省略，可用 xxgk audit 列出 / Comments give each value's "
            "line and file; left out in a large series, where xxgk audit lists them",
        ),
    ]
    for item, text in notes:
        ws.append([streamed(ws, item, font=BOLD), None, streamed(ws, text)])
