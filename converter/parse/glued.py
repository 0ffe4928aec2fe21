"""Tables a crawler glued into one line: cut them back into cells, and cut glued digits only where the
table's own arithmetic decides.

Crawled pages often hold a whole table on one line with every separator lost:
「主动公开文件数条294981916其中：1、政府网站公开数条2949819162、政府公报公开数条00」. The line is cut at
digit runs, units and known labels; a run's trailing digit that stands before 「、」 or 「.」 is the
next row's ordinal. The digits of one run may hold several cells (294981916 = 2949 | 81916): the
readers split them with `split_run` (splits.py), which keeps only the splits that no number starting with 0, the
row's sum rules and 本年 ≤ 历年累计 allow. One split left: taken and said so; several: no value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from ..mapping import Mappings
from ..normalize import half_width
from ..read.cells import Cell
from ..read.values import UNITS

# A line this long that holds table words is a glued table, not a label.
_LONG = 60
# Words that only a statistical table prints: where the first one stands, the table begins.
_TABLE_STARTS = (
    "指标名称",
    "统计指标",
    "第二十条第",
    "本列数据的勾稽关系",
    "申请人情况",
    "本年新收政府信息公开申请数量",
    "行政复议行政诉讼结果维持",
)
_LEGACY_STARTS = ("指标名称", "统计指标")
# 二、主动公开政府信息情况 … 四、政府信息公开行政复议、行政诉讼情况: the numbered headings of the tables.
_SECTION_HEADING = re.compile(r"[二三四五六七八九]、[\u4e00-\u9fff、，,]{2,30}?情况")
# Where the section after the tables begins, the glued table ends.
_TABLE_ENDS = ("存在的主要问题", "其他需要报告的事项", "各子栏目数总数要等于总栏目数量")
# A number as a glued or flattened line prints it: digits, a thousands separator (5,781), a decimal part.
_NUMBER_TEXT = r"-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_RUN = re.compile(rf"{_NUMBER_TEXT}(?:[ \u3000]+{_NUMBER_TEXT})*")
_ORDINAL_MARKS = "、.．,，"
_UNIT_ALTERNATION = "|".join(sorted(UNITS, key=len, reverse=True))
_TRAILING_UNIT = re.compile(rf"(?:{_UNIT_ALTERNATION})$")
_LEADING_UNIT = re.compile(rf"^(?:{_UNIT_ALTERNATION})(?![\u4e00-\u9fff]{{0,1}}数)")
# A glued table has at least this many digit runs after its first table word, and digits and known
# labels make up at least this share of its text (prose that quotes a table's numbers: far less).
_MIN_RUNS = 1
_MIN_TABLE_SHARE = 0.5
# Units and numbering marks of a table's rows (条 件 元, 1、 2.) count as table text too.
_TABLE_MARKS = frozenset("条件元次项个人、.:：-")


def cut_glued(cells: list[Cell], mappings: Mappings) -> list[Cell]:
    """The cells with every glued table line cut into label and value cells, and every run of labels a
    flattened line left in one cell (第二十条第（五）项 信息内容 本年处理决定数量 行政许可) cut at its known labels."""
    out: list[Cell] = []
    for cell in cells:
        start = _table_start(cell, mappings) if cell.is_label and len(cell.text) > _LONG else None
        if start is not None:
            out += _cut(cell, start, mappings)
        elif cell.is_label and " " in cell.text.strip() and len(cell.text) <= _MAX_LABEL_RUN:
            out += _split_label_run(cell, mappings)
        else:
            out.append(cell)
    return out


# A run of labels longer than this is prose.
_MAX_LABEL_RUN = 400


def _split_label_run(cell: Cell, mappings: Mappings) -> list[Cell]:
    """A label cell holding several known labels, as a flattened line leaves them, cut into one cell each.

    Left whole when it is one label the tables know, or holds fewer than two known labels.
    """
    runs = mappings.cache.setdefault("glued-label-runs", {})  # reports of an archive repeat their labels
    pieces = runs.get(cell.text, False)
    if pieces is False:
        if len(runs) >= _KEPT_LABEL_RUNS:
            runs.clear()
        pieces = runs[cell.text] = _label_run_pieces(cell.text, mappings)
    return [cell] if pieces is None else [_label(piece, cell) for piece in pieces]


_KEPT_LABEL_RUNS = 20_000


def _label_run_pieces(printed: str, mappings: Mappings) -> list[str] | None:
    """The known labels a run of labels is cut into, or None to keep it whole."""
    text = re.sub(r"\s+", "", half_width(printed))
    if mappings.normalizer.key(text) in _known_keys(mappings):
        return None  # one label, spaced out (规 章): kept as printed
    legacy = any(word in mappings.normalizer.simplified(text) for word in _LEGACY_STARTS)
    simplify = mappings.normalizer.simplified
    pieces = _split_known(text, _legacy_headers(mappings) if legacy else _known_labels(mappings), simplify)
    known = _known_labels(mappings) + _legacy_headers(mappings)
    if sum(1 for piece in pieces if simplify(piece) in known) < 2:
        return None
    return pieces


def _known_keys(mappings: Mappings) -> frozenset[str]:
    cached = mappings.cache.get("glued-keys")
    if cached is None:
        cached = mappings.cache["glued-keys"] = frozenset(mappings.normalizer.key(k) for k in _known_labels(mappings))
    return cached


def _table_start(cell: Cell, mappings: Mappings) -> int | None:
    text = half_width(cell.text)
    simplified = mappings.normalizer.simplified(text)
    if len(simplified) != len(text) or not _RUN.search(text):
        return None
    found = [simplified.find(word) for word in _TABLE_STARTS]
    found = [f for f in found if f >= 0]
    if not found:
        return None
    start = min(found)
    ends = [e for e in (simplified.find(word, start) for word in _TABLE_ENDS) if e >= 0]
    body = simplified[start : min(ends) if ends else len(text)]  # known labels are looked for in Simplified
    if len(_RUN.findall(body)) < _MIN_RUNS or _table_share(body, mappings) < _MIN_TABLE_SHARE:
        return None  # prose that names a table and quotes a few of its numbers, not a table
    return start


def _table_share(body: str, mappings: Mappings) -> float:
    """The share of the text that is digits or labels the mapping tables know."""
    labels = sum(len(m.group()) for m in _any_known_label(mappings).finditer(body))
    rest = sum(1 for ch in body if ch.isdigit() or ch.isspace() or ch in _TABLE_MARKS)
    return (labels + rest) / max(len(body), 1)


def _any_known_label(mappings: Mappings) -> re.Pattern:
    cached = mappings.cache.get("glued-any-label")
    if cached is None:
        legacy = {half_width(row.label) for row in mappings.legacy_rows.values() if len(row.label) >= 2}
        words = set(_known_labels(mappings)) | set(_legacy_headers(mappings)) | legacy
        ordered = sorted(words, key=len, reverse=True)
        cached = mappings.cache["glued-any-label"] = re.compile("|".join(map(re.escape, ordered)))
    return cached


def _cut(cell: Cell, start: int, mappings: Mappings) -> list[Cell]:
    text = half_width(cell.text)
    simplified = mappings.normalizer.simplified(text)
    ends = [e for e in (simplified.find(word, start) for word in _TABLE_ENDS) if e >= 0]
    end = min(ends) if ends else len(text)
    out = [_label(text[:start], cell)] if text[:start].strip() else []
    legacy = simplified.startswith(_LEGACY_STARTS, start)
    known = _legacy_headers(mappings) if legacy else _known_labels(mappings)
    out += _cut_body(text[start:end], cell, known, units=legacy, simplify=mappings.normalizer.simplified)
    if end < len(text):
        word = next(w for w in _TABLE_ENDS if simplified.startswith(w, end))
        out.append(_label(word, cell))
        if text[end + len(word) :].strip():
            out.append(_label(text[end + len(word) :], cell))
    return out


def _cut_body(body: str, cell: Cell, known: tuple[str, ...], *, units: bool, simplify=None) -> list[Cell]:
    """`units`: rows print their unit after the label (legacy tables: 主动公开文件数条2949…)."""
    out: list[Cell] = []
    position = 0
    for match in _RUN.finditer(body):
        run_start, run_end = match.span()
        run = match.group()
        if run_start < position or _part_of_label(body, run_start, run_end):
            continue
        after = body[run_end : run_end + 2]
        if len(after) == 2 and after[0] in _ORDINAL_MARKS and not after[1].isdigit():
            run, run_end = run[:-1].rstrip(), run_end - 1  # the next row's ordinal: 「…00 2、政府公报」
            if not run or run.endswith("-"):
                continue
        out += _segment_cells(body[position:run_start], cell, known, out, units, simplify)
        out += [_value(piece, cell) for piece in run.split()]
        position = run_end
    out += _segment_cells(body[position:], cell, known, out, units, simplify)
    return out


def _part_of_label(body: str, start: int, end: int) -> bool:
    """Digits that are words of a label: a year (2015年度, 2011 年度), a bracketed ordinal ((1), 第1项)."""
    before, after = body[start - 1 : start], body[end:].lstrip()[:1]
    return after in ("年", "月", "日", "项", ")", "]", "%") or before in ("第", "(", "[")


def _segment_cells(
    segment: str, cell: Cell, known: tuple[str, ...], previous: list[Cell], units: bool, simplify=None
) -> list[Cell]:
    """A stretch of text between two runs: a unit that closes the last values, labels, a unit."""
    segment = segment.strip()
    unit = _LEADING_UNIT.match(_seen(segment, simplify))
    if unit and previous and previous[-1].kind == "value":
        previous[-1] = _with_unit(previous[-1], segment[: unit.end()])
        segment = segment[unit.end() :].strip()
    if not segment:
        return []
    segment = re.sub(r"\s+", "", segment)  # 「规 章」「计量 单位」: a flattened line spaces out its labels
    trailing = _TRAILING_UNIT.search(_seen(segment, simplify)) if units else None  # 條 is 条
    words = segment[: trailing.start()] if trailing and trailing.start() > 0 else segment
    out = [_label(word, cell) for word in _split_known(words.strip(), known, simplify) if word.strip()]
    if trailing and trailing.start() > 0:
        out.append(_label(segment[trailing.start() :], cell))
    return out


def _seen(text: str, simplify) -> str:
    """The text as labels and units are looked for in it: Simplified where that keeps its length."""
    seen = simplify(text) if simplify else text
    return seen if len(seen) == len(text) else text


def _split_known(text: str, known: tuple[str, ...], simplify=None) -> list[str]:
    """Text cut before and after every known label it holds (longest first, left to right); a numbered
    section heading (四、政府信息公开行政复议、行政诉讼情况) stays whole although it holds known labels.

    Labels are looked for in the Simplified form of the text (`simplify`) where it keeps the text's length,
    so that a Traditional page is cut at the same labels; the pieces keep the script the page printed."""
    seen = _seen(text, simplify)
    pieces, start = [], 0
    for match in _heading_or_label(known).finditer(seen):
        if start < match.start():
            pieces.append(text[start : match.start()])
        pieces.append(text[match.start() : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


@functools.lru_cache(maxsize=16)
def _heading_or_label(known: tuple[str, ...]) -> re.Pattern:
    """A numbered section heading, else the first of `known` (longest first) that starts here: one pattern,
    because trying each label at each character was most of the time spent on a glued page."""
    return re.compile("|".join([_SECTION_HEADING.pattern, *map(re.escape, known)]))


def _known_labels(mappings: Mappings) -> tuple[str, ...]:
    """Printed labels of the 2019 and 2021 tables (half-width), longest first."""
    cached = mappings.cache.get("glued-labels")
    if cached is None:
        labels = set()
        for cell in [*mappings.printed(), *mappings.layout_2019]:
            labels.add(cell.row_label)
            labels.add(cell.column_label)
            labels.update(cell.group.split(" / "))
        labels = {half_width(label).replace(" ", "") for label in labels if len(label) >= 2}
        cached = mappings.cache["glued-labels"] = tuple(sorted(labels, key=len, reverse=True))
    return cached


def _legacy_headers(mappings: Mappings) -> tuple[str, ...]:
    """The header words of the legacy statistical tables: a glued header is cut at them."""
    # 「2015年度」 is one header word: the column named after the year (legacy_columns.csv 年度) is not cut out of it
    words = {c.header for c in mappings.legacy_columns if len(c.header) >= 2 and c.header != "年度"} | set(
        _LEGACY_STARTS
    )
    return tuple(sorted(words, key=len, reverse=True))


def _label(text: str, cell: Cell) -> Cell:
    return Cell(text.strip(), cell.line, "label", input_kind=cell.input_kind, page=cell.page, sheet=cell.sheet)


def _value(piece: str, cell: Cell) -> Cell:
    return Cell(
        piece,
        cell.line,
        "value",
        Decimal(piece.replace(",", "")),
        glued=True,
        input_kind=cell.input_kind,
        page=cell.page,
        sheet=cell.sheet,
    )


def _with_unit(cell: Cell, unit: str) -> Cell:
    return Cell(
        cell.text + unit,
        cell.line,
        cell.kind,
        cell.value,
        unit,
        cell.input_kind,
        cell.page,
        cell.sheet,
        glued=cell.glued,
    )


# --- the report's own prose as a witness between readings


@dataclass(frozen=True)
class ProseFigure:
    """A number printed in a sentence, with its unit: 「集中公开现行有效行政规范性文件698件」."""

    value: Decimal
    unit: str
    sentence: str  # the clause that states it: Simplified, half-width


# A figure speaks of the row named in its own clause: 「2015年主动公开政府信息2949条，其中…」
_SENTENCE_END = re.compile(r"[。；;！？!?，,、：:]")
_FIGURE = re.compile(rf"(?<![\d.])(\d[\d,]*(?:\.\d+)?)\s*({_UNIT_ALTERNATION})")
_MIN_SENTENCE = 20
_PROSE_MARKS = re.compile(r"[。，,；;]")
# Small numbers (0, 1, 7 …) stand in too many sentences to tell two readings apart.
_MIN_WITNESS = 10
_KEY_WINDOW = 4


class ProseFigures:
    """Every number-with-unit in the report's sentences (label cells that read as prose), found on first use:
    only a glued row with several readings asks for them, and most reports have none."""

    def __init__(self, cells: list[Cell], mappings: Mappings):
        self._cells, self._mappings = cells, mappings
        self._figures: tuple[ProseFigure, ...] | None = None

    def __iter__(self):
        if self._figures is None:
            self._figures = _figures_of(self._cells, self._mappings)
        return iter(self._figures)


def _figures_of(cells: list[Cell], mappings: Mappings) -> tuple[ProseFigure, ...]:
    figures = []
    for cell in cells:
        if not (cell.is_label and len(cell.text) >= _MIN_SENTENCE and _PROSE_MARKS.search(cell.text)):
            continue
        text = mappings.normalizer.clean(cell.text)
        for sentence in _SENTENCE_END.split(text):
            for match in _FIGURE.finditer(sentence):
                figures.append(ProseFigure(Decimal(match.group(1).replace(",", "")), match.group(2), sentence))
    return tuple(figures)


def prose_witness(candidates: list[list[Decimal]], row_key: str, figures) -> int | None:
    """The one reading whose numbers the report's own sentences about this row state most often, if one
    stands out; None when the prose says nothing that tells the readings apart."""
    windows = {row_key[i : i + _KEY_WINDOW] for i in range(max(len(row_key) - _KEY_WINDOW + 1, 1))}
    stated = {f.value for f in figures if f.value >= _MIN_WITNESS and any(w in f.sentence for w in windows)}
    scores = [sum(1 for n in candidate if n in stated) for candidate in candidates]
    best = max(scores, default=0)
    if best == 0 or scores.count(best) != 1:
        return None
    return scores.index(best)
