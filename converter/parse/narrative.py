"""Figures printed in a report's prose (主动公开政府信息2258条), read with the phrasings of
mappings/narrative.csv, and checked against the table row that counts the same quantity.

Only lines outside the tables are read: a figure of a table line is never a narrative figure. A figure
whose sentence makes it a part, an approximation, a change, a range or another period's figure is kept
as a near miss (status not_taken, with the reason) and never enters the series.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal

from ..mapping import Mappings
from ..mapping_narrative import NarrativeIndicator, Phrasing
from ..model import Finding, NarrativeFigure, Report
from ..normalize import strip_pinyin

# A sentence ends at 。！？； (printed full- or half-width); a figure's context never crosses one.
_ENDS = "。！？；!?;"
_SENTENCE_END = re.compile(rf"(?<=[{_ENDS}])")
# A line this long that does not end a sentence was wrapped (PDF text, hard-wrapped pages): the sentence
# goes on in the next line. A shorter one is a heading, and so is a numbered one of up to twice this.
WRAPPED_LINE = 15
_NUMBERED = re.compile(r"[(（]?[一二三四五六七八九十\d]+[)）、.．]")
# 1,234 (after half-width folding): a comma before exactly three digits is a thousands separator.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
TABLE_STATUSES = ("reported", "exact")  # 2021 cells a prose figure is compared with


def read_narrative(
    lines: list[str],
    table_lines: Iterable[int],
    mappings: Mappings,
    *,
    year: int | None,
    input_kind: str = "text",
) -> list[NarrativeFigure]:
    """Every figure the prose gives for an indicator of narrative.csv, with its line (1-based), skipping
    the lines of the tables; near misses come back with status not_taken."""
    figures, hint = [], mappings.narrative.hint
    for pieces in _sentences(lines, set(table_lines)):
        sentence = "".join(piece for _, piece in pieces)
        if hint.search(sentence):
            figures += _sentence_figures(sentence, pieces, mappings, year, input_kind)
    return figures


def _sentences(lines: list[str], skip: set[int]) -> Iterator[list[tuple[int, str]]]:
    """The prose's sentences as (line, piece) lists: a sentence wrapped across lines (as a PDF's text is)
    is one sentence; a short line without a sentence end is a heading and stands alone."""
    pending: list[tuple[int, str]] = []
    for number, text in enumerate(lines, start=1):
        text = text.strip()
        if number in skip or not text:
            if pending:
                yield pending
            pending = []
            continue
        for piece in _SENTENCE_END.split(text):
            if piece:
                pending.append((number, piece))
            if piece and piece[-1] in _ENDS:
                yield pending
                pending = []
        if pending and _heading(text):
            yield pending
            pending = []
    if pending:
        yield pending


def _heading(text: str) -> bool:
    """A line that ends without ending its sentence: a heading, unless it is long (a wrapped line)."""
    text = re.sub(r"\s+", "", strip_pinyin(text))
    return len(text) < WRAPPED_LINE or (_NUMBERED.match(text) is not None and len(text) < 2 * WRAPPED_LINE)


def clean_sentence(sentence: str, mappings: Mappings) -> str:
    """What phrasings are matched against: Simplified, half-width, no pinyin, no spaces, no separators."""
    text = re.sub(r"\s+", "", mappings.normalizer.clean(sentence))
    return _THOUSANDS.sub("", text)


def _sentence_figures(
    sentence: str, pieces: list[tuple[int, str]], mappings: Mappings, year: int | None, input_kind: str
) -> list[NarrativeFigure]:
    """A figure goes to the first indicator (in the table's order) whose phrasing finds it."""
    text = clean_sentence(sentence, mappings)
    claimed: set[tuple[int, int]] = set()
    found = []
    for indicator in mappings.narrative.indicators.values():
        for phrasing in indicator.phrasings:
            for match in phrasing.regex.finditer(text):
                if match.span("n") in claimed:
                    continue
                claimed.add(match.span("n"))
                reason = _not_taken(text, match, mappings, year)
                line = _line_of(match.group("n"), pieces, mappings)
                found.append(
                    (match.start("n"), _figure(indicator, phrasing, match, sentence, line, reason, input_kind))
                )
    return [figure for _, figure in sorted(found, key=lambda pair: pair[0])]


def _line_of(raw: str, pieces: list[tuple[int, str]], mappings: Mappings) -> int:
    """The line a figure is printed on: of a sentence wrapped across lines, the first piece holding it."""
    if len({line for line, _ in pieces}) > 1:
        alone = re.compile(rf"(?<![\d.]){re.escape(raw)}(?![\d.])")  # 3 is not the 3 of 2023
        for line, piece in pieces:
            if alone.search(clean_sentence(piece, mappings)):
                return line
    return pieces[0][0]


def _not_taken(text: str, match: re.Match, mappings: Mappings, year: int | None) -> str:
    """Why the figure is not the year's figure for the indicator ("" when it is)."""
    figure = match.span("n")
    for rule in mappings.narrative.not_taken:
        regex = rule.phrasing.regex
        if rule.at_figure:
            hit = any(m.span("n") == figure for m in regex.finditer(text))
        else:  # words before the figure, from the start of its sentence
            hit = regex.search(text[: figure[1]]) is not None
        if hit:
            return f"{rule.label} ({rule.reason}: 「{rule.phrasing.text}」)"
    years = {int(y) for y in _YEAR.findall(text[: figure[0]])}
    if year is not None and years - {year}:
        return f"其他年度 ({'、'.join(f'{y}年' for y in sorted(years - {year}))}; period: not the report's year {year})"
    return ""


def _figure(
    indicator: NarrativeIndicator,
    phrasing: Phrasing,
    match: re.Match,
    sentence: str,
    line: int,
    reason: str,
    input_kind: str,
) -> NarrativeFigure:
    return NarrativeFigure(
        indicator.id,
        indicator.label,
        indicator.unit,
        Decimal(match.group("n")),
        "not_taken" if reason else "narrative",
        line,
        sentence=sentence,
        phrasing=phrasing.text,
        raw=match.group("n"),
        note=reason,
        input_kind=input_kind,
    )


# --- the prose against the tables -------------------------------------------------------------------


def check_narrative(report: Report, mappings: Mappings) -> None:
    """Compare each prose figure with the table figure of the same quantity (a legacy row, or a 2021 cell
    of a 2019/2021 report); say where they differ and where the prose gives two figures for one indicator.
    A legacy row that counts a narrative indicator joins the narrative series with status exact."""
    checked, stand_ins = [], []
    for indicator in mappings.narrative.indicators.values():
        table = _table_figure(report, indicator)
        prose = [f for f in report.narrative if f.id == indicator.id]
        for figure in prose:
            if figure.status == "narrative" and table is not None:
                figure = _compared(figure, table, report)
            checked.append(figure)
        if table is not None and report.format == "legacy":
            stand_ins.append(_stand_in(indicator, table))
        report.findings += _conflicts(indicator, [f for f in prose if f.status == "narrative"])
    report.narrative = stand_ins + sorted(checked, key=lambda f: f.line or 0)


def _table_figure(report: Report, indicator: NarrativeIndicator) -> tuple | None:
    """(value, line, label, key, raw) of the table's figure for the indicator's quantity, if printed."""
    if report.format == "legacy":
        for source in report.source_fields:
            if source.key in indicator.legacy_rows and source.value is not None:
                return source.value, source.line, source.row_label, source.key, source.raw
        return None
    obs = report.observations.get(indicator.cell) if indicator.cell else None
    if obs is None or obs.status not in TABLE_STATUSES or obs.value is None:
        return None
    return obs.value, obs.line, obs.label, obs.id, str(obs.value)


def _compared(figure: NarrativeFigure, table: tuple, report: Report) -> NarrativeFigure:
    value, line, label, key, _ = table
    where = f"表格「{label}」({key}) 第{line}行 table line {line}"
    if value == figure.value:
        return replace(figure, check="agrees", note=f"与{where} 一致 agrees: {_n(value)}")
    report.findings.append(
        Finding(
            "narrative-table-mismatch",
            f"文字部分与表格不一致 prose and table differ for {figure.label} ({figure.id}): 第{figure.line}行 line "
            f"{figure.line} 「{figure.sentence}」 says {_n(figure.value)}, {where} says {_n(value)}",
            figure.line,
            figure.id,
        )
    )
    return replace(figure, check="differs", note=f"与{where} 不一致 differs: table {_n(value)}")


def _stand_in(indicator: NarrativeIndicator, table: tuple) -> NarrativeFigure:
    value, line, label, key, raw = table
    return NarrativeFigure(
        indicator.id,
        indicator.label,
        indicator.unit,
        value,
        "exact",
        line,
        raw=raw,
        note=f"旧表行 legacy table row 「{label}」 ({key}) 第{line}行 line {line}",
    )


def _conflicts(indicator: NarrativeIndicator, prose: list[NarrativeFigure]) -> list[Finding]:
    if len({f.value for f in prose}) < 2:
        return []
    told = "; ".join(f"第{f.line}行 line {f.line} 「{f.sentence}」 = {_n(f.value)}" for f in prose)
    return [
        Finding(
            "narrative-conflict",
            f"文字部分对同一指标给出不同数字 the prose gives different figures for {indicator.label} "
            f"({indicator.id}): {told}; all are kept — check which is right",
            prose[1].line,
            indicator.id,
        )
    ]


def _n(value: Decimal | None) -> str:
    return "空 blank" if value is None else format(value.normalize(), "f")
