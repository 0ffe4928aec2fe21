"""Which format a report is in, which agency wrote it, for which year."""

from __future__ import annotations

import re

from ..mapping import FORMATS, Mappings
from ..normalize import half_width, strip_pinyin
from ..read.cells import Cell
from .tables import content_owners
from .template import find_heading

_MAX_LABEL = 80  # longer cells are narrative prose, never a table label

# An agency name: one or more place names, then the body (局, 委员会, 人民政府 ...), right before the year.
_PLACE = r"(?:[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗|镇|乡|街道))"
_BODY = r"(?:委员会|办公室|人民政府|政府|管理委员会|办事处|局|委|办|厅|院|中心|署|站|所|馆|队|会)"
_AGENCY_YEAR = re.compile(rf"(?P<agency>{_PLACE}+[\u4e00-\u9fff]{{0,20}}?{_BODY})\s*(?P<year>(?:19|20)\d\d)\s*年")
# 「2019年上海市人民政府办公厅政府信息公开工作年度报告」: the year first, then the agency.
_YEAR_AGENCY = re.compile(
    rf"(?P<year>(?:19|20)\d\d)\s*年度?\s*(?P<agency>{_PLACE}+[\u4e00-\u9fff]{{0,20}}?{_BODY})\s*(?:政府信息公开|政务公开)"
)
# 「平潭综合实验区2018年度政府信息公开工作年度报告」: a title line that opens with a place name and no body (局, 人民政府
# ...) before the year; the place itself reports (a 管委会 for its whole area). Only at the start of a line, and
# 我区 / 本市 / 全县 … are never a name.
_PLACE_TITLE = re.compile(
    rf"^\s*(?![我本全该][省市区县州旗镇乡])(?P<agency>{_PLACE}+)\s*(?P<year>(?:19|20)\d\d)\s*年度?\s*(?:政府信息公开|政务公开)"
)
# Words that lead into the agency name in a first sentence: 「现公布乌兰察布市市商务局2023年…」
_LEAD_INS = ("现予公布", "现公布", "现将", "特发布", "发布", "公布", "编制", "根据", "关于")
# Page furniture before a saved page's title line: 「标题: 平潭综合实验区2021年度…」
_FURNITURE = re.compile(r"^\s*(?:标题|題目|题目|标 题|文章标题|名称)\s*[:：]\s*")
# 「2020年报_审计局」: a flip-book's page furniture names the report by its year only.
_ANNUAL_REPORT = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年报")
_TITLE_YEAR = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年度?(?:政府)?(?:信息公开|政务公开)")


def detect_format(cells: list[Cell], mappings: Mappings) -> str | None:
    """The format whose marker labels appear most often; None when no marker appears at all."""
    keys = {mappings.normalizer.key(c.text) for c in cells if c.is_label and len(c.text) <= _MAX_LABEL}
    # One text of all label keys: a marker is in some key exactly when it is in this text, since
    # keys hold no line breaks (one search per marker instead of one per marker and label).
    labels = "\n".join(keys)
    scores = {fmt: 0 for fmt in FORMATS}
    for entry in mappings.formats:
        if entry.kind == "marker" and entry.keywords[0] in labels:
            scores[entry.format] += 1
    best = max(FORMATS, key=lambda fmt: scores[fmt])
    return best if scores[best] else None


# Tables 三 and 四 print the same labels in the 2019 and 2021 formats: a page holding only them is of
# the format in force for its report year (the 2021 format from the 2021 reports on).
_SHARED_TABLES = ("三", "四")
_FIRST_2021_YEAR = 2021
_FIRST_2019_YEAR = 2019


def infer_format(cells: list[Cell], year: int | None, mappings: Mappings) -> str | None:
    """The format of a page that prints no marker label but holds rows of tables 三 or 四, from its year."""
    if year is None or year < _FIRST_2019_YEAR:
        return None
    key = mappings.normalizer.key
    owners = content_owners("2021", mappings)
    headings = [e.keywords for e in mappings.entries("2021", "table") if e.table in _SHARED_TABLES]
    holds_rows = any(
        owners.get(key(c.text)) in _SHARED_TABLES for c in cells if c.is_label and len(c.text) <= _MAX_LABEL
    )
    if not holds_rows and not any(find_heading(cells, words, mappings.normalizer) is not None for words in headings):
        return None
    return "2021" if year >= _FIRST_2021_YEAR else "2019"


def detect_agency_year(
    lines: list[str], mappings: Mappings, *, before_line: int | None = None
) -> tuple[str | None, int | None]:
    """Agency and year from the title line or, failing that, the first sentences.

    The agency is returned as printed (script kept, pinyin annotations removed); only the search
    runs on the Simplified form.
    """
    limit = before_line if before_line is not None else min(len(lines), 40)
    year = None
    for line in lines[:limit]:
        printed = _FURNITURE.sub("", strip_pinyin(half_width(line)))
        simplified = mappings.normalizer.simplified(printed)
        match = _AGENCY_YEAR.search(simplified) or _YEAR_AGENCY.search(simplified) or _PLACE_TITLE.match(simplified)
        if match:
            return _printed_agency(printed, simplified, match), int(match["year"])
        if year is None and (title := _TITLE_YEAR.search(simplified) or _ANNUAL_REPORT.search(simplified)):
            year = int(title["year"])
    return None, year


# Where no title names the year: the statistical period (统计期限为2024年1月1日至…), else the first sentence
# that opens with a year and the reporting body (2019年我局…, 2020年度我街办…, 2022年以来，丰收乡…).
_PERIOD_YEAR = re.compile(r"统计(?:期限|时限|区间)[^。]{0,12}?(?P<year>(?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日")
_OPENING_YEAR = re.compile(
    r"(?:^|[。！；;\s])(?P<year>(?:19|20)\d\d)\s*年度?(?:以来)?\s*[,，]?\s*"
    r"(?:我|本|全|[\u4e00-\u9fff]{1,8}?(?:乡|镇|街道|街办|局|委|办|区|县|市|厅|处|中心))"
)


def year_from_text(lines: list[str], mappings: Mappings) -> tuple[int | None, str]:
    """The report year from the body of a text with no title: (year, the words it was read from)."""
    text = mappings.normalizer.simplified(half_width("\n".join(lines)))
    for pattern in (_PERIOD_YEAR, _OPENING_YEAR):
        match = pattern.search(text)
        if match:
            return int(match["year"]), match.group().strip()
    return None, ""


def _printed_agency(printed: str, simplified: str, match: re.Match) -> str:
    start, end = match.span("agency")
    name = match["agency"]
    for lead_in in _LEAD_INS:
        cut = name.rfind(lead_in)
        if cut >= 0:
            start += cut + len(lead_in)
            name = name[cut + len(lead_in) :]
    # The Simplified form is used for the search only; show the name in the report's own script.
    return printed[start:end].strip() if len(printed) == len(simplified) else name.strip()
