"""The supplementary block of the series' wide view: figures from the reports' prose (文字部分数据), one row
per narrative indicator, below an agency's 2021 cells, and its legend entry.

The headline indicator (主动公开政府信息数) has a table row in the legacy formats only; after 2019 it is
printed in the prose alone. The block runs it through the format change: the legacy table's row where the
table has one (status exact), else the prose (status narrative, its own colour).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Border, PatternFill

from ..corpus.series import narrative_note, narrative_values
from ..mapping import Mappings
from ..model import STATUSES, NarrativeFigure, Report
from .excel import BREAK_SIDE, StatusLook, StyleCache, clean_text, comment, plain_row, streamed

NARRATIVE_STATUS = "narrative"
NARRATIVE_FILL = "C9F0EE"  # pale teal: apart from every status colour of statuses.csv and the break pink
BLOCK_TITLE = "文字部分数据 narrative figures"
GROUP = "文字部分 narrative"
BREAK_BORDER = Border(left=BREAK_SIDE)
_FILL = PatternFill("solid", fgColor=NARRATIVE_FILL)
LEGEND_ROW = (
    NARRATIVE_STATUS,
    "文字部分数据",
    "narrative figure",
    "从报告正文（表格以外的段落）的句子中读出的数字，如“主动公开政府信息2258条”；不是表格数值，批注写明句子、行号和匹配的短语，"
    "与表格同一指标不一致时另有提示",
    "A figure read from a sentence of the report's prose (outside the tables), e.g. 主动公开政府信息2258条; not a "
    "table cell. The comment gives the sentence, line and phrasing; a finding says where it differs from the table",
)


def block_rows(mappings: Mappings) -> int:
    """The most rows the block can take (one row per indicator)."""
    return len(mappings.narrative.indicators)


def narrative_block(
    ws,
    agency,
    slots: list,
    mappings: Mappings,
    look: StatusLook,
    commented: tuple[str, ...],
    styles: StyleCache,
) -> list[list]:
    """The block's rows for ws.append, in the wide view's shape: each names its agency (so that a filter
    keeps an agency whole), then the values by year column, then id, block title and agency key. Only
    indicators some report of the agency gives are shown; no row at all when none is."""
    reports = [agency.columns.get(slot) for slot in slots]
    breaks = [agency.breaks.get(slot) for slot in slots]
    values = [{f.id: f for f in narrative_values(r)} if r is not None else {} for r in reports]
    rows = []
    for indicator in mappings.narrative.indicators.values():
        if not any(indicator.id in v for v in values):
            continue
        row = plain_row(ws, [agency.name, GROUP, indicator.label, indicator.unit])
        for report, by_id, brk in zip(reports, values, breaks):
            figure = by_id.get(indicator.id)
            row.append(_edge(ws, brk) if figure is None else _value(ws, report, figure, look, commented, styles, brk))
        rows.append(row + plain_row(ws, [indicator.id, BLOCK_TITLE, agency.key]))
    return rows


def _edge(ws, brk):
    """An empty cell of a break column keeps the thick red line running down the block."""
    return streamed(ws, None, border=BREAK_BORDER) if brk else None


def _value(ws, report: Report, figure: NarrativeFigure, look, commented, styles: StyleCache, brk):
    fill = look.fills.get(figure.status) or _FILL
    style = {
        "fill": fill,
        "number_format": look.number_format(figure.status),
        **({"border": BREAK_BORDER} if brk else {}),
    }
    cell = styles.cell(ws, figure.value, ("narrative", figure.status, bool(brk)), **style)
    if figure.status in commented or (figure.status == NARRATIVE_STATUS and commented == STATUSES):
        cell.comment = comment(_comment_text(report, figure, look))
    return cell


def _comment_text(report: Report, figure: NarrativeFigure, look: StatusLook) -> str:
    name = look.name(figure.status) if figure.status in look.styles else "文字部分数据 narrative figure"
    lines = [f"编号 id: {figure.id}", f"状态 status: {name} ({figure.status})"]
    if figure.sentence:
        lines.append(f"句子 sentence: 「{figure.sentence}」, 第{figure.line}行 line {figure.line}")
    lines.append(f"说明 note: {narrative_note(report, figure)}")
    lines.append(f"文件 file: {Path(report.path).name}")
    return clean_text("\n".join(lines))


def legend_row(ws) -> list:
    """The block's legend entry, in the legend's columns (status, names, colour, mark, meanings)."""
    return [
        streamed(ws, v, **({"fill": _FILL} if i == 3 else {}))
        for i, v in enumerate(LEGEND_ROW[:3] + ("", "") + LEGEND_ROW[3:])
    ]
