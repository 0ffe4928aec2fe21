"""The columns of every listing the workbooks show (values, unmapped fields, sum rules, findings,
legend), decided once so the report workbook and the series workbook say the same thing.

Each `*_row` returns plain values; the writers add the agency/year/file columns of a series and
the colours.
"""

from __future__ import annotations

from ..mapping import SchemaCell
from ..mapping_rules import in_chinese
from ..model import Finding, Observation, RuleCheck, json_number
from .excel import BLANK_MARKS, StatusLook, streamed

VALUE_HEADER = (
    "编号 id",
    "表 table",
    "指标 indicator (2021)",
    "单位 unit",
    "数值 value",
    "状态 status",
    "状态说明 status name",
    "关系 relation",
    "原表标签 printed label",
    "原表行 line",
    "说明 note",
)
VALUE_COLUMN = VALUE_HEADER.index("数值 value")
STATUS_COLUMN = VALUE_HEADER.index("状态 status")

UNMAPPED_HEADER = (
    "标签 printed label",
    "栏目 section",
    "列 column",
    "单位 unit",
    "原文 as printed",
    "数值 value",
    "原表行 line",
    "原因 reason",
    "建议 suggestion",
    "来源编号 source id",
)

RULE_HEADER = (
    "适用于 checked on",
    "规则 rule",
    "左边 left side",
    "右边 right side",
    "左值 left value",
    "右值 right value",
    "差额 difference",
    "结果 result",
    "缺少 missing",
)
RULE_RESULT_COLUMN = RULE_HEADER.index("结果 result")
RULE_FILLS = {"passed": "E2EFDA", "failed": "F8CBAD", "incomplete": "D9D9D9"}

FINDING_HEADER = ("代码 code", "原表行 line", "编号 id", "说明 message")

LEGEND_HEADER = ("状态 status", "中文 Chinese", "English", "颜色 colour", "标记 mark", "含义", "meaning")
LEGEND_COLOUR_COLUMN = LEGEND_HEADER.index("颜色 colour")
LEGEND_MARK_COLUMN = LEGEND_HEADER.index("标记 mark")
MARK_NOTE = (
    "标记 mark：不看颜色也能分辨状态（黑白打印、色觉障碍）：数值后的符号（单元格里仍是原数，可计算），"
    "没有数值时的文字（不是0） / tells the status without colour (greyscale print, colour-blind readers): a sign "
    "after the number (the cell still holds the plain number), a text where there is no value (never 0)"
)


def value_row(obs: Observation, cell: SchemaCell, look: StatusLook) -> tuple:
    return (
        obs.id,
        cell.table,
        cell.label,
        cell.unit,
        json_number(obs.value),
        obs.status,
        look.name(obs.status),
        obs.relation,
        obs.label,
        obs.line,
        obs.note,
    )


def unmapped_row(entry: dict, messages: dict | None = None) -> tuple:
    return (
        entry["label"],
        entry["section"],
        entry["column"],
        entry["unit"],
        entry["raw"],
        json_number(entry["value"]),
        entry["line"],
        in_chinese(entry["reason"], "", messages),
        entry["suggestion"],
        entry["key"],
    )


def rule_row(check: RuleCheck, checked_on: str) -> tuple:
    return (
        checked_on,
        check.rule,
        " + ".join(check.left),
        " + ".join(check.right),
        json_number(check.left_value),
        json_number(check.right_value),
        json_number(check.difference),
        check.status,
        ", ".join(check.missing),
    )


CROSS_YEAR = "跨年 across years"
# Legend lines of the series workbook on what a mapping relation and a check across years say.
HONESTY_NOTES = (
    (
        "口径与组合 meaning, combination",
        "映射关系写两项：口径 exact 相同 / approx 不同；组合 single 一个字段 / summed 多个字段相加 / aggregate "
        "一个字段放入小计。任一来源口径不同即为近似映射 / A mapping says whether the meaning is the same and how "
        "many fields make the cell; any approximate field makes the cell approx",
    ),
    (
        "跨年核对 across years",
        "勾稽关系表中“跨年”行把每份报告与上一年的报告核对（上年结转、现行有效件数、历年累计）；缺年或重复报告记为无法核对 "
        "/ Rules rows checked on 'across years' hold each report against the year before; a gap year or a "
        "duplicate report makes the check incomplete",
    ),
)


def crossyear_row(check) -> tuple:
    """A check across years (corpus.crossyear.CrossCheck) in the columns of RULE_HEADER; each side names its year."""
    return (
        CROSS_YEAR,
        check.rule,
        " + ".join(check.left),
        " ".join(check.right),
        json_number(check.left_value),
        json_number(check.right_value),
        json_number(check.difference),
        check.status,
        check.reason,
    )


def finding_row(finding: Finding, messages: dict | None = None) -> tuple:
    return (finding.code, finding.line, finding.id, in_chinese(finding.message, finding.code, messages))


def legend_rows(look: StatusLook) -> list[tuple]:
    return [
        (
            s.status,
            s.name_zh,
            s.name_en,
            "",
            BLANK_MARKS.get(s.status, 12),
            s.meaning_zh,
            s.meaning_en,
        )
        for s in look.styles.values()
    ]


def legend_cells(ws, row: tuple, look: StatusLook) -> list:
    """A legend row as cells: the colour swatch filled, the mark shown as the value cells show it."""
    status = row[0]
    styles = {
        LEGEND_COLOUR_COLUMN: {"fill": look.fills[status]},
        LEGEND_MARK_COLUMN: {"fill": look.fills[status], "number_format": look.number_format(status)},
    }
    return [streamed(ws, v, **styles.get(i, {})) for i, v in enumerate(row)]
