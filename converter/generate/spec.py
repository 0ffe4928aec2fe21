"""How a generated report looks: the formats, kinds, layouts, scripts and noise to choose from, the
agencies and years of a series, and the printed shape every module of the generator passes around
(Spec; Slot, Row and Table: the report as rows of printed cells)."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal

FORMATS = ("legacy", "2019", "2021")
KINDS = ("text", "html", "docx", "xlsx")
# The layouts of the first generator; the corpus of a seed draws among these (its old reports stay as they were).
_CLASSIC_LAYOUTS = ("cell-per-line", "blank-lines", "pipes", "markdown", "tabs", "broken-rows", "spaces", "one-line")
# Crawled pages: each table on one line, cells separated by single spaces (flattened) or by nothing (glued).
_CRAWLED_LAYOUTS = ("flattened", "glued")
LAYOUTS = _CLASSIC_LAYOUTS + _CRAWLED_LAYOUTS
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
    # patterns of pages nobody here wrote (drawn only when a spec asks for patterns):
    "pipe-blanks",  # a blank cell as a line holding only 「|」, or empty pieces of a pipe row (label | | | 0 |)
    "renamed-rows",  # a legacy edition the mapping tables do not know: labels reworded, a new row
)
_CLASSIC_NOISE = NOISE[: NOISE.index("pipe-blanks")]

# Layouts in which a cell can be left empty (a blank slot between two values, or after the last one).
_BLANKS_READABLE = {"pipes", "markdown", "tabs", "broken-rows", "one-line"}
# The legacy table: 统计指标 | 单位 | 统计数, one row per line; values are never space-separated.
_LEGACY_LAYOUTS = ("cell-per-line", "blank-lines", "pipes", "markdown", "tabs", "one-line")
# A glued legacy form with a code column (定西: 01 02 …) runs the code into the values: not generated.
_GLUED_VARIANTS = ("national", "putian-2009", "buyu-ranges", "pingtan-2018")
# Noise that leaves a glued table's digits as they are (plain digits, no dashes, units or separators).
_GLUED_NOISE = ("half-width-brackets", "aliases", "renamed-rows")
# The local legacy forms: header cell, column headers ({year} is the report's year) and the years they were used.
LEGACY_FORMS = {
    "national": ("统 计 指 标", ("单位", "统计数"), (2014, 2018)),
    "dingxi-2008": ("指 标 名 称", ("计量单位", "代码", "本期实际", "本年累计"), (2008, 2013)),
    "putian-2009": ("指 标 名 称", ("计量单位", "{year} 年度", "历年累计"), (2009, 2013)),
    "buyu-ranges": ("统 计 指 标", ("单位", "统计数"), (2008, 2013)),
    "pingtan-2018": ("指标名称", ("计量单位", "{year}年度", "历年累计"), (2014, 2018)),
}
VARIANTS = tuple(LEGACY_FORMS)
_YEARS = {"2019": (2019, 2020), "2021": (2021, 2025)}
SERIES_YEARS = range(2011, 2026)  # local legacy forms, the national table (2014-), the 2019 and 2021 formats
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
    headings: bool = True  # False: the section headings 二、三、四、 are left out (an excerpt, a flip-book page)
    starts_inside: bool = False  # the page begins inside table 三: table 二 and 三's first rows are not on it

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


def format_of(year: int) -> str:
    """The format a report for `year` is written in."""
    return "legacy" if year <= 2018 else "2019" if year <= 2020 else "2021"


def series_agency(rng: random.Random) -> tuple[tuple[str, str, str], str, str]:
    """An agency, the local legacy form it used before 2014 and the table it used from 2014 to 2018."""
    local = rng.choice([v for v, (_, _, (first, _)) in LEGACY_FORMS.items() if first < 2014])
    return random_agency(rng), local, "pingtan-2018" if rng.random() < 0.2 else "national"


def choose_spec(
    rng: random.Random,
    *,
    formats=FORMATS,
    kinds=("text",),
    year: int | None = None,
    agency: tuple[str, str, str] | None = None,
    variant: str | None = None,
    patterns: random.Random | None = None,
) -> Spec:
    """A random report shape among what the parser is meant to read (year, agency, form as given); with
    `patterns`, a random source apart (so that the other draws stay as they were), some reports take the
    patterns of pages nobody here wrote: crawled layouts, no headings, a page that starts inside a table."""
    fmt = format_of(year) if year else rng.choice(list(formats))
    if variant is None:
        variant = rng.choice(list(LEGACY_FORMS)) if fmt == "legacy" else ""
    if year is None:
        year = rng.randint(*years_for(fmt, variant))
    kind = rng.choice(list(kinds))
    layout = rng.choice(layouts_for(fmt)) if kind == "text" else "pipes"  # a document's tables are its layout
    script = rng.choice(SCRIPTS)
    encoding = rng.choice(encodings_for(script, kind))
    noise = tuple(n for n in _CLASSIC_NOISE if rng.random() < 0.3 and noise_fits(n, fmt, layout))
    spec = Spec(
        fmt,
        variant,
        year,
        agency or random_agency(rng),
        layout,
        script,
        encoding,
        kind,
        noise,
        truncated=rng.random() < 0.15,
        broken_rule=rng.random() < 0.2,
    )
    return add_patterns(spec, patterns) if patterns is not None else spec


def add_patterns(spec: Spec, rng: random.Random) -> Spec:
    """Some of the patterns of pages nobody here wrote, drawn from `rng`, as far as they fit the spec."""
    changes: dict = {}
    if spec.kind == "text" and rng.random() < 0.35:
        changes["layout"] = rng.choice(_CRAWLED_LAYOUTS)
    if rng.random() < 0.3:
        changes["headings"] = False
    if rng.random() < 0.15:
        changes["starts_inside"] = True
    extra = tuple(n for n in ("pipe-blanks", "renamed-rows") if rng.random() < 0.4)
    return fit_patterns(replace(spec, noise=spec.noise + extra, **changes))


def fit_patterns(spec: Spec) -> Spec:
    """The spec with every choice that does not fit the others dropped, so that the text still tells."""
    fmt, layout, kind = spec.format, spec.layout, spec.kind
    if kind != "text" and layout in _CRAWLED_LAYOUTS:
        layout = "pipes"
    if layout == "glued" and spec.variant and spec.variant not in _GLUED_VARIANTS:
        layout = "flattened"
    changes: dict = {"layout": layout}
    if layout == "glued":  # no separator at all: only plain digits, no damage the arithmetic cannot see through
        # and a glued line is a table only where it starts at a table word (指标名称, 申请人情况 …)
        changes.update(truncated=False, broken_rule=False, starts_inside=False)
        if spec.script == "traditional-pinyin":
            changes["script"] = "traditional"
            changes["encoding"] = spec.encoding if spec.encoding in encodings_for("traditional", kind) else "utf-8"
    if fmt == "legacy":
        changes["headings"] = True
    if fmt == "legacy" or kind != "text" or layout == "glued":
        changes["starts_inside"] = False
    if changes.get("starts_inside", spec.starts_inside):
        changes["truncated"] = False
    noise = tuple(n for n in spec.noise if noise_fits(n, fmt, layout))
    return replace(spec, noise=noise, **changes)


def years_for(fmt: str, variant: str = "") -> tuple[int, int]:
    """The first and last year a format (a legacy form) was used in."""
    return LEGACY_FORMS[variant][2] if fmt == "legacy" else _YEARS[fmt]


def layouts_for(fmt: str, *, patterns: bool = False) -> tuple[str, ...]:
    """The text layouts a format is written in (a legacy table is never space-separated, unless a crawler
    flattened it); `patterns`: the crawled layouts too."""
    layouts = _LEGACY_LAYOUTS if fmt == "legacy" else _CLASSIC_LAYOUTS
    return layouts + _CRAWLED_LAYOUTS if patterns else layouts


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
    if layout == "glued":
        return noise in _GLUED_NOISE and noise_fits(noise, fmt, "pipes")
    if layout == "flattened" and noise in ("blanks", "dashes", "notes", "pipe-blanks"):
        return False  # among space-separated cells a blank is not there, a dash or a note reads as a label
    if noise == "pipe-blanks":
        return layout in ("cell-per-line", "pipes") and fmt != "legacy"
    if noise == "renamed-rows":
        return fmt == "legacy"
    if noise == "blanks":  # legacy rows hold one annual value after the unit: a blank there cannot be told from layout
        return layout in _BLANKS_READABLE and fmt != "legacy"
    if noise == "dashes":
        return layout != "spaces"  # 「规章 0 — 0」: a dash among space-separated numbers reads as part of the label
    if noise == "signed":
        return fmt == "2019"
    if noise == "aliases":
        return fmt == "legacy"
    return True


def random_agency(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(_PLACES), rng.choice(_COUNTIES), rng.choice(_BODIES)
