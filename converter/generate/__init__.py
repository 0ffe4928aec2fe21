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

With `patterns` (opt-in, drawn from a random source of their own so that the other reports of a seed stay
byte for byte as they were), some reports take the patterns of pages nobody here wrote: tables flattened
onto one line or glued without separators, no section headings, a page that starts inside table 三, blank
cells written as 「|」 or empty pipe pieces, and legacy editions whose reworded rows no mapping table knows.
For a glued table the truth says, row by row, whether its digits are decidable (unglue.py).

Not generated, on purpose: anything the text itself cannot tell (a blank as a row's first value where no
「|」 shows it, a blank next to a line break, a legacy row without its parent block, a decimal glued to the
next value), and mojibake.

The modules, by job: spec.py (what a report looks like and the printed shapes: Spec, Slot, Row, Table),
plan.py (the mapping tables read once), draws.py (the numbers), builder.py (the blocks of one report, with
its noise and damage), editions.py (legacy editions: reworded rows, nested figures), files.py (text lines
in a layout, HTML, Word, Excel bytes), truth.py (what a reader must get: an independent oracle of the
mapping and rule semantics) and unglue.py (the truth's own account of glued digits). This module ties them together
(Generator) and writes corpora.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, OutputError
from ..mapping import Mappings, load_mappings
from .builder import Builder, narrative_sentences
from .files import encode_report, render_lines
from .plan import Plan
from .spec import (
    AGENCY_PARTS,
    FORMATS,
    KINDS,
    LAYOUTS,
    NOISE,
    SCRIPTS,
    SERIES_YEARS,
    VARIANTS,
    Row,
    Slot,
    Spec,
    Table,
    add_patterns,
    choose_spec,
    encodings_for,
    fit_patterns,
    format_of,
    layouts_for,
    noise_fits,
    series_agency,
    years_for,
)
from .truth import Truth

__all__ = [
    "narrative_sentences",
    "AGENCY_PARTS",
    "FORMATS",
    "Generated",
    "Generator",
    "KINDS",
    "LAYOUTS",
    "NOISE",
    "Row",
    "SCRIPTS",
    "Slot",
    "Spec",
    "Table",
    "VARIANTS",
    "add_patterns",
    "choose_spec",
    "fit_patterns",
    "encodings_for",
    "format_of",
    "generate",
    "layouts_for",
    "noise_fits",
    "render_lines",
    "write_corpus",
    "years_for",
]


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
        self.plan = Plan(self.m)

    def report(self, seed: int, index: int, *, formats=FORMATS, kinds=("text",), patterns: bool = False) -> Generated:
        """Report `index` of the corpus of `seed`: always the same bytes and truth. `patterns`: some reports
        take the patterns of pages nobody here wrote (drawn apart: the others stay byte for byte as they were)."""
        years = [year for year in SERIES_YEARS if format_of(year) in formats]
        if not years:
            raise InputError(f"no format among {', '.join(formats)}: choose from {', '.join(FORMATS)}")
        number, position = divmod(index, len(years))
        agency, local, national = series_agency(random.Random(f"xxgk-generate:{seed}:agency:{number}"))
        year = years[position]
        variant = (local if year < 2014 else national) if format_of(year) == "legacy" else ""
        rng = random.Random(f"xxgk-generate:{seed}:{index}")
        extra = random.Random(f"xxgk-generate:{seed}:{index}:patterns") if patterns else None
        spec = choose_spec(
            rng, formats=(format_of(year),), kinds=kinds, year=year, agency=agency, variant=variant, patterns=extra
        )
        return self.from_spec(spec, rng, name=f"{index:06d}-{spec.format}-{spec.variant or 'std'}-{spec.layout}")

    def from_spec(self, spec: Spec, rng: random.Random, *, name: str = "report") -> Generated:
        """A report that looks as `spec` says, its numbers drawn from `rng`."""
        build = Builder(self.plan, spec, rng)
        blocks = build.document()
        data, encoding = encode_report(blocks, spec, rng)
        truth = Truth(self.plan, spec, build).compute()
        truth.update(file=name + spec.suffix, encoding=encoding, input_kind=spec.kind, spec=dict(spec.__dict__))
        return Generated(name + spec.suffix, data, truth, spec)

    def reports(
        self, count: int, seed: int = 0, *, formats=FORMATS, kinds=("text",), start: int = 0, patterns: bool = False
    ) -> Iterator[Generated]:
        for index in range(start, start + count):
            yield self.report(seed, index, formats=formats, kinds=kinds, patterns=patterns)


def generate(
    count: int,
    seed: int = 0,
    *,
    formats=FORMATS,
    kinds=("text",),
    mappings: Mappings | None = None,
    patterns: bool = False,
) -> Iterator[Generated]:
    """`count` generated reports of the corpus `seed`, one at a time."""
    return Generator(mappings).reports(count, seed, formats=formats, kinds=kinds, patterns=patterns)


def write_corpus(
    directory: str | Path,
    count: int,
    seed: int = 0,
    *,
    formats=FORMATS,
    kinds=("text",),
    truth: str = "jsonl",
    mappings: Mappings | None = None,
    patterns: bool = False,
) -> dict:
    """Write `count` reports into `directory`, streaming, with their truth: one truth.jsonl, or a
    <report>.truth.json beside each report. Returns how many reports of each format and kind were written."""
    try:
        return _write_corpus(
            Path(directory),
            generate(count, seed, formats=formats, kinds=kinds, mappings=mappings, patterns=patterns),
            truth,
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
