"""mappings/narrative.csv: the figures a report prints in its prose, and the phrasings that introduce them.

An archivist writes each phrasing in a spreadsheet, in a small regex-like syntax (README, 文字部分数据):

    …        up to GAP_LENGTH characters that are not digits and do not end a clause (, : 。 ; ! ?)
    N        the figure itself (digits; 1,234 and full-width digits are read as 1234)
    #        any other number (in not-taken phrasings: 1-6月 is `#-#月`)
    ^        the start of the sentence
    (a|b)    either a or b;  (a)? a or nothing
    other    the text itself, compared in Simplified script and half-width forms

Indicator rows (kind `indicator`) say where a figure is; `not-taken` rows say when a matched figure is not
the year's figure (a part, an approximation, a change, another period, a range). Patterns are checked and
compiled here, once per set of mapping tables; the extraction itself is in parse/narrative.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import Normalizer, to_traditional

NARRATIVE_KINDS = ("indicator", "not-taken")
NARRATIVE_COLUMNS = ("kind", "id", "label", "unit", "pattern", "legacy_rows", "cell")
GAP_LENGTH = 12
_GAP = rf"[^\d。!?;,:]{{0,{GAP_LENGTH}}}?"
_NUMBER = r"\d+(?:\.\d+)?"
_TOKENS = re.compile(r"…|\.\.\.|[N#^()|?]")
_SPECIAL = {"(": "(?:", ")": ")", "|": "|", "?": "?", "^": "^", "#": _NUMBER, "…": _GAP, "...": _GAP}


@dataclass(frozen=True)
class Phrasing:
    text: str  # as written in the table
    regex: re.Pattern
    where: str  # file:line


@dataclass(frozen=True)
class NarrativeIndicator:
    id: str
    label: str
    unit: str
    legacy_rows: tuple[str, ...]  # legacy table rows that count the same quantity
    cell: str  # the 2021 cell that counts the same quantity, if any
    phrasings: tuple[Phrasing, ...]


@dataclass(frozen=True)
class NotTaken:
    reason: str  # part / approx / change / percent / period / range
    label: str
    phrasing: Phrasing
    at_figure: bool  # the phrasing holds N: it must stand at the figure itself


@dataclass
class NarrativeTable:
    indicators: dict[str, NarrativeIndicator] = field(default_factory=dict)  # in file order
    not_taken: list[NotTaken] = field(default_factory=list)
    # A digit followed by a unit some phrasing asks for (条, 件, 條 …): only a sentence holding one is cleaned
    # and matched, since converting script is slow and most sentences with a digit hold no figure.
    hint: re.Pattern = re.compile(r"(?!)")


def compile_phrasing(text: str, normalizer: Normalizer) -> re.Pattern:
    """A phrasing of the table as a regular expression over cleaned sentences; N is the group `n`."""
    parts, last = [], 0
    for match in _TOKENS.finditer(text):
        parts.append(_literal(text[last : match.start()], normalizer))
        token = match.group()
        parts.append(rf"(?P<n>{_NUMBER})(?:余|多)?" if token == "N" else _SPECIAL[token])
        last = match.end()
    parts.append(_literal(text[last:], normalizer))
    return re.compile("".join(parts))


def _literal(text: str, normalizer: Normalizer) -> str:
    return re.escape(re.sub(r"\s+", "", normalizer.clean(text))) if text else ""


def load_narrative(path, read, normalizer: Normalizer, known: dict, problems: list[str]) -> NarrativeTable:
    """narrative.csv, read with `read` (mapping.py's reader) and checked whole; `known` holds the rows of
    legacy_rows.csv and the cells of schema.csv by id."""
    table = NarrativeTable()
    pending: dict[str, dict] = {}
    for line, row in read(path, NARRATIVE_COLUMNS, problems):
        where = f"{path}:{line}"
        found = _row_problems(row, known)
        regex = _compiled(row, normalizer, found)
        problems += [f"{where}: {p}" for p in found]
        if found:
            continue
        phrasing = Phrasing(row["pattern"], regex, where)
        if row["kind"] == "not-taken":
            table.not_taken.append(NotTaken(row["id"], row["label"], phrasing, "N" in row["pattern"]))
        else:
            _add_phrasing(pending, row, phrasing, where, problems)
    for cell_id, parts in pending.items():
        if not parts["label"] or not parts["unit"]:
            problems.append(f"{parts['where']}: indicator {cell_id} needs a label and a unit on its first row")
        table.indicators[cell_id] = NarrativeIndicator(
            cell_id, parts["label"], parts["unit"], parts["legacy_rows"], parts["cell"], tuple(parts["phrasings"])
        )
    table.hint = _hint(table)
    return table


def _hint(table: NarrativeTable) -> re.Pattern:
    """The units written right after N in the phrasings, in both scripts, as a quick test of a sentence."""
    units = set()
    for indicator in table.indicators.values():
        for phrasing in indicator.phrasings:
            after = {c for c in re.split(r"…|\.\.\.", phrasing.text.split("N", 1)[1])[0] if "\u3400" <= c <= "\u9fff"}
            if not after:  # a phrasing that names no unit after its figure: any digit may start one
                return re.compile(r"[0-9０-９]")
            units |= after
    units |= {to_traditional(c) for c in units}
    if not units:
        return re.compile(r"(?!)")
    return re.compile(rf"[0-9０-９][0-9０-９,，.．\s]*[余多餘]?\s*[{''.join(sorted(units))}]")


def _row_problems(row: dict[str, str], known: dict) -> list[str]:
    found = []
    if row["kind"] not in NARRATIVE_KINDS:
        found.append(f"kind must be one of {', '.join(NARRATIVE_KINDS)}, not {row['kind']!r}")
    if not row["id"]:
        found.append("id is empty")
    elif row["kind"] == "indicator" and not row["id"].startswith("narrative."):
        found.append(f"an indicator id starts with 'narrative.' ({row['id']!r} does not)")
    figures = row["pattern"].count("N")
    if row["kind"] == "indicator" and figures != 1:
        found.append(f"pattern {row['pattern']!r} must hold the figure N exactly once")
    if row["kind"] == "not-taken" and figures > 1:
        found.append(f"pattern {row['pattern']!r} holds N more than once")
    for legacy in row["legacy_rows"].split():
        if legacy not in known["legacy_rows"]:
            found.append(f"legacy row {legacy} is not in legacy_rows.csv")
    if row["cell"] and row["cell"] not in known["schema"]:
        found.append(f"cell {row['cell']} is not in schema.csv")
    return found


def _compiled(row: dict[str, str], normalizer: Normalizer, found: list[str]) -> re.Pattern | None:
    if not row["pattern"]:
        found.append("pattern is empty")
        return None
    try:
        return compile_phrasing(row["pattern"], normalizer)
    except re.error as error:
        found.append(f"pattern {row['pattern']!r} cannot be read ({error.msg}: check the brackets)")
        return None


def _add_phrasing(pending: dict, row: dict[str, str], phrasing: Phrasing, where: str, problems: list[str]) -> None:
    """Rows of one id are one indicator; label, unit and links may be given once, and must agree."""
    parts = pending.setdefault(
        row["id"], {"label": "", "unit": "", "legacy_rows": (), "cell": "", "phrasings": [], "where": where}
    )
    for name, value in (("label", row["label"]), ("unit", row["unit"]), ("cell", row["cell"])):
        if value and parts[name] and value != parts[name]:
            problems.append(f"{where}: {name} {value!r} of {row['id']} differs from {parts[name]!r} given before")
        parts[name] = parts[name] or value
    legacy = tuple(row["legacy_rows"].split())
    if legacy and parts["legacy_rows"] and legacy != parts["legacy_rows"]:
        problems.append(f"{where}: legacy_rows of {row['id']} differ from those given before")
    parts["legacy_rows"] = parts["legacy_rows"] or legacy
    parts["phrasings"].append(phrasing)
