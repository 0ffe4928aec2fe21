"""Walking folders: files xxgk cannot read are counted and told (summary, audit), a run that finds no
report is an error, -o is checked before any input is read, and inspect --json is JSON Lines."""

import csv
import json

from converter.corpus.batch import REPORT_SUFFIXES, UNREADABLE_SUFFIXES, walk

from .conftest import SAMPLES, run

BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"


def _archive(tmp_path, *unreadable):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_bytes(BAOFENG.read_bytes())
    (folder / "b.txt").write_bytes(JINXIANG.read_bytes())
    for name in unreadable:
        (folder / name).write_bytes(b"\xd0\xcf\x11\xe0 old office file")
    return folder


def test_the_readable_and_the_known_unreadable_kinds_do_not_overlap():
    assert not REPORT_SUFFIXES & set(UNREADABLE_SUFFIXES)
    assert {".rtf", ".et", ".ofd", ".jpg", ".png", ".zip"} <= set(UNREADABLE_SUFFIXES)


def test_walk_counts_files_it_cannot_read(tmp_path):
    folder = _archive(tmp_path, "2015.rtf", "2016.rtf", "scan.JPG", "notes.md")
    found = walk([folder])
    assert [p.name for p in found.files] == ["a.txt", "b.txt"]
    assert [p.name for p in found.unreadable] == ["2015.rtf", "2016.rtf", "scan.JPG"]
    assert found.skipped() == [
        "跳过 skipped 2 .rtf files (用 Word 或 WPS 另存为 .docx / save as .docx)",
        "跳过 skipped 1 .jpg file (图片：如是扫描的报告，请直接指定该文件，由 OCR 读取（需安装 xxgk-converter[ocr]） / an "
        "image: name the file to read it by OCR (needs the ocr extra))",
    ]


def test_the_summary_says_what_was_skipped_and_what_to_do(tmp_path):
    folder = _archive(tmp_path, "2015.rtf", "2016.rtf", "table.et")
    result = run("inspect", folder)
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[-3:] == [
        "2 files: 2 read (legacy 1, 2021 1), 0 failed",
        "跳过 skipped 2 .rtf files (用 Word 或 WPS 另存为 .docx / save as .docx)",
        "跳过 skipped 1 .et file (用 Excel 或 WPS 另存为 .xlsx / save as .xlsx)",
    ]


def test_audit_lists_each_unreadable_file(tmp_path):
    folder = _archive(tmp_path, "2015.rtf", "table.et")
    out = tmp_path / "audit.csv"
    result = run("audit", folder, "-o", out)
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["类别 kind"] == "unreadable-file"]
    assert [(r["文件 file"], r["说明 message"]) for r in rows] == [
        (
            str(folder / "2015.rtf"),
            "xxgk 读不了 .rtf 文件 cannot read .rtf files: 用 Word 或 WPS 另存为 .docx / save as .docx",
        ),
        (
            str(folder / "table.et"),
            "xxgk 读不了 .et 文件 cannot read .et files: 用 Excel 或 WPS 另存为 .xlsx / save as .xlsx",
        ),
    ]


def test_a_run_that_finds_no_report_is_an_error(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "2012.rtf").write_bytes(b"x")
    for command in (["inspect"], ["audit"], ["series", "-o", tmp_path / "s.xlsx"], ["convert", "-o", tmp_path / "c"]):
        result = run(command[0], folder, *command[1:])
        assert result.exit_code == 1, command
        assert result.stderr.splitlines() == [
            f"Error: {folder}: 没有找到可读的报告文件 no report file found (.txt .html .docx .xlsx .pdf .doc .xls .ods .odt .wps); "
            "跳过 skipped 1 .rtf file (用 Word 或 WPS 另存为 .docx / save as .docx)"
        ]
    assert not (tmp_path / "s.xlsx").exists()


def test_series_refuses_an_output_that_is_not_a_workbook_before_reading(tmp_path):
    result = run("series", tmp_path / "nothing-here", "-o", tmp_path / "s.csv")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: -o {tmp_path / 's.csv'}: the series workbook is written as .xlsx")
    assert not (tmp_path / "s.csv").exists()


def test_an_output_folder_that_does_not_exist_is_said_before_reading(tmp_path):
    target = tmp_path / "no-such-folder" / "s.xlsx"
    for command in ("series", "audit", "convert"):
        # the input does not exist either: the output is what is checked first
        result = run(command, tmp_path / "nothing-here", "-o", target)
        assert result.exit_code == 1, command
        assert result.stderr.strip() == f"Error: {target}: the folder {target.parent} does not exist"


def test_convert_refuses_a_file_name_that_is_not_a_workbook(tmp_path):
    result = run("convert", BAOFENG, "-o", tmp_path / "out.csv")
    assert result.exit_code == 2
    assert not (tmp_path / "out.csv").exists()


def test_inspect_json_is_one_object_per_file_one_line_each(tmp_path):
    one = run("inspect", "--json", BAOFENG)
    assert one.exit_code == 0
    assert len(one.stdout.splitlines()) == 1
    single = json.loads(one.stdout)
    assert single["agency"] and single["year"] == 2023
    folder = _archive(tmp_path)
    several = run("inspect", "--json", folder)
    records = [json.loads(line) for line in several.stdout.splitlines()]
    assert [r["year"] for r in records] == [2023, 2017]
    assert records[0] == single | {"file": str(folder / "a.txt")}
