"""The library as an analyst uses it: read_report, to_dict, build_series of one report, the writers."""

import pandas

import converter
from converter import build_series, read_report

from .conftest import REPORTS, SAMPLES
from .regenerate_expected import expected as expected_counts

JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"


def test_one_report_frame_is_to_dict_in_long_format(mappings):
    report = read_report(JINXIANG, mappings=mappings)
    frame = build_series([report], mappings=mappings)
    frame = frame[frame["table"] != "文字 narrative"].reset_index(drop=True)  # the prose figures: test_narrative.py
    observations = report.to_dict()["observations"]
    assert len(frame) == len(observations) == len(mappings.schema)
    assert list(frame["id"]) == [o["id"] for o in observations]
    assert list(frame["status"]) == [o["status"] for o in observations]
    assert [None if pandas.isna(v) else v for v in frame["value"]] == [o["value"] for o in observations]
    assert set(frame["agency"]) == {"金乡县商务局"} and set(frame["year"]) == {2017}
    counts = {status: n for status, n in expected_counts(JINXIANG)["status_counts"].items() if n}
    assert frame["status"].value_counts().to_dict() == counts


def test_build_series_from_paths_and_reports(mappings):
    paths = [p for p in REPORTS if "pingtan" in str(p)]
    from_paths = build_series(paths, mappings=mappings)
    from_reports = build_series([read_report(p, mappings=mappings) for p in paths], mappings=mappings)
    assert from_paths.equals(from_reports)
    received = from_paths[from_paths["id"] == "apply.new.total"].set_index("year")["value"].to_dict()
    assert received == {2018: 0, 2019: 23, 2020: 21, 2021: 70}
    pivot = from_paths.pivot_table(index="id", columns="year", values="value", aggfunc="first")
    assert pivot.loc["art20.licensing.decisions"].dropna().to_dict() == {2019: 181, 2020: 278, 2021: 2293}


def test_the_writers_are_public(tmp_path, mappings):
    report = read_report(JINXIANG, mappings=mappings)
    assert converter.write_report_workbook(report, mappings, tmp_path / "r.xlsx").is_file()
    series = converter.assemble([report], mappings)
    assert converter.write_series_workbook(series, mappings, tmp_path / "s.xlsx").is_file()
    assert converter.write_audit([], mappings.normalizer, tmp_path / "a.csv").is_file()


def test_read_report_keeps_the_tables_once_and_reads_them_again_when_one_changes(tmp_path, monkeypatch):
    import shutil

    from converter import mapping

    folder = tmp_path / "mappings"
    shutil.copytree(mapping.default_directory(), folder)
    first = mapping.shared_mappings(folder)
    assert mapping.shared_mappings(folder) is first  # kept, not loaded again
    monkeypatch.setattr(mapping, "RECHECK_SECONDS", 0.0)
    assert mapping.shared_mappings(folder) is first  # looked at again: nothing changed
    aliases = folder / "label_aliases.csv"
    aliases.write_text(aliases.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = mapping.shared_mappings(folder)
    assert again is not first
    assert mapping.shared_mappings(folder) is again
    report = read_report(SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt")
    assert report.observations  # the shipped tables, kept beside the copy's
