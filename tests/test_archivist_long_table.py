"""The long table for analysts: `series --long x.parquet|x.csv` holds the long sheet's rows and columns,
typed, and read back equals build_series for the samples."""

import csv

import pandas
import pyarrow.parquet as pq
import pytest

from converter import load_mappings
from converter.corpus.series import LONG_COLUMNS, assemble, build_series
from converter.pipeline import read_report
from converter.write import long_table

from .conftest import REPORTS, SAMPLES, run


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    paths = {"xlsx": folder / "s.xlsx", "parquet": folder / "long.parquet", "csv": folder / "long.csv"}
    result = run("series", SAMPLES, "-o", paths["xlsx"], "--long", paths["parquet"])
    assert result.exit_code == 0, result.stderr
    assert f"{paths['parquet']}: " in result.stdout
    assert run("series", SAMPLES, "-o", paths["xlsx"], "--long", paths["csv"]).exit_code == 0
    return paths


@pytest.fixture(scope="module")
def expected():
    frame = build_series(REPORTS)
    return [tuple(None if pandas.isna(v) else v for v in row) for row in frame.itertuples(index=False)]


def test_parquet_read_back_equals_build_series(outputs, expected):
    table = pq.read_table(outputs["parquet"])
    assert tuple(table.column_names) == LONG_COLUMNS
    rows = [tuple(r[c] for c in LONG_COLUMNS) for r in table.to_pylist()]
    assert rows == expected


def test_parquet_columns_are_typed(outputs):
    schema = pq.read_schema(outputs["parquet"])
    assert str(schema.field("year").type) == "int32"
    assert str(schema.field("line").type) == "int32"
    assert str(schema.field("value").type) == "double"
    assert str(schema.field("status").type) == "dictionary<values=string, indices=int8, ordered=0>"
    frame = pandas.read_parquet(outputs["parquet"])
    assert frame["status"].dtype == "category"
    missing = frame[frame["status"] == "missing"]
    assert len(missing) and missing["value"].isna().all()  # a missing value is never 0


def test_csv_has_the_same_rows_as_utf8_with_bom(outputs, expected):
    data = outputs["csv"].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == LONG_COLUMNS
    assert len(rows) - 1 == len(expected)
    shown = lambda v: "" if v is None else str(v)
    assert [r[:5] for r in rows[1:]] == [[shown(v) for v in row[:5]] for row in expected]


def test_the_long_table_is_the_long_sheet(outputs):
    sheet = pandas.read_excel(outputs["xlsx"], sheet_name="长表 Long", dtype=object)
    frame = pandas.read_parquet(outputs["parquet"])
    assert len(sheet) == len(frame)
    assert list(sheet["编号 id"]) == list(frame["id"].astype(str))


def test_batches_do_not_change_the_table(tmp_path, monkeypatch):
    mappings = load_mappings()
    series = assemble([read_report(p, mappings=mappings) for p in REPORTS[:3]], mappings)
    whole = tmp_path / "whole.parquet"
    long_table.write_long_table(series, mappings, whole)
    monkeypatch.setattr(long_table, "BATCH_ROWS", 100)
    small = tmp_path / "small.parquet"
    assert long_table.write_long_table(series, mappings, small) == pq.read_metadata(whole).num_rows
    assert pq.read_metadata(small).num_row_groups > 1
    assert pq.read_table(small).to_pylist() == pq.read_table(whole).to_pylist()


def test_long_must_be_parquet_or_csv_and_is_checked_first(tmp_path):
    result = run("series", tmp_path / "nothing", "-o", tmp_path / "s.xlsx", "--long", tmp_path / "l.xlsx")
    assert result.exit_code == 2
    assert "the long table is written as .parquet or .csv" in result.stderr
