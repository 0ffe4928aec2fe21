"""Write a report's tables again in another layout, script or encoding (for tests).

The rows come from the 2021 schema; the values are the tokens the original report printed.
"""

from __future__ import annotations

from converter.normalize import to_traditional
from converter.parse.template import build_template

HEADINGS = {
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
}
HEADERS = {
    "三": [
        ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ],
    "四": [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
    ],
}
PINYIN = {"務": "wù", "開": "kāi", "報": "bào", "計": "jì", "數": "shù", "請": "qǐng", "規": "guī", "關": "guān"}


def table_rows(report, mappings, table):
    """[(caption or None, header rows, [(label, [tokens])])] for one table."""
    template = build_template(table, mappings.printed(table), frozenset())
    rows, caption = [], None
    for row in template.rows:
        tokens = [report.observations[slot.key].sources[0].raw for slot in row.slots]
        if table == "二" and row.section != caption:
            caption = row.section
            header = ["信息内容"] + list(dict.fromkeys(s.column_label for s in row.slots))
            rows.append((caption, [header], []))
        elif not rows:
            rows.append((None, HEADERS[table], []))
        rows[-1][2].append((row.label, tokens))
    return rows


def render(report, mappings, layout: str, *, headings: bool = True) -> str:
    """The report's tables in `layout`; `headings=False` leaves out the section headings (an excerpt)."""
    if layout in ("flattened", "glued"):
        return _render_one_line(report, mappings, " " if layout == "flattened" else "", headings)
    lines = [f"{report.agency}{report.year}年政府信息公开工作年度报告", "一、总体情况", "本年度工作情况如下。"]
    for table in ("二", "三", "四"):
        if headings:
            lines.append(HEADINGS[table])
        for caption, headers, rows in table_rows(report, mappings, table):
            if caption:
                lines += _cells([caption], layout)
            for header in headers:
                lines += _cells(header, layout)
            for label, tokens in rows:
                lines += _cells(([label] if label else []) + tokens, layout, row=True)
    lines += ["五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


def _cells(cells: list[str], layout: str, row: bool = False) -> list[str]:
    if layout == "cell-per-line":
        return [f"{c} |" for c in cells] + ["||"]
    if layout == "blank-lines":
        return [line for c in cells for line in (c, "")]
    if layout == "pipes":
        return [" | ".join(cells) + " |"]
    if layout == "tabs":
        return ["\t" + "\t".join(cells) + "\t"]
    if layout == "spaces":
        return [" ".join(cells)] if row else ["\t".join(cells)]
    raise ValueError(layout)


def _render_one_line(report, mappings, joiner: str, headings: bool) -> str:
    """Each table on one line, as crawlers flatten them: cells joined by a space ("flattened", some labels
    spaced out: 规 章) or by nothing at all ("glued")."""
    lines = [f"{report.agency}{report.year}年政府信息公开工作年度报告", "一、总体情况", "本年度工作情况如下。"]
    for table in ("二", "三", "四"):
        cells = [HEADINGS[table]] if headings else []
        for caption, headers, rows in table_rows(report, mappings, table):
            cells += [caption] if caption else []
            cells += [cell for header in headers for cell in header]
            for label, tokens in rows:
                spaced = " ".join(label) if joiner and len(label) <= 3 else label  # 「规 章」
                cells += ([spaced] if label else []) + tokens
        lines.append(joiner.join(cells))
    lines += ["五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


def traditional_with_pinyin(text: str) -> str:
    converted = to_traditional(text)
    return "".join(c + f"({PINYIN[c]})" if c in PINYIN else c for c in converted)
