"""Fuzzing the real samples: delete, duplicate and swap lines and characters, insert random bytes and
huge lines, cut the file short. Whatever comes out is a Report or a ConverterError -- never another
exception -- and never a made-up number: every value with a source is the number printed at its line,
every mapped value is its sources' value or sum, every derived value the sum of its parts, and every
number in the tables is accounted for (the ledger balances).

The default run is small and the same every time; XXGK_FUZZ_EXAMPLES=5000 runs 5000 random mutations
(see README, "Generated reports and fuzzing").
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import read_report
from converter.errors import ConverterError
from converter.read import read_source
from converter.read.values import parse_token

from .conftest import REPORTS, SHANGHAI_TEXT

LARGE = int(os.environ.get("XXGK_FUZZ_EXAMPLES", "0"))
SOURCES = {path.name: path.read_bytes() for path in [*REPORTS, SHANGHAI_TEXT]}
# What a huge line is made of: numbers, separators, labels, headings, pinyin, brackets, prose.
UNITS = (
    "1 ",
    "0\t",
    "| ",
    "一、本年新收政府信息公开申请数量 ",
    "行政复议、行政诉讼",
    "務(wù)",
    "((((",
    "（七）总计\t3\t",
    "2023年某某市商务局",
    "<td>1</td>",
    "统 计 指 标 | 单位 | 统计数 |",
)
CHARACTERS = "0123456789|\t\n —-/无無（）()、.:：一二三四五六七八九十总计其中年"

_index = st.integers(0, 10**9)
MUTATION = st.one_of(
    st.tuples(st.sampled_from(["delete-line", "duplicate-line", "delete-char", "duplicate-char", "cut"]), _index),
    st.tuples(st.sampled_from(["swap-lines", "swap-chars"]), _index, _index),
    st.tuples(st.just("replace-char"), _index, st.sampled_from(CHARACTERS)),
    st.tuples(st.just("random-bytes"), _index, st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("huge-line"), _index, st.sampled_from(UNITS), st.integers(1_000, 15_000)),
)


def mutate(data: bytes, mutations) -> bytes:
    """The samples are UTF-8: text mutations work on characters and lines, the others on bytes."""
    for kind, at, *rest in mutations:
        if kind in ("random-bytes", "cut"):
            at %= len(data) + 1
            data = data[:at] + rest[0] + data[at:] if kind == "random-bytes" else data[:at]
        else:
            data = _mutate_text(data.decode("utf-8", errors="replace"), kind, at, rest).encode("utf-8")
    return data


def _mutate_text(text: str, kind: str, at: int, rest) -> str:
    if kind.endswith("-char") or kind == "swap-chars":
        chars = list(text)
        _edit(chars, kind.removesuffix("-char").removesuffix("-chars"), at, rest)
        return "".join(chars)
    lines = text.split("\n")
    if kind == "huge-line":
        lines.insert(at % (len(lines) + 1), rest[0] * (rest[1] // len(rest[0])))
    else:
        _edit(lines, kind.removesuffix("-line").removesuffix("-lines"), at, rest)
    return "\n".join(lines)


def _edit(items: list, kind: str, at: int, rest) -> None:
    if not items:
        return
    i = at % len(items)
    if kind == "delete":
        del items[i]
    elif kind == "duplicate":
        items.insert(i, items[i])
    elif kind == "swap":
        j = rest[0] % len(items)
        items[i], items[j] = items[j], items[i]
    elif kind == "replace":
        items[i] = rest[0]


def printed_lines(report, data: bytes) -> list[str]:
    """The lines as the file shows them: the text decoded as the report says, a page's lines as rendered."""
    if report.input_kind != "text":
        return read_source(data).lines
    codec = report.encoding.split(" ")[0]
    codec = "utf-8-sig" if codec == "utf-8" else codec
    # a file cut inside its last character is read all the same (with a truncated-file finding): so here
    return data.decode(codec, errors="replace").splitlines()


def assert_no_made_up_number(report, data: bytes, mappings) -> None:
    lines = printed_lines(report, data)
    observations = report.observations
    for observation in observations.values():
        for source in observation.sources:
            if source.value is not None:
                assert parse_token(source.raw).value == source.value, (observation.id, source.raw)
                assert source.raw in lines[source.line - 1].replace("\u3000", " "), (observation.id, source.line)
        if observation.value is None:
            continue
        parts = [s.value for s in observation.sources]
        if observation.status in ("reported", "exact", "approx"):
            assert observation.value == parts[0], observation.id
        elif observation.status == "summed":
            assert observation.value == sum(parts), observation.id
        elif observation.status == "derived":
            cell = mappings.schema[observation.id]
            assert observation.value == sum(observations[p].value for p in cell.parts), observation.id
    ledger = report.ledger  # every printed number is accounted for once; one outside every table unbalances it
    accounted = ledger["mapped"] + ledger["unmapped"] + ledger["ambiguous"] + ledger["unplaced"]
    assert ledger["source_numbers"] == accounted, ledger
    assert ledger["balanced"] == (ledger["unplaced"] == 0), ledger


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_sample_unmutated_passes_the_checks(name, mappings, tmp_path):
    path = tmp_path / name
    path.write_bytes(SOURCES[name])
    assert_no_made_up_number(read_report(path, mappings=mappings), SOURCES[name], mappings)


@given(name=st.sampled_from(sorted(SOURCES)), mutations=st.lists(MUTATION, min_size=1, max_size=6))
@settings(
    max_examples=LARGE or 200,
    deadline=None,
    derandomize=not LARGE,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_mutated_samples_give_a_report_or_a_clear_error(name, mutations, mappings, tmp_path_factory):
    data = mutate(SOURCES[name], mutations)
    path = tmp_path_factory.getbasetemp() / ("mutated-" + name)
    path.write_bytes(data)
    try:
        report = read_report(path, mappings=mappings)
    except ConverterError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert_no_made_up_number(report, data, mappings)
