"""Reports with known truth, written from the mapping tables (a development tool: `xxgk generate`).

A generated report is one of the three formats -- a legacy statistical table (the national template or a
local form of mappings/legacy_rows.csv), the 2019 trial format (mappings/format_2019.csv) or the 2021
format (the printed cells of mappings/schema.csv) -- with a title naming an agency and a year, a little
narrative, and its tables in one of the layouts seen in real reports, in Simplified or Traditional script
(with or without pinyin), in one of the encodings seen, with the noise real reports carry.

Its truth -- agency, year, format, every 2021 cell's value and status, the unmapped list, the ledger and
the finding codes a reader must get -- is computed here from what was written and from the mapping
tables' decisions (relations, priorities, derived cells' parts, sum rules), never by reading the report
back: the property tests compare the two. Report `index` of seed `seed` is always the same report,
whatever `count` is.

Not generated, on purpose: anything the text itself cannot tell (a blank as a row's first value, a blank
next to a line break, a legacy row without its parent block), rows the mapping tables do not know, and
mojibake.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import InputError, OutputError
from ..mapping import Mappings, load_mappings
from ..model import json_number

FORMATS = ("legacy", "2019", "2021")
KINDS = ("text", "html", "docx", "xlsx")
LAYOUTS = ("cell-per-line", "blank-lines", "pipes", "markdown", "tabs", "broken-rows", "spaces", "one-line")
SCRIPTS = ("simplified", "traditional", "traditional-pinyin")
NOISE = (
    "doubled-punctuation",
    "spaced-labels",
    "notes",
    "half-width-brackets",
    "dashes",
    "blanks",
    "full-width-digits",
    "thousands",
    "units",
    "signed",
    "aliases",
)

# Layouts in which a cell can be left empty (a blank slot between two values, or after the last one).
_BLANKS_READABLE = {"pipes", "markdown", "tabs", "broken-rows", "one-line"}
# The legacy table: 统计指标 | 单位 | 统计数, one row per line; values are never space-separated.
_LEGACY_LAYOUTS = ("cell-per-line", "blank-lines", "pipes", "markdown", "tabs", "one-line")
_HEADINGS = {
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
}
_HEADING_FOUR_2019 = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
# The local legacy forms: header cell, column headers ({year} is the report's year) and the years they were used.
_LEGACY_FORMS = {
    "national": ("统 计 指 标", ("单位", "统计数"), (2014, 2018)),
    "dingxi-2008": ("指 标 名 称", ("计量单位", "代码", "本期实际", "本年累计"), (2008, 2013)),
    "putian-2009": ("指 标 名 称", ("计量单位", "{year} 年度", "历年累计"), (2009, 2013)),
    "buyu-ranges": ("统 计 指 标", ("单位", "统计数"), (2008, 2013)),
    "pingtan-2018": ("指标名称", ("计量单位", "{year}年度", "历年累计"), (2014, 2018)),
}
VARIANTS = tuple(_LEGACY_FORMS)
_LEGACY_FOOTNOTE = "注:各子栏目数总数要等于总栏目数量"
_YEARS = {"2019": (2019, 2020), "2021": (2021, 2025)}
_SERIES_YEARS = range(2011, 2026)  # local legacy forms, the national table (2014-), the 2019 and 2021 formats
_PLACES = (
    "北京市",
    "天津市",
    "石家庄市",
    "太原市",
    "沈阳市",
    "大连市",
    "长春市",
    "哈尔滨市",
    "南京市",
    "苏州市",
    "杭州市",
    "宁波市",
    "嘉兴市",
    "合肥市",
    "福州市",
    "莆田市",
    "南昌市",
    "济南市",
    "青岛市",
    "济宁市",
    "郑州市",
    "武汉市",
    "长沙市",
    "广州市",
    "南宁市",
    "海口市",
    "成都市",
    "贵阳市",
    "昆明市",
    "西安市",
    "兰州市",
    "定西市",
    "西宁市",
    "银川市",
    "抚顺市",
    "乌兰察布市",
)
_COUNTIES = ("", "", "", "金乡县", "宝丰县", "桃江县", "雄县", "西湖区", "鼓楼区", "城关区", "高新区", "平原县")
_BODIES = (
    "商务局",
    "市场监督管理局",
    "人民政府办公室",
    "自然资源局",
    "教育局",
    "卫生健康委员会",
    "财政局",
    "生态环境局",
    "交通运输局",
    "住房和城乡建设局",
    "审计局",
    "统计局",
    "民政局",
    "司法局",
    "农业农村局",
    "文化和旅游局",
    "应急管理局",
    "林业局",
    "水利局",
    "人民政府",
)
AGENCY_PARTS = (_PLACES, _COUNTIES, _BODIES)  # an agency is one of each: 杭州市 + 西湖区 + 教育局
# Pinyin written after some characters, as a Traditional report with reading aids prints them: 務(wù).
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
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_DOUBLED = re.compile(r"([、.:：，])")
_DIGITS = re.compile(r"(\d+)")


# --- what a report holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """How one generated report looks."""

    format: str  # legacy / 2019 / 2021
    variant: str  # the legacy form (national, dingxi-2008 …); "" for the 2019 and 2021 formats
    year: int
    agency: tuple[str, str, str]  # place, county (may be ""), body: 杭州市 / 西湖区 / 教育局
    layout: str
    script: str
    encoding: str  # the codec the bytes are written in (utf-8-sig: UTF-8 with a byte-order mark)
    kind: str  # text / html / docx / xlsx
    noise: tuple[str, ...]
    truncated: bool
    broken_rule: bool

    @property
    def suffix(self) -> str:
        return {"text": ".txt", "html": ".html", "docx": ".docx", "xlsx": ".xlsx"}[self.kind]


@dataclass(slots=True)
class Slot:
    """One value cell as printed: the source field it fills, its value, its token, its line."""

    key: str  # source field id (2021 / 2019 cell id, legacy row id)
    value: int | Decimal | None  # a count is an int, money a Decimal
    raw: str = ""  # the token as printed; "" for a blank cell
    unit: str = ""
    column: str = ""  # the column header (legacy: which column; a non-annual column is not the field)
    annual: bool = True  # False for a legacy column other than the annual figure
    signed: bool = False  # may be negative (2019 本年增/减)
    label: str = ""  # the row label as printed
    original: int | Decimal | None = None  # the value before it was left blank or dashed
    line: int | None = None


@dataclass
class Row:
    """A table row: label cells (str, "" for an empty merged cell) and value slots, in printed order."""

    cells: list
    data: bool = True  # False for caption and header rows
    label: str = ""  # the row label as printed (after noise and script)
    legacy: str = ""  # the legacy row id
    breaks: frozenset = frozenset()  # broken-rows layout: the slots that begin a new line
    complete: bool = True  # False for the row the text stops in: no padding after it


@dataclass
class Table:
    name: str  # 二 / 三 / 四 / legacy
    rows: list[Row]


@dataclass
class Generated:
    """A generated report: its file name, its bytes and its truth (a JSON-ready dict)."""

    name: str
    data: bytes
    truth: dict
    spec: Spec


# --- the generator ---------------------------------------------------------------------------


class Generator:
    """Writes reports from the mapping tables; the tables are read once.

    Report `index` of a corpus is report number index % Y of agency number index // Y, where Y is the
    number of years the chosen formats span (2011-2025 for all three): each agency reports once a year,
    across the changes of format, as a series.
    """

    def __init__(self, mappings: Mappings | None = None):
        self.m = mappings or load_mappings()
        self.plan = _Plan(self.m)

    def report(self, seed: int, index: int, *, formats=FORMATS, kinds=("text",)) -> Generated:
        """Report `index` of the corpus of `seed`: always the same bytes and truth."""
        years = [year for year in _SERIES_YEARS if format_of(year) in formats]
        if not years:
            raise InputError(f"no format among {', '.join(formats)}: choose from {', '.join(FORMATS)}")
        number, position = divmod(index, len(years))
        agency, local, national = _series_agency(random.Random(f"xxgk-generate:{seed}:agency:{number}"))
        year = years[position]
        variant = (local if year < 2014 else national) if format_of(year) == "legacy" else ""
        rng = random.Random(f"xxgk-generate:{seed}:{index}")
        spec = choose_spec(rng, formats=(format_of(year),), kinds=kinds, year=year, agency=agency, variant=variant)
        return self.from_spec(spec, rng, name=f"{index:06d}-{spec.format}-{spec.variant or 'std'}-{spec.layout}")

    def from_spec(self, spec: Spec, rng: random.Random, *, name: str = "report") -> Generated:
        """A report that looks as `spec` says, its numbers drawn from `rng`."""
        build = _Builder(self.plan, spec, rng)
        blocks = build.document()
        data, encoding = _encode(blocks, spec, rng)
        truth = _Truth(self.plan, spec, build).compute()
        truth.update(file=name + spec.suffix, encoding=encoding, input_kind=spec.kind, spec=dict(spec.__dict__))
        return Generated(name + spec.suffix, data, truth, spec)

    def reports(
        self, count: int, seed: int = 0, *, formats=FORMATS, kinds=("text",), start: int = 0
    ) -> Iterator[Generated]:
        for index in range(start, start + count):
            yield self.report(seed, index, formats=formats, kinds=kinds)


def generate(
    count: int, seed: int = 0, *, formats=FORMATS, kinds=("text",), mappings: Mappings | None = None
) -> Iterator[Generated]:
    """`count` generated reports of the corpus `seed`, one at a time."""
    return Generator(mappings).reports(count, seed, formats=formats, kinds=kinds)


def write_corpus(
    directory: str | Path,
    count: int,
    seed: int = 0,
    *,
    formats=FORMATS,
    kinds=("text",),
    truth: str = "jsonl",
    mappings: Mappings | None = None,
) -> dict:
    """Write `count` reports into `directory`, streaming, with their truth: one truth.jsonl, or a
    <report>.truth.json beside each report. Returns how many reports of each format and kind were written."""
    try:
        return _write_corpus(
            Path(directory), generate(count, seed, formats=formats, kinds=kinds, mappings=mappings), truth
        )
    except OSError as exc:
        raise OutputError(f"cannot write the generated reports ({exc.strerror or exc})") from None


def _write_corpus(directory: Path, reports: Iterator[Generated], truth: str) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, dict[str, int]] = {"formats": {}, "kinds": {}}
    jsonl = (directory / "truth.jsonl").open("w", encoding="utf-8") if truth == "jsonl" else None
    try:
        for made in reports:
            (directory / made.name).write_bytes(made.data)
            line = json.dumps(made.truth, ensure_ascii=False)
            if jsonl is not None:
                jsonl.write(line + "\n")
            else:
                (directory / (made.name + ".truth.json")).write_text(line + "\n", encoding="utf-8")
            for group, key in (("formats", made.spec.format), ("kinds", made.spec.kind)):
                counts[group][key] = counts[group].get(key, 0) + 1
    finally:
        if jsonl is not None:
            jsonl.close()
    return counts


def format_of(year: int) -> str:
    """The format a report for `year` is written in."""
    return "legacy" if year <= 2018 else "2019" if year <= 2020 else "2021"


def _series_agency(rng: random.Random) -> tuple[tuple[str, str, str], str, str]:
    """An agency, the local legacy form it used before 2014 and the table it used from 2014 to 2018."""
    local = rng.choice([v for v, (_, _, (first, _)) in _LEGACY_FORMS.items() if first < 2014])
    return _agency(rng), local, "pingtan-2018" if rng.random() < 0.2 else "national"


def choose_spec(
    rng: random.Random,
    *,
    formats=FORMATS,
    kinds=("text",),
    year: int | None = None,
    agency: tuple[str, str, str] | None = None,
    variant: str | None = None,
) -> Spec:
    """A random report shape among what the parser is meant to read (year, agency, form as given)."""
    fmt = format_of(year) if year else rng.choice(list(formats))
    if variant is None:
        variant = rng.choice(list(_LEGACY_FORMS)) if fmt == "legacy" else ""
    if year is None:
        year = rng.randint(*years_for(fmt, variant))
    kind = rng.choice(list(kinds))
    layout = rng.choice(layouts_for(fmt)) if kind == "text" else "pipes"  # a document's tables are its layout
    script = rng.choice(SCRIPTS)
    encoding = rng.choice(encodings_for(script, kind))
    noise = tuple(n for n in NOISE if rng.random() < 0.3 and noise_fits(n, fmt, layout))
    return Spec(
        fmt,
        variant,
        year,
        agency or _agency(rng),
        layout,
        script,
        encoding,
        kind,
        noise,
        truncated=rng.random() < 0.15,
        broken_rule=rng.random() < 0.2,
    )


def years_for(fmt: str, variant: str = "") -> tuple[int, int]:
    """The first and last year a format (a legacy form) was used in."""
    return _LEGACY_FORMS[variant][2] if fmt == "legacy" else _YEARS[fmt]


def layouts_for(fmt: str) -> tuple[str, ...]:
    """The text layouts a format is written in (a legacy table is never space-separated)."""
    return _LEGACY_LAYOUTS if fmt == "legacy" else LAYOUTS


def encodings_for(script: str, kind: str) -> tuple[str, ...]:
    if kind in ("docx", "xlsx"):
        return ("utf-8",)
    if kind == "html":
        return ("utf-8", "gb18030")
    if script == "traditional":  # Big5 has no pinyin tone letters and few Simplified characters
        return ("utf-8", "utf-8-sig", "gb18030", "utf-16", "big5")
    return ("utf-8", "utf-8-sig", "gb18030", "utf-16")


def noise_fits(noise: str, fmt: str, layout: str) -> bool:
    """Whether a kind of noise can be written in this format and layout so that the text still tells."""
    if noise == "blanks":  # legacy rows hold one annual value after the unit: a blank there cannot be told from layout
        return layout in _BLANKS_READABLE and fmt != "legacy"
    if noise == "dashes":
        return layout != "spaces"  # 「规章 0 — 0」: a dash among space-separated numbers reads as part of the label
    if noise == "signed":
        return fmt == "2019"
    if noise == "aliases":
        return fmt == "legacy"
    return True


# --- the mapping tables, read once for generation ---------------------------------------------


class _Plan:
    """The tables of each format as rows of slots, the legacy forms' rows, the rules and the decisions."""

    def __init__(self, m: Mappings):
        self.m = m
        self.rows = {fmt: {t: _template_rows(m.layout(fmt, t)) for t in ("二", "三", "四")} for fmt in ("2019", "2021")}
        self.legacy = {
            variant: _tree_order([r for r in m.legacy_rows.values() if r.variant == variant])
            for variant in _LEGACY_FORMS
        }
        self.labels = _header_labels(m.directory)
        self.aliases = _printed_aliases(m.directory)
        self.legacy_rules = [_rule(r) for r in m.rules if r.applies_to == "legacy"]
        self.schema_rules = [_rule(r) for r in m.rules if r.applies_to == "schema"]
        self.schema = [(c.id, c.kind == "printed") for c in m.schema.values()]
        self.printed = [c.id for c in m.printed()]
        self.derived = [(c.id, c.parts) for c in m.derived()]  # in schema order: parts come first
        self.cells = {
            fmt: [(c.id, c.column_label, label) for t in tables.values() for _, label, cells in t for c in cells]
            for fmt, tables in self.rows.items()
        }
        self.ruled = {i for r in m.rules for i in r.left + r.right}
        self.summands = _summands(m.maps["legacy"]) | _summands(m.maps["2019"])


def _rule(rule) -> tuple:
    return rule.name, rule.name.split("[")[0], rule.left, rule.right, rule.tolerance, rule.operator


def _template_rows(cells) -> list[tuple[str, str, list]]:
    """(group, row label, cells) in printed order; table 四's cells form one row without a label."""
    rows: list[tuple[str, str, list]] = []
    for cell in cells:
        if rows and rows[-1][0] == cell.group and rows[-1][1] == cell.row_label and cell.row_label:
            rows[-1][2].append(cell)
        elif rows and not cell.row_label and not rows[-1][1]:
            rows[-1][2].append(cell)
        else:
            rows.append((cell.group, cell.row_label, [cell]))
    return rows


def _tree_order(rows: list) -> list:
    """A local form's rows depth first (a row after its parent's earlier children), as a table prints them."""
    children: dict[str, list] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row)
    ordered: list = []

    def visit(parent: str) -> None:
        for row in children.get(parent, []):
            ordered.append(row)
            visit(row.id)

    visit("")
    return ordered


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _header_labels(directory: Path) -> dict[str, list[str]]:
    """The printed header labels of each table (formats.csv, kind label), as the tables print them."""
    labels: dict[str, list[str]] = {}
    for row in _read_csv(directory / "formats.csv"):
        if row["kind"] == "label" and row["format"] == "2021":
            labels.setdefault(row["table"], []).append(row["text"])
    return labels


def _printed_aliases(directory: Path) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for row in _read_csv(directory / "label_aliases.csv"):
        aliases.setdefault(row["id"], []).append(row["alias"])
    return aliases


def _summands(decisions) -> dict[tuple[str, int, str], set[str]]:
    """The sources of each group of 'summed' decisions (target, priority, variant): a sum needs them all."""
    groups: dict[tuple[str, int, str], set[str]] = {}
    for d in decisions.values():
        if d.combination == "summed":
            groups.setdefault((d.target, d.priority, d.variant), set()).add(d.source)
    return groups


# --- numbers -----------------------------------------------------------------------------------


def _count(rng: random.Random, busy: bool) -> int:
    """A count as agencies report them: mostly 0 or small, sometimes large (one draw, for speed)."""
    r = rng.random()
    if not busy:
        return 0 if r < 0.9 else 1 + int((r - 0.9) * 30)
    if r < 0.45:
        return 0
    if r < 0.8:
        return 1 + int((r - 0.45) / 0.35 * 9)
    if r < 0.95:
        return 10 + int((r - 0.8) / 0.15 * 90)
    return 100 + int((r - 0.95) / 0.05 * 5900)


def _money(rng: random.Random) -> Decimal:
    return Decimal(rng.choice((0, 0, rng.randint(1, 99), rng.randint(100, 99999)))) / 100


def _matrix(rng: random.Random, ids: list[str], prefix: str, busy: bool) -> dict[str, int]:
    """Table 三: results by applicant column; totals, carry-over and new applications that add up."""
    cells = {tuple(i.removeprefix(prefix).rsplit(".", 1)): i for i in ids}
    rows = list(dict.fromkeys(r for r, _ in cells))
    columns = [c for c in dict.fromkeys(c for _, c in cells) if c != "total"]
    special = ("new", "carried_in", "total", "carried_out")
    values: dict[str, int] = {}
    for column in columns:
        results = {r: _count(rng, busy) for r in rows if r not in special}
        handled = sum(results.values())
        carried_out = min(_count(rng, busy), 9)
        carried_in = rng.randint(0, min(handled + carried_out, 5))
        column_values = dict(
            results,
            total=handled,
            carried_out=carried_out,
            carried_in=carried_in,
            new=handled + carried_out - carried_in,
        )
        values.update({cells[(r, column)]: v for r, v in column_values.items() if (r, column) in cells})
    for row in rows:
        values[cells[(row, "total")]] = sum(values[cells[(row, c)]] for c in columns)
    return values


def _outcomes(rng: random.Random, ids: list[str], busy: bool) -> dict[str, int]:
    """Table 四: each group's 总计 is the sum of its four outcomes."""
    values: dict[str, int] = {}
    for cell_id in ids:
        if not cell_id.endswith(".total"):
            values[cell_id] = min(_count(rng, busy), 20)
    for cell_id in ids:
        if cell_id.endswith(".total"):
            group = cell_id.removesuffix("total")
            values[cell_id] = sum(
                v for k, v in values.items() if k.startswith(group) and k.count(".") == cell_id.count(".")
            )
    return values


def _article_20(rng: random.Random, cells, busy: bool) -> dict:
    values = {}
    for cell in cells:
        if cell.unit == "万元" or cell.column_label == "采购总金额":
            values[cell.id] = _money(rng) * (100 if cell.column_label == "采购总金额" else 1)
        elif "增/减" in cell.column_label:
            values[cell.id] = rng.choice((0, 0, rng.randint(-30, 40)))
        else:
            values[cell.id] = _count(rng, True) if busy or rng.random() < 0.5 else 0
    return values


def _legacy_values(rng: random.Random, rows: list, rules, busy: bool) -> dict:
    """Every row of a local form: free rows drawn, each rule's left row the sum of its right rows."""
    present = {r.id for r in rows}
    defined = {}
    for _, _, left, right, _, _ in rules:
        # a form's rules use the rows the form has
        if len(left) == 1 and left[0] in present and any(i in present for i in right) and left[0] not in defined:
            defined[left[0]] = [i for i in right if i in present]
    values: dict = {}
    units = {r.id: r.unit for r in rows}

    def value(row_id: str):
        if row_id not in values:
            if row_id in defined:
                values[row_id] = sum(value(i) for i in defined[row_id])
            else:
                values[row_id] = _money(rng) if units[row_id] == "万元" else _count(rng, busy)
        return values[row_id]

    for row in rows:
        value(row.id)
    return values


# --- building the document ---------------------------------------------------------------------


class _Builder:
    """The blocks of one report (paragraphs and tables of rows), with every printed value as a Slot."""

    def __init__(self, plan: _Plan, spec: Spec, rng: random.Random):
        self.plan, self.spec, self.rng = plan, spec, rng
        self.busy = rng.random() < 0.6  # an idle agency prints zeros almost everywhere
        self.agency_parts = spec.agency  # converted one by one: few distinct pieces
        self.year = spec.year
        self.tables: list[Table] = []
        self.cut: tuple[str, int, int] | None = None  # table, row index, values kept in that row
        self.marks = [m for m in ("dashes", "blanks") if m in spec.noise]
        self.changed: Slot | None = None  # the number changed so that a sum rule fails

    # the whole report

    def document(self) -> list:
        spec = self.spec
        blocks: list = [self.title(), *_narrative(self.rng, self.year, spec.format)]
        if spec.format == "legacy":
            blocks += self.legacy_blocks()
        else:
            blocks += self.tables_blocks()
        if spec.broken_rule:
            self.break_a_rule()
        if spec.layout == "broken-rows":
            self.break_rows()
        self.settle_blanks()
        if spec.truncated:
            blocks = self.truncate(blocks)
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
        values = _article_20(self.rng, [c for r in rows["二"] for c in r[2]], self.busy)
        values.update(_matrix(self.rng, [c.id for r in rows["三"] for c in r[2]], _prefix(fmt) + "apply.", self.busy))
        values.update(_outcomes(self.rng, [c.id for r in rows["四"] for c in r[2]], self.busy))
        blocks: list = []
        for name, maker in (("二", self.table_two), ("三", self.table_three), ("四", self.table_four)):
            heading = (
                _HEADING_FOUR_2019 if name == "四" and fmt == "2019" and self.rng.random() < 0.5 else _HEADINGS[name]
            )
            table = Table(name, maker(rows[name], values))
            self.tables.append(table)
            blocks += [heading, table]
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
        first, headers, _ = _LEGACY_FORMS[variant]
        headers = [h.format(year=self.year) for h in headers]
        rows = [r for r in self.plan.legacy[variant] if r.id not in ("L70", "L71", "L72") or self.rng.random() < 0.3]
        values = _legacy_values(self.rng, rows, self.plan.legacy_rules, self.busy)
        uses_units = any(r.unit for r in rows)
        table_rows = [Row([self.label(h, header=True) for h in [first, *headers]], data=False)]
        for number, row in enumerate(rows, start=1):
            heading = uses_units and not row.unit  # a block heading of the national table: no value of its own
            table_rows.append(self.legacy_row(row, headers, values[row.id], number, heading))
        table = Table("legacy", table_rows)
        self.tables.append(table)
        blocks = [
            _Shown(self.text("附件：") + self.agency() + self.text(f"{self.year}年度政府信息公开工作情况统计表")),
            table,
        ]
        return blocks + ([_LEGACY_FOOTNOTE] if variant == "national" else [])

    def legacy_row(self, row, headers: list[str], value, number: int, heading: bool) -> Row:
        printed_label = row.label
        if "aliases" in self.spec.noise and row.id in self.plan.aliases and self.rng.random() < 0.5:
            printed_label = self.rng.choice(self.plan.aliases[row.id])
        label = self.label(printed_label)
        if heading:
            return Row([label], label=label, legacy=row.id)
        cells: list = [label, self.text(row.unit)]
        for header in headers[1:]:
            role = _column(self.plan.m, header).role
            if role == "code":
                cells.append(f"{number:02d}")
            elif role == "annual":
                cells.append(self.slot(row.id, value, row.unit, header, label))
            else:
                other = value + _count(self.rng, True) if "累计" in header else min(value, _count(self.rng, True))
                cells.append(self.slot(row.id, other, row.unit, header, label, annual=False))
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
        slot.raw = _token(value, slot, self.spec.noise, self.rng)
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
                    if slot.value is None and not slot.raw and (index == 0 or {index, index + 1} & row.breaks):
                        slot.value = slot.original
                        slot.raw = _token(slot.value, slot, self.spec.noise, self.rng)

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
            slot.raw = _token(slot.value, slot, self.spec.noise, self.rng)
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


def _prefix(fmt: str) -> str:
    return "y2019." if fmt == "2019" else ""


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _column(m: Mappings, header: str):
    """What legacy_columns.csv says of a column header (role, note): the longest header name it holds."""
    key = m.normalizer.key(header)
    found = [c for c in m.legacy_columns if c.key and c.key in key]
    return max(found, key=lambda c: len(c.key)) if found else None


def _agency(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(_PLACES), rng.choice(_COUNTIES), rng.choice(_BODIES)


class _Shown(str):
    """Text already in the report's script (converted piece by piece)."""


def _narrative(rng: random.Random, year: int, fmt: str) -> list[str]:
    sentences = [
        "根据《中华人民共和国政府信息公开条例》的规定，本机关编制本年度政府信息公开工作年度报告，现予发布。",
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况" if fmt != "legacy" else "一、概述",
        f"{year}年，本机关认真贯彻落实政务公开工作要点，全年通过门户网站发布各类信息{rng.randint(20, 900)}条，"
        "进一步提升了公开质量和实效。",
    ]
    return sentences[: rng.randint(2, 4)]


def _spaced(text: str, rng: random.Random) -> str:
    """A space between two Chinese characters of a label (as 「商业 企业」)."""
    places = [i for i in range(1, len(text) - 1) if _is_han(text[i - 1]) and _is_han(text[i])]
    if not places:
        return text
    at = rng.choice(places)
    return text[:at] + rng.choice((" ", "\u3000")) + text[at:]


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _token(value, slot: Slot, noise: tuple[str, ...], rng: random.Random) -> str:
    """A number as a report prints it: signs, thousands separators, a unit, full-width digits."""
    if not noise and value >= 0:
        return str(value)
    magnitude = abs(value)
    text = f"{magnitude:,}" if "thousands" in noise and magnitude >= 1000 and rng.random() < 0.5 else str(magnitude)
    if value < 0:
        text = rng.choice(("-", "−", "减", "减少")) + text
    elif slot.signed and "signed" in noise and value > 0 and rng.random() < 0.5:
        text = rng.choice(("+", "增", "增加")) + text
    if "units" in noise and slot.unit and rng.random() < 0.3:
        text += slot.unit
    if "full-width-digits" in noise and rng.random() < 0.4:
        text = text.translate(_FULL_WIDTH)
    return text


@lru_cache(maxsize=200_000)
def _script(text: str, script: str, *, big5: bool = False) -> str:
    """Simplified text in the report's script (cached: OpenCC in pure Python is slow)."""
    if script == "simplified" or not text:
        return text
    from ..normalize import _S2T

    if big5:
        return _s2tw().convert(text)
    converted = _S2T.convert(text)
    if script == "traditional-pinyin":
        converted = "".join(c + f"({_PINYIN[c]})" if c in _PINYIN else c for c in converted)
    return converted


@lru_cache(maxsize=1)
def _s2tw():
    from opencc import OpenCC

    return OpenCC("s2tw")  # Taiwan forms (為, not 爲), as Big5 pages have them


# --- layouts -----------------------------------------------------------------------------------


def _shown(cell) -> str:
    return cell.raw if isinstance(cell, Slot) else cell


class _Lines:
    """Text lines being written; each slot learns the line it stands on."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, cells: list, join) -> None:
        for cell in cells:
            if isinstance(cell, Slot):
                cell.line = len(self.lines) + 1
        self.lines.append(join([_shown(c) for c in cells]))


def _pipes(texts: list[str]) -> str:
    return " | ".join(texts) + " |"


def _markdown(texts: list[str]) -> str:
    return "| " + " | ".join(texts) + " |"


def _tabs(texts: list[str]) -> str:
    return "\t".join(texts)


def _spaces(texts: list[str]) -> str:
    return " ".join(t for t in texts if t)


# A line that ends in '|' closes its last cell, so a trailing empty cell needs its own closing '|'.
_JOINERS = {"pipes": _pipes, "markdown": _markdown, "tabs": _tabs, "one-line": _pipes}


def render_lines(blocks: list, layout: str, rng: random.Random) -> list[str]:
    """The report as text lines in `layout`; sets every slot's line."""
    out = _Lines()
    for block in blocks:
        if isinstance(block, Table):
            _table_lines(block, layout, rng, out)
        else:
            out.lines.append(block)
            if layout == "blank-lines":
                out.lines.append("")
    return out.lines


def _table_lines(table: Table, layout: str, rng: random.Random, out: _Lines) -> None:
    if layout == "one-line":  # the whole table on one line; empty merged cells would read as blank values
        out.add([c for row in table.rows for c in row.cells if c != ""], _JOINERS["one-line"])
        return
    separator = rng.choice((_tabs, _pipes)) if layout == "broken-rows" else _JOINERS.get(layout)
    for number, row in enumerate(table.rows):
        if layout in ("cell-per-line", "blank-lines"):
            for cell in row.cells:
                if cell != "":
                    out.add([cell], (lambda t: t[0] + " |") if layout == "cell-per-line" else (lambda t: t[0]))
                    if layout == "blank-lines":
                        out.lines.append("")
            if layout == "cell-per-line":
                out.lines.append("||")
        elif layout == "spaces":
            _spaces_row(row, out)
        else:
            for part in _broken(row) if layout == "broken-rows" else [row.cells]:
                out.add(part, separator)
            if layout == "markdown" and number == 0:
                out.lines.append("|" + "---|" * max(len(row.cells), 2))
            elif layout == "tabs" and row.complete and rng.random() < 0.2:
                out.lines[-1] += "\t"  # padding after the last cell, as spreadsheets export it


def _spaces_row(row: Row, out: _Lines) -> None:
    """Label and numbers separated by spaces; group labels on lines of their own, header cells by tabs."""
    if not row.data:
        out.add([c for c in row.cells if c != ""], _tabs)
        return
    slots = [c for c in row.cells if isinstance(c, Slot)]
    labels = [c for c in row.cells if isinstance(c, str) and c]
    for group in labels[:-1] if row.label else labels:
        out.add([group], _tabs)
    out.add(([row.label] if row.label else []) + slots, _spaces)


def _broken(row: Row) -> list[list]:
    """A row cut into lines at its breaks (the values after a break continue on the next line)."""
    slots = [c for c in row.cells if isinstance(c, Slot)]
    parts, current = [], []
    for cell in row.cells:
        if isinstance(cell, Slot) and slots.index(cell) in row.breaks and current:
            parts.append(current)
            current = []
        current.append(cell)
    return parts + [current]


# --- files -------------------------------------------------------------------------------------


def _encode(blocks: list, spec: Spec, rng: random.Random) -> tuple[bytes, str]:
    """The report's bytes in its kind and encoding, and the encoding actually used."""
    if spec.kind == "text":
        text = "\n".join(render_lines(blocks, spec.layout, rng)) + "\n"
        try:
            return text.encode(spec.encoding), spec.encoding
        except UnicodeEncodeError:  # a character the legacy code page lacks: written as UTF-8 instead
            return text.encode("utf-8"), "utf-8"
    _number_document_lines(blocks)
    if spec.kind == "html":
        return _html(blocks, spec.encoding)
    if spec.kind == "docx":
        return _docx(blocks), "utf-8"
    return _xlsx(blocks, rng), "utf-8"


def _number_document_lines(blocks: list) -> None:
    """In a document each paragraph and each table row is one line."""
    line = 0
    for block in blocks:
        for row in block.rows if isinstance(block, Table) else [None]:
            line += 1
            for cell in row.cells if row else []:
                if isinstance(cell, Slot):
                    cell.line = line


def _markup(blocks: list, *, table: tuple[str, str], row: tuple[str, str], cell, paragraph) -> str:
    """Paragraphs and tables as markup: `table` and `row` are (open, close) tags, `cell` and `paragraph` wrap text."""
    body = []
    for block in blocks:
        if isinstance(block, Table):
            rows = "".join(row[0] + "".join(cell(_shown(c)) for c in r.cells) + row[1] for r in block.rows)
            body.append(table[0] + rows + table[1])
        else:
            body.append(paragraph(block))
    return "\n".join(body)


def _html(blocks: list, encoding: str) -> tuple[bytes, str]:
    meta = (
        '<meta charset="utf-8">'
        if encoding == "utf-8"
        else '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    )
    body = _markup(
        blocks,
        table=('<table border="1">', "</table>"),
        row=("<tr>", "</tr>"),
        cell=lambda text: f"<td>{escape(text) or '&nbsp;'}</td>",
        paragraph=lambda text: f"<p>{escape(text)}</p>",
    )
    page = f"<!DOCTYPE html>\n<html><head>{meta}</head><body>\n{body}\n</body></html>\n"
    try:
        return page.encode(encoding), encoding
    except UnicodeEncodeError:
        return page.replace(meta, '<meta charset="utf-8">').encode("utf-8"), "utf-8"


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(blocks: list) -> bytes:
    """A minimal Word document: paragraphs and tables in word/document.xml."""

    def paragraph(text: str) -> str:
        run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        return f"<w:p>{run}</w:p>"

    body = _markup(
        blocks,
        table=("<w:tbl>", "</w:tbl>"),
        row=("<w:tr>", "</w:tr>"),
        cell=lambda text: f"<w:tc>{paragraph(text)}</w:tc>",
        paragraph=paragraph,
    )
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W}><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _xlsx(blocks: list, rng: random.Random) -> bytes:
    """One sheet: a paragraph in column A, a table row across the columns, every table cell bordered (so an
    empty one exists, as in a real table); plain numbers stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Border, Side

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("年度报告")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def cell(value):
        written = WriteOnlyCell(sheet, value=_stored(value))
        written.border = border
        return written

    for block in blocks:
        for row in block.rows if isinstance(block, Table) else [None]:
            sheet.append([cell(c) for c in row.cells] if row else [block])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stored(cell):
    """A value cell whose token is a plain number is stored as a number, as Excel holds it."""
    text = _shown(cell)
    if isinstance(cell, Slot) and re.fullmatch(r"\d{1,15}", text):
        return int(text)
    return text or None


# --- truth -------------------------------------------------------------------------------------


def _number(value):
    """A value as JSON holds it (as Report.to_dict writes it): int when whole, else float."""
    if value is None or type(value) is int:
        return value
    return json_number(value)


def _json_ready(observations: dict) -> dict:
    """Observations as JSON holds them (values int or float); changed in place, for speed."""
    for observation in observations.values():
        if observation[0] is not None and type(observation[0]) is not int:
            observation[0] = json_number(observation[0])
    return observations


def _plain_label(text: str) -> str:
    return text.replace("\u3000", " ").strip()


def _status(decisions) -> str:
    """A mapped value's status from its decisions' two flags (README "Status of a value"): approx when any
    meaning is approximate, else summed when fields are added, else exact."""
    if any(d.meaning == "approx" for d in decisions):
        return "approx"
    return "summed" if len(decisions) > 1 or decisions[0].combination == "summed" else "exact"


class _Truth:
    """What the report holds, from what was written and the mapping tables' decisions.

    An observation is [value, status, line]; `mapped` counts the printed numbers a 2021 cell uses.
    """

    def __init__(self, plan: _Plan, spec: Spec, build: _Builder):
        self.plan, self.m, self.spec, self.build = plan, plan.m, spec, build
        self.findings: list[str] = []
        self.failed: list[str] = []
        self.unmapped: list[dict] = []
        self.mapped_numbers = 0
        self.slots = [c for t in build.tables for r in t.rows if r.data for c in r.cells if isinstance(c, Slot)]
        self.fields: dict[str, Slot] = {}
        for slot in self.slots:
            if slot.annual:
                self.fields.setdefault(slot.key, slot)
        if spec.format != "legacy":  # a template table yields every cell: one the text lacks is there, empty
            for cell_id, column, label in plan.cells[spec.format]:
                if cell_id not in self.fields:
                    self.fields[cell_id] = Slot(cell_id, None, column=column, label=label)

    def compute(self) -> dict:
        fmt = self.spec.format
        observations = self.current() if fmt == "2021" else self.older(self.m.maps[fmt])
        self.derive(observations)
        self.check(self.plan.schema_rules, observations)
        self.table_findings()
        unmapped_numbers = sum(1 for u in self.unmapped if u["value"] is not None)
        printed = sum(1 for s in self.slots if s.value is not None)
        return {
            "agency": self.build.agency(pinyin=False),
            "year": self.build.year,
            "format": fmt,
            "variant": self.spec.variant,
            "observations": _json_ready(observations),
            "unmapped": [dict(u, value=_number(u["value"])) for u in self.unmapped],
            "ledger": {
                "source_numbers": printed,
                "mapped": self.mapped_numbers,
                "unmapped": unmapped_numbers,
                "balanced": printed == self.mapped_numbers + unmapped_numbers,
            },
            "findings": sorted(self.findings),
            "failed_rules": sorted(self.failed),
            "changed": next((s.key for s in self.slots if s is self.build.changed), None),
        }

    # observations

    def current(self) -> dict:
        observations = {}
        for cell_id in self.plan.printed:
            slot = self.fields[cell_id]
            if slot.value is None:
                observations[cell_id] = [None, "missing", slot.line]
            else:
                observations[cell_id] = [slot.value, "reported", slot.line]
                self.mapped_numbers += 1
        return observations

    def older(self, decisions) -> dict:
        feeds: dict[str, list] = {}
        for key, slot in self.fields.items():
            decision = decisions.get(key)
            if decision is None or decision.meaning == "none":
                self.unmap(slot, decision.note if decision else "no decision in the mapping table", key=key)
            else:
                feeds.setdefault(decision.target, []).append((decision, slot))
        for slot in self.slots:
            if not slot.annual:
                self.unmap(slot, _column(self.m, slot.column).note, key=slot.key)
        if self.spec.format == "legacy":
            self.legacy_source_checks()
        observations = {}
        for cell_id, printed in self.plan.schema:
            if cell_id in feeds:
                observations[cell_id] = self.mapped(feeds[cell_id])
            elif printed:
                observations[cell_id] = [None, "not_collected", None]
        return observations

    def mapped(self, pairs: list) -> list:
        """One 2021 cell from the preferred group of its sources; the other sources are compared with it."""
        if len(pairs) == 1 and pairs[0][0].combination != "summed":  # the common case, kept fast
            decision, slot = pairs[0]
            if slot.value is None:
                return [None, "missing", slot.line]
            self.mapped_numbers += 1
            return [slot.value, _status([decision]), slot.line]
        best = min(d.priority for d, _ in pairs)
        used = [(d, s) for d, s in pairs if d.priority == best]
        alternatives = [s for d, s in pairs if d.priority != best]
        self.mapped_numbers += sum(1 for _, s in pairs if s.value is not None)
        first = used[0][0]
        line = next((s.line for s in [s for _, s in used] + alternatives if s.line is not None), None)
        needed = self.plan.summands.get((first.target, first.priority, first.variant), ())
        if first.combination == "summed" and not all(n in self.fields for n in needed):
            return [None, "missing", line]
        if any(s.value is None for _, s in used):
            return [None, "missing", line]
        value = sum(s.value for _, s in used)
        status = _status([d for d, _ in used])
        self.findings += ["conflicting-sources" for s in alternatives if s.value is not None and s.value != value]
        return [value, status, line]

    def unmap(self, slot: Slot, reason: str, *, key: str) -> None:
        self.unmapped.append(
            {
                "key": key,
                "label": _plain_label(slot.label),
                "column": slot.column,
                "value": slot.value,
                "reason": reason,
                "line": slot.line,
            }
        )

    def derive(self, observations: dict) -> None:
        """Derived cells not set by a mapping: the sum of their parts, never a partial sum."""
        for cell_id, parts in self.plan.derived:
            if cell_id in observations:
                continue
            values = [observations[p] for p in parts]
            if any(v[1] == "not_collected" for v in values):
                observations[cell_id] = [None, "not_collected", None]
            elif any(v[0] is None for v in values):
                observations[cell_id] = [None, "missing", None]
            else:
                observations[cell_id] = [sum(v[0] for v in values), "derived", None]

    # findings

    def check(self, rules, observations: dict) -> None:
        """Sum rules as the tables state them: failed ones and the families that cannot be checked."""
        families: set[str] = set()
        last = max((o[2] for o in observations.values() if o[2] is not None), default=None)
        for name, family, left, right, tolerance, operator in rules:
            # Rows the report never printed are left out (unless nothing follows the printed ones: a cut
            # table); so are a '>=' rule's members the format lacks.
            if any(i not in observations for i in list(left) + list(right)):
                lines = [observations[i][2] for i in list(left) + list(right) if i in observations]
                lines = [line for line in lines if line is not None]
                if not lines or last is None or max(lines) >= last:
                    continue
            right = [i for i in right if i in observations]
            if operator == ">=":
                right = [i for i in right if observations[i][1] != "not_collected"]
            if not right or any(i not in observations for i in left):
                continue
            parts = [observations[i] for i in list(left) + right]
            if any(p[1] == "not_collected" for p in parts):
                continue
            if any(p[0] is None for p in parts):
                families.add(family)
                continue
            gap = sum(p[0] for p in parts[: len(left)]) - sum(p[0] for p in parts[len(left) :])
            holds = {"=": abs(gap) <= tolerance, "<=": gap <= tolerance, ">=": -gap <= tolerance}[operator]
            if not holds:
                self.failed.append(name)
                self.findings.append("sum-mismatch")
        self.findings += ["rule-incomplete"] * len(families)

    def legacy_source_checks(self) -> None:
        source = {key: [slot.value, "reported", slot.line] for key, slot in self.fields.items()}
        self.check(self.plan.legacy_rules, source)
        self.findings += ["missing-value" for slot in self.fields.values() if slot.value is None]

    def table_findings(self) -> None:
        if self.spec.format == "legacy":
            return
        for table in self.build.tables:
            for row in table.rows:
                if row.data and any(isinstance(c, Slot) and c.value is None for c in row.cells):
                    self.findings.append("missing-value")
        if self.build.cut:
            name = self.build.cut[0]
            later = ("四",) if name == "三" else ()
            self.findings += ["truncated-table"] + ["table-not-found"] * len(later)
