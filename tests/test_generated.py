"""Generated reports (converter/generate/): what the tool reads equals what the generator wrote.

The generator computes each report's truth from what it wrote and from the mapping tables' decisions,
never by reading the report back; these tests read it back and compare everything: agency, year, format,
every 2021 cell's value, status and line, the unmapped list, the ledger and the finding codes.

The default run is small and the same every time; XXGK_GENERATED_EXAMPLES=5000 runs 5000 random
examples per property (see README, "Generated reports and fuzzing").
"""

from __future__ import annotations

import json
import os
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import read_report
from converter.generate import (
    AGENCY_PARTS,
    FORMATS,
    NOISE,
    SCRIPTS,
    VARIANTS,
    Generator,
    Spec,
    encodings_for,
    format_of,
    generate,
    layouts_for,
    noise_fits,
    write_corpus,
    years_for,
)
from converter.model import json_number
from converter.normalize import half_width
from converter.read.values import parse_token

from .conftest import run

LARGE = int(os.environ.get("XXGK_GENERATED_EXAMPLES", "0"))
CLASSIC_NOISE = NOISE[: NOISE.index("pipe-blanks")]


def _settings(examples: int):
    """A fixed, small run by default (the same examples in every CI run); a random large one on request."""
    return settings(
        max_examples=LARGE or examples,
        deadline=None,
        derandomize=not LARGE,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture(scope="module")
def generator(mappings):
    return Generator(mappings)


@st.composite
def specs(draw, kinds=("text",)):
    """Any report shape the generator can write, so that hypothesis can shrink a failure to a simple one."""
    fmt = draw(st.sampled_from(FORMATS))
    variant = draw(st.sampled_from(VARIANTS)) if fmt == "legacy" else ""
    year = draw(st.integers(*years_for(fmt, variant)))
    kind = draw(st.sampled_from(kinds))
    layout = draw(st.sampled_from(layouts_for(fmt))) if kind == "text" else "pipes"
    script = draw(st.sampled_from(SCRIPTS))
    encoding = draw(st.sampled_from(encodings_for(script, kind)))
    # the noise of the first generator (the new patterns are drawn in test_generated_patterns.py)
    noise = draw(st.sets(st.sampled_from([n for n in CLASSIC_NOISE if noise_fits(n, fmt, layout)])))
    agency = draw(st.tuples(*(st.sampled_from(part) for part in AGENCY_PARTS)))
    return Spec(
        fmt,
        variant,
        year,
        agency,
        layout,
        script,
        encoding,
        kind,
        tuple(n for n in NOISE if n in noise),
        truncated=draw(st.booleans()),
        broken_rule=draw(st.booleans()),
    )


def read_back(made, folder, mappings):
    path = folder / made.name
    path.write_bytes(made.data)
    return read_report(path, mappings=mappings)


def assert_matches_truth(report, truth) -> None:
    """Everything the tool read equals the truth the generator computed."""
    assert (report.agency, report.year, report.format) == (truth["agency"], truth["year"], truth["format"])
    got = {o.id: [json_number(o.value), o.status, o.line] for o in report.observations.values()}
    assert got == truth["observations"]
    assert _unmapped(report.unmapped) == _unmapped(truth["unmapped"])
    # Generated tables print only rows the tables know (but for an unknown edition's reworded rows), so every
    # other unmapped number is a field with no home.
    renamed = "renamed-rows" in truth.get("spec", {}).get("noise", ())
    assert {u["code"] for u in report.unmapped} <= {"unmapped-field"} | ({"unknown-label"} if renamed else set())
    assert report.ledger == truth["ledger"]
    assert sorted(f.code for f in report.findings) == truth["findings"]
    assert sorted(f.id for f in report.findings if f.code == "sum-mismatch") == truth["failed_rules"]


def _unmapped(entries) -> list:
    return sorted(
        (
            u["label"],
            str(json_number(u["value"]) if isinstance(u["value"], Decimal) else u["value"]),
            u["reason"],
            u["line"],
        )
        for u in entries
    )


def assert_no_value_made_up(report, made) -> None:
    """Every value with a source is a number the report printed on that source's line."""
    if made.spec.kind != "text":
        return
    lines = made.data.decode(made.truth["encoding"]).lstrip("\ufeff").splitlines()
    for observation in report.observations.values():
        for source in observation.sources:
            if source.value is None:
                continue
            assert parse_token(source.raw).value == source.value
            line = lines[source.line - 1].replace("\u3000", " ")
            assert source.raw in line or source.raw in half_width(line), (observation.id, source.line)


@given(spec=specs(), seed=st.integers(0, 2**32 - 1))
@_settings(250)
def test_text_reports_read_as_written(generator, mappings, tmp_path_factory, spec, seed):
    made = generator.from_spec(spec, random.Random(seed), name="generated")
    report = read_back(made, tmp_path_factory.getbasetemp(), mappings)
    assert report.encoding.split(" ")[0] == {"utf-8-sig": "utf-8"}.get(made.truth["encoding"], made.truth["encoding"])
    assert_matches_truth(report, made.truth)
    assert_no_value_made_up(report, made)


@given(spec=specs(kinds=("html", "docx", "xlsx")), seed=st.integers(0, 2**32 - 1))
@_settings(40)
def test_documents_read_as_written(generator, mappings, tmp_path_factory, spec, seed):
    made = generator.from_spec(spec, random.Random(seed), name="generated")
    report = read_back(made, tmp_path_factory.getbasetemp(), mappings)
    assert report.input_kind == spec.kind
    assert_matches_truth(report, made.truth)


@given(spec=specs(), seed=st.integers(0, 2**32 - 1))
@_settings(150)
def test_numbers_keep_the_sum_rules_unless_broken_on_purpose(generator, spec, seed):
    truth = generator.from_spec(spec, random.Random(seed)).truth
    damaged = spec.truncated or {"dashes", "blanks"} & set(spec.noise)
    if not truth["changed"]:
        assert truth["failed_rules"] == []
    elif not damaged:
        assert truth["failed_rules"], f"{truth['changed']} was changed so that a rule fails"
    if spec.broken_rule and spec.format != "legacy" and not spec.truncated:
        assert truth["changed"]  # the 2019 and 2021 tables always have a number a rule checks
    if not damaged and not spec.broken_rule and spec.format == "2021":
        assert "rule-incomplete" not in truth["findings"] and truth["ledger"]["balanced"]


def test_a_corpus_is_a_set_of_series(generator):
    """Each agency reports once a year, 2011-2025, in the format of the year; the same seed, the same files."""
    first = list(generator.reports(16, seed=3))
    again = list(generate(16, seed=3))
    assert [m.data for m in first] == [m.data for m in again]
    assert [m.truth for m in first] == [m.truth for m in again]
    years = [m.truth["year"] for m in first[:15]]
    assert years == list(range(2011, 2026))
    assert [m.truth["format"] for m in first[:15]] == [format_of(y) for y in years]
    assert len({m.spec.agency for m in first[:15]}) == 1 and first[15].spec.agency != first[0].spec.agency
    assert {m.spec.variant for m in first[:3]} <= {"dingxi-2008", "putian-2009", "buyu-ranges"}
    only_2021 = list(generator.reports(3, seed=3, formats=("2021",)))
    assert [m.truth["year"] for m in only_2021] == [2021, 2022, 2023]


def test_a_corpus_read_as_written(generator, mappings, tmp_path):
    """A short corpus of every kind, as `xxgk generate` writes it, read back file by file."""
    for made in generator.reports(12, seed=11, kinds=("text", "html", "docx", "xlsx")):
        assert_matches_truth(read_back(made, tmp_path, mappings), made.truth)


def test_generate_command(tmp_path):
    result = run("generate", tmp_path / "corpus", "--count", 20, "--seed", 5, "--kinds", "text,html")
    assert result.exit_code == 0, result.stderr
    assert "20 reports" in result.stdout and "truth.jsonl" in result.stdout
    truths = [
        json.loads(line) for line in (tmp_path / "corpus" / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(truths) == 20 and len(list((tmp_path / "corpus").glob("0000*"))) == 20
    assert {t["input_kind"] for t in truths} <= {"text", "html"}
    assert set(truths[0]) >= {"file", "agency", "year", "format", "observations", "unmapped", "ledger", "findings"}
    assert "generate" not in run("--help").stdout  # a development tool: hidden
    assert run("generate", tmp_path / "x", "--kinds", "pdf").exit_code == 2
    (tmp_path / "file").write_text("")
    failed = run("generate", tmp_path / "file" / "corpus", "--count", 1)
    assert failed.exit_code == 1 and failed.stderr.startswith(f"Error: {tmp_path / 'file' / 'corpus'}: cannot write")


def test_truth_beside_each_report(tmp_path, mappings):
    counts = write_corpus(tmp_path, 4, seed=2, formats=("2019",), truth="json", mappings=mappings)
    assert counts == {"formats": {"2019": 4}, "kinds": {"text": 4}}
    assert len(list(tmp_path.glob("*.truth.json"))) == 4 and not (tmp_path / "truth.jsonl").exists()
