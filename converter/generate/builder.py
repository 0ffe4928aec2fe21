"""The blocks of one generated report -- title, narrative, headings and tables of rows -- in the
report's script with its noise, every printed value a Slot; and the damage a spec asks for (a broken
sum rule, wrapped rows, a text that stops inside a table)."""

from __future__ import annotations

import random
import re
from functools import lru_cache

from .draws import (
    _FULL_WIDTH,
    draw_article_20,
    draw_count,
    draw_legacy_values,
    draw_matrix,
    draw_outcomes,
    printed_token,
)
from .editions import Unknown, nested_values, renamed_rows
from .plan import Plan, legacy_column
from .spec import LEGACY_FORMS, Row, Slot, Spec, Table

_HEADINGS = {
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
}
_HEADING_FOUR_2019 = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
_LEGACY_FOOTNOTE = "注:各子栏目数总数要等于总栏目数量"
_PINYIN = {
    "務": "wù",
    "開": "kāi",
    "報": "bào",
    "計": "jì",
    "數": "shù",
    "請": "qǐng",
    "規": "guī",
    "關": "guān",
    "處": "chǔ",
    "總": "zǒng",
}
_DASHES = ("—", "-", "/", "无", "——", "－")
_NOTES = ("（注：含网上申请）", "(单位：件)", "（含转办）", "(统计口径见说明)")
_DOUBLED = re.compile(r"([、.:：，])")
_DIGITS = re.compile(r"(\d+)")
_FIGURE = re.compile(r"\d+\s*[条件期%]")


class Builder:
    """The blocks of one report (paragraphs and tables of rows), with every printed value as a Slot."""

    def __init__(self, plan: Plan, spec: Spec, rng: random.Random):
        self.plan, self.spec, self.rng = plan, spec, rng
        self.busy = rng.random() < 0.6  # an idle agency prints zeros almost everywhere
        self.agency_parts = spec.agency  # converted one by one: few distinct pieces
        self.year = spec.year
        self.tables: list[Table] = []
        self.cut: tuple[str, int, int] | None = None  # table, row index, values kept in that row
        self.marks = [m for m in ("dashes", "blanks") if m in spec.noise]
        if "pipe-blanks" in spec.noise and "blanks" not in self.marks:
            self.marks.append("blanks")  # an empty cell, written as 「|」 alone or an empty pipe piece
        self.start: tuple[str, int] | None = None  # the page starts inside this table, at this row
        self.changed: Slot | None = None  # the number changed so that a sum rule fails

    # the whole report

    def document(self) -> list:
        spec = self.spec
        title = self.title()
        narrative = _narrative(self.rng, self.year, spec.format)
        if spec.layout == "glued":  # the report's prose would witness between glued readings: left out
            narrative = [s for s in narrative if not _FIGURE.search(s)]
        blocks: list = [title, *narrative]
        if spec.format == "legacy":
            blocks += self.legacy_blocks()
        else:
            blocks += self.tables_blocks()
        if spec.broken_rule:
            self.break_a_rule()
        if spec.layout == "broken-rows":
            self.break_rows()
        if spec.layout == "glued":
            self.whole_before_glue()
        if "pipe-blanks" in spec.noise:
            self.leading_blanks()
        self.settle_blanks()
        if spec.truncated:
            blocks = self.truncate(blocks)
        if spec.starts_inside:
            blocks = self.start_inside(blocks)
        return [self.text(b) if type(b) is str else b for b in blocks]

    def agency(self, *, pinyin: bool = True) -> str:
        """The agency in the report's script (truth wants it as the parser shows it: without pinyin)."""
        script = self.spec.script if pinyin or self.spec.script == "simplified" else "traditional"
        return "".join(_script(p, script, big5=self.spec.encoding == "big5") for p in self.agency_parts)

    def title(self) -> str:
        agency, year, text = self.agency(), self.year, self.text
        return _Shown(
            self.rng.choice(
                (
                    agency + text(f"{year}年度政府信息公开工作年度报告"),
                    agency + text(f"{year}年政府信息公开工作年度报告"),
                    text(f"{year}年") + agency + text("政府信息公开工作年度报告"),
                )
            )
        )

    def text(self, text: str) -> str:
        """Simplified text in the report's script; numbers are left out of the (cached) conversion."""
        script, big5 = self.spec.script, self.spec.encoding == "big5"
        if script == "simplified":
            return text
        if not _DIGITS.search(text):
            return _script(text, script, big5=big5)
        return "".join(p if p.isdigit() else _script(p, script, big5=big5) for p in _DIGITS.split(text))

    # the 2019 and 2021 formats

    def tables_blocks(self) -> list:
        fmt, rows = self.spec.format, self.plan.rows[self.spec.format]
        values = draw_article_20(self.rng, [c for r in rows["二"] for c in r[2]], self.busy)
        values.update(
            draw_matrix(self.rng, [c.id for r in rows["三"] for c in r[2]], _prefix(fmt) + "apply.", self.busy)
        )
        values.update(draw_outcomes(self.rng, [c.id for r in rows["四"] for c in r[2]], self.busy))
        blocks: list = []
        for name, maker in (("二", self.table_two), ("三", self.table_three), ("四", self.table_four)):
            heading = (
                _HEADING_FOUR_2019 if name == "四" and fmt == "2019" and self.rng.random() < 0.5 else _HEADINGS[name]
            )
            table = Table(name, maker(rows[name], values))
            self.tables.append(table)
            blocks += [heading, table] if self.spec.headings else [table]
        blocks += [
            "五、存在的主要问题及改进情况",
            "一是公开内容还不够全面，二是解读回应还需加强，下一步将认真加以改进。",
            "六、其他需要报告的事项",
            "本年度未收取信息处理费。",
        ]
        return blocks

    def table_two(self, rows, values) -> list[Row]:
        out, caption = [], None
        for group, label, cells in rows:
            if group != caption:
                caption = group
                out.append(Row([self.label(group, header=True)], data=False))
                out.append(
                    Row(
                        [self.label(t, header=True) for t in ["信息内容"] + [c.column_label for c in cells]], data=False
                    )
                )
            out.append(self.data_row([], label, cells, values))
        return out

    def table_three(self, rows, values) -> list[Row]:
        note, applicant, legal_person = self.plan.labels["三"][2], self.plan.labels["三"][0], self.plan.labels["三"][1]
        columns = [c.column_label for c in rows[0][2]]
        header = [
            Row(
                ([self.label(note, header=True)] if self.rng.random() < 0.7 else [])
                + [self.label(applicant, header=True)],
                data=False,
            ),
            Row([self.label(t, header=True) for t in (columns[0], legal_person, columns[-1])], data=False),
            Row([self.label(t, header=True) for t in columns[1:-1]], data=False),
        ]
        out, previous = header, []
        repeat = self.rng.random() < 0.3  # group labels on every row rather than once per block
        for group, label, cells in rows:
            path = group.split(" / ") if group else []
            common = 0 if repeat else _common_prefix(previous, path)
            groups = [""] * common + [self.label(part, header=True) for part in path[common:]]
            out.append(self.data_row(groups, label, cells, values))
            previous = path
        return out

    def table_four(self, rows, values) -> list[Row]:
        ((_, _, cells),) = rows
        groups = [c.group.split(" / ") for c in cells]
        first = list(dict.fromkeys(g[0] for g in groups))
        second = list(dict.fromkeys(g[-1] for g in groups if len(g) > 1))
        outcomes = list(dict.fromkeys(c.column_label for c in cells))
        header = [
            Row([self.label(t, header=True) for t in first], data=False),
            Row([self.label(t, header=True) for t in outcomes + second], data=False),
            Row([self.label(c.column_label, header=True) for c in cells if c.group != cells[0].group], data=False),
        ]
        return header + [self.data_row([], "", cells, values)]

    def data_row(self, groups: list[str], label: str, cells, values) -> Row:
        printed = self.label(label) if label else ""
        slots = [self.slot(c.id, values[c.id], c.unit, c.column_label, printed) for c in cells]
        return Row(groups + ([printed] if label else []) + slots, label=printed)

    # the legacy table

    def legacy_blocks(self) -> list:
        variant = self.spec.variant
        first, headers, _ = LEGACY_FORMS[variant]
        headers = [h.format(year=self.year) for h in headers]
        rows = [r for r in self.plan.legacy[variant] if r.id not in ("L70", "L71", "L72") or self.rng.random() < 0.3]
        values = draw_legacy_values(self.rng, rows, self.plan.legacy_rules, self.busy)
        uses_units = any(r.unit for r in rows)
        headings = {r.id for r in rows if uses_units and not r.unit}  # national block headings: no value of their own
        totals = nested_values(self.rng, rows, values, headings) if self.spec.layout == "glued" else {}
        if "renamed-rows" in self.spec.noise:  # an edition the mapping tables do not know
            rows, values = renamed_rows(self.rng, self.plan, rows, values, headings, uses_units, self.busy)
        table_rows = [Row([self.label(h, header=True) for h in [first, *headers]], data=False)]
        for number, row in enumerate(rows, start=1):
            heading = row.id in headings
            table_rows.append(self.legacy_row(row, headers, values[row.id], number, heading, totals.get(row.id)))
        table = Table("legacy", table_rows)
        self.tables.append(table)
        blocks = [
            _Shown(self.text("附件：") + self.agency() + self.text(f"{self.year}年度政府信息公开工作情况统计表")),
            table,
        ]
        return blocks + ([_LEGACY_FOOTNOTE] if variant == "national" else [])

    def legacy_row(self, row, headers: list[str], value, number: int, heading: bool, total=None) -> Row:
        printed_label = row.label
        if "aliases" in self.spec.noise and row.id in self.plan.aliases and self.rng.random() < 0.5:
            printed_label = self.rng.choice(self.plan.aliases[row.id])
        label = self.label(printed_label)
        if heading:
            return Row([label], label=label, legacy=row.id)
        cells: list = [label, self.text(row.unit)]
        for header in headers[1:]:
            role = legacy_column(self.plan.m, header).role
            if role == "code":
                cells.append(f"{number:02d}")
            elif role == "annual":
                cells.append(self.slot(row.id, value, row.unit, header, label))
            else:
                if total is not None and "累计" in header:
                    other = total
                else:
                    other = (
                        value + draw_count(self.rng, True)
                        if "累计" in header
                        else min(value, draw_count(self.rng, True))
                    )
                cells.append(self.slot(row.id, other, row.unit, header, label, annual=False))
        if isinstance(row, Unknown):  # no source field: its numbers are listed, never mapped
            for cell in cells:
                if isinstance(cell, Slot):
                    cell.key = ""
            return Row(cells, label=label)
        return Row(cells, label=label, legacy=row.id)

    # labels and values with noise

    def label(self, text: str, *, header: bool = False) -> str:
        """A label in the report's script, with the noise its spec asks for (script first: it is cached)."""
        noise, rng, text = self.spec.noise, self.rng, self.text(text)
        if not noise:
            return text
        if not header and "doubled-punctuation" in noise and rng.random() < 0.3:
            text = _DOUBLED.sub(r"\1\1", text, count=1)
        if not header and "notes" in noise and rng.random() < 0.15:
            text += self.text(rng.choice(_NOTES))
        if "half-width-brackets" in noise and rng.random() < 0.5:
            text = text.replace("（", "(").replace("）", ")")
        if "spaced-labels" in noise and rng.random() < 0.3:
            text = _spaced(text, rng)
        return text

    def slot(self, key: str, value, unit: str, column: str, label: str, *, annual: bool = True) -> Slot:
        # positional: this runs for every value of every report
        slot = Slot(key, value, "", unit, column, annual, "增/减" in column, label, value)
        slot.raw = printed_token(value, slot, self.spec.noise, self.rng)
        if self.marks and self.rng.random() < 0.06:  # no value printed: a dash, or an empty cell
            slot.value = None
            slot.raw = "" if self.rng.choice(self.marks) == "blanks" else self.text(self.rng.choice(_DASHES))
        return slot

    def break_rows(self) -> None:
        """Some long rows continue on the next line (the last values wrap)."""
        for table in self.tables:
            for row in table.rows:
                count = sum(isinstance(c, Slot) for c in row.cells)
                if row.data and count >= 3 and self.rng.random() < 0.3:
                    row.breaks = frozenset({self.rng.randint(1, count - 1)})

    def settle_blanks(self) -> None:
        """An empty cell first in its row or next to a line break cannot be told from layout: print the value."""
        for table in self.tables:
            for row in table.rows:
                slots = [c for c in row.cells if isinstance(c, Slot)]
                for index, slot in enumerate(slots):
                    # 「label | | 0 |」 shows a leading blank; a row without a label (table 四) would not
                    first = index == 0 and ("pipe-blanks" not in self.spec.noise or not row.label)
                    if slot.value is None and not slot.raw and (first or {index, index + 1} & row.breaks):
                        slot.value = slot.original
                        slot.raw = printed_token(slot.value, slot, self.spec.noise, self.rng)

    def whole_before_glue(self) -> None:
        """A decimal glued to the next value moves its point (0.5 and 1.7 print 0.51.7): such rows print
        whole numbers (a legacy row's 万元 and its cumulative figure)."""
        for table in self.tables:
            for row in table.rows:
                slots = [c for c in row.cells if isinstance(c, Slot)]
                if any(s.value is not None and s.value != int(s.value) for s in slots[:-1]):
                    for slot in slots:
                        slot.value = slot.original = type(slot.value)(int(slot.value))
                        slot.raw = printed_token(slot.value, slot, self.spec.noise, self.rng)
                for slot in slots:  # a crawled page keeps the minus sign, never 减 or −
                    if slot.value is not None and slot.value < 0:
                        slot.raw = f"-{-slot.value}"

    def leading_blanks(self) -> None:
        """Some rows of table 三 print only their last value, the cells before it left empty."""
        for table in self.tables:
            for row in table.rows:
                slots = [c for c in row.cells if isinstance(c, Slot)]
                if table.name == "三" and row.data and len(slots) > 2 and self.rng.random() < 0.15:
                    for slot in slots[:-1]:
                        slot.value, slot.raw = None, ""

    # damage

    def break_a_rule(self) -> None:
        """Change one printed number that a sum rule checks, so that the rule fails."""
        ruled = self.plan.ruled
        candidates = [
            s
            for t in self.tables
            for r in t.rows
            if r.data
            for s in r.cells
            if isinstance(s, Slot)
            and s.value is not None
            and s.annual
            and (s.key in ruled or s.key.removeprefix("y2019.") in ruled)
        ]
        if candidates:
            slot = self.rng.choice(candidates)
            slot.value += self.rng.randint(1, 9)
            slot.raw = printed_token(slot.value, slot, self.spec.noise, self.rng)
            self.changed = slot

    def truncate(self, blocks: list) -> list:
        """The text stops inside a table (a page lost): the rest of the report is not printed."""
        table = self.rng.choice([t for t in self.tables if t.name in ("三", "四", "legacy")])
        data = [i for i, r in enumerate(table.rows) if r.data]
        if table.name == "legacy":
            data = data[len(data) * 2 // 3 :]  # keep the rows that name the format
        index = self.rng.choice(data)
        row = table.rows[index]
        slots = [c for c in row.cells if isinstance(c, Slot)]
        # a document's table keeps its width: a row cut short would read as a row with empty cells
        inside = table.name != "legacy" and len(slots) > 1 and self.spec.kind == "text"
        kept = self.rng.randint(0, len(slots) - 1) if inside else 0
        while kept and not slots[kept - 1].raw:
            kept -= 1  # the text never ends on a blank cell: it would not be there
        for slot in slots[:kept] if "pipe-blanks" in self.spec.noise else slots[:1] if kept else ():
            if slot.value is None and not slot.raw:  # a cut row's blank: not told apart from the cut
                slot.value = slot.original
                slot.raw = printed_token(slot.value, slot, self.spec.noise, self.rng)
        if kept:
            cut_at = row.cells.index(slots[kept - 1]) + 1
            table.rows[index] = Row(
                row.cells[:cut_at], label=row.label, legacy=row.legacy, breaks=row.breaks, complete=False
            )
            index += 1
        table.rows = table.rows[:index]
        self.tables = self.tables[: next(i for i, t in enumerate(self.tables) if t is table) + 1]
        self.cut = (table.name, index, kept)
        return blocks[: next(i for i, b in enumerate(blocks) if b is table) + 1]

    def start_inside(self, blocks: list) -> list:
        """The page begins inside table 三 (a page of a flip-book): the title, then 三's later rows on."""
        table = next(t for t in self.tables if t.name == "三")
        data = [i for i, r in enumerate(table.rows) if r.data]
        first = data[self.rng.randint(1, len(data) - 2)]
        table.rows = table.rows[first:]
        self.start = ("三", first)
        self.tables = self.tables[self.tables.index(table) :]
        return [blocks[0]] + blocks[next(i for i, b in enumerate(blocks) if b is table) :]


def _prefix(fmt: str) -> str:
    return "y2019." if fmt == "2019" else ""


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


class _Shown(str):
    """Text already in the report's script (converted piece by piece)."""


def _narrative(rng: random.Random, year: int, fmt: str) -> list[str]:
    return [sentence for sentence, _ in narrative_sentences(rng, year, fmt)]


def narrative_sentences(rng: random.Random, year: int, fmt: str) -> list[tuple[str, tuple[str, int] | None]]:
    """The prose before the tables, each sentence with the narrative figure it gives (indicator id, value),
    None for a sentence that gives none, or whose figure is a near miss (a part, an approximation, a change,
    another period, a count of 期) that must not be taken."""
    posts, count = rng.randint(20, 900), rng.randint(2, 4)
    sentences = [
        ("根据《中华人民共和国政府信息公开条例》的规定，本机关编制本年度政府信息公开工作年度报告，现予发布。", None),
        (f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。", None),
        ("一、总体情况" if fmt != "legacy" else "一、概述", None),
        (
            f"{year}年，本机关认真贯彻落实政务公开工作要点，全年通过门户网站发布各类信息{posts}条，"
            "进一步提升了公开质量和实效。",
            ("narrative.website.posts", posts),
        ),
    ][:count]
    if count < 4 or fmt == "legacy":  # a legacy table prints the headline: its prose figure would be checked
        return sentences
    more = random.Random(f"narrative:{year}:{fmt}:{posts}")  # drawn apart, so the tables' numbers stay as they were
    total = more.randint(30, 30000)
    shown = f"{total:,}" if total >= 1000 and more.random() < 0.5 else str(total)
    if more.random() < 0.3:
        shown = shown.translate(_FULL_WIDTH)
    near_misses = [
        f"其中通过门户网站主动公开政府信息{more.randint(1, total)}条。",
        f"主动公开政府信息较上年增加{more.randint(1, 500)}条。",
        f"{year}年上半年，主动公开政府信息{more.randint(1, total)}条。",
        f"全年主动公开政府信息约{more.randint(30, 30000)}条。",
        f"通过政务微信公众号发布信息{more.randint(2, 300)}期。",
        f"主动公开政府信息同比增长{more.randint(1, 99)}%。",
    ]
    sentences.append((f"全年共主动公开政府信息{shown}条。", ("narrative.proactive.total", total)))
    return sentences + [(s, None) for s in more.sample(near_misses, more.randint(1, 3))]


def _spaced(text: str, rng: random.Random) -> str:
    """A space between two Chinese characters of a label (as 「商业 企业」)."""
    places = [i for i in range(1, len(text) - 1) if _is_han(text[i - 1]) and _is_han(text[i])]
    if not places:
        return text
    at = rng.choice(places)
    return text[:at] + rng.choice((" ", "\u3000")) + text[at:]


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@lru_cache(maxsize=200_000)
def _script(text: str, script: str, *, big5: bool = False) -> str:
    """Simplified text in the report's script (cached: OpenCC in pure Python is slow)."""
    if script == "simplified" or not text:
        return text
    from ..normalize import to_traditional

    if big5:
        return _s2tw().convert(text)
    converted = to_traditional(text)
    if script == "traditional-pinyin":
        converted = "".join(c + f"({_PINYIN[c]})" if c in _PINYIN else c for c in converted)
    return converted


@lru_cache(maxsize=1)
def _s2tw():
    from opencc import OpenCC

    return OpenCC("s2tw")  # Taiwan forms (為, not 爲), as Big5 pages have them
