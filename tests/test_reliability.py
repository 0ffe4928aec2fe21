"""The pieces behind "one bad file never costs the batch": unexpected errors, dying workers, limits,
outputs that would replace inputs, unreadable folders, stale temporary files, control characters,
standard output that cannot be written."""

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from converter.corpus import batch
from converter.corpus.audit import AuditRow
from converter.corpus.batch import Job, expand, read_all
from converter.errors import InputError
from converter.pipeline import read_report
from converter.read.decode import decode_report
from converter.read.limits import read_file
from converter.write.audit import write_audit
from converter.write.excel import clean_stale_partials, printable, write_atomically

from .conftest import SAMPLES, run

BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"


def _failing_reader(kind):
    real = batch.read_report

    def read(path, **kwargs):
        if Path(path).name.startswith("bad"):
            raise kind("deep inside a library")
        return real(path, **kwargs)

    return read


@pytest.mark.parametrize("kind", [RuntimeError, RecursionError, MemoryError, KeyError])
def test_any_error_of_one_file_is_its_outcome_and_the_rest_are_read(tmp_path, monkeypatch, mappings, kind):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BAOFENG.read_bytes())
    monkeypatch.setattr(batch, "read_report", _failing_reader(kind))
    outcomes = list(read_all([Job(bad), Job(BAOFENG)], mappings))
    assert outcomes[0].error.startswith(f"could not be read: {kind.__name__}: ")
    assert "deep inside a library" in outcomes[0].error
    assert "Traceback" in outcomes[0].traceback
    assert outcomes[1].error is None and outcomes[1].report.agency == "宝丰县商务局"


def test_an_error_in_the_then_step_is_the_files_error(mappings):
    def then(report, job, mappings):
        raise ValueError("a writer's bug")

    [outcome] = read_all([Job(BAOFENG)], mappings, then=then)
    assert outcome.error == "could not be read: ValueError: a writer's bug"
    assert outcome.format == "2021"


def test_debug_prints_the_traceback_after_the_one_line(tmp_path, monkeypatch):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BAOFENG.read_bytes())
    monkeypatch.setattr(batch, "read_report", _failing_reader(RuntimeError))
    quiet = run("inspect", str(bad), str(BAOFENG))
    assert quiet.exit_code == 1
    assert f"Error: {bad}: could not be read: RuntimeError: deep inside a library\n" in quiet.stderr
    assert "Traceback" not in quiet.stderr
    debugged = run("inspect", "--debug", str(bad), str(BAOFENG))
    assert "Traceback (most recent call last)" in debugged.stderr
    assert "RuntimeError: deep inside a library" in debugged.stderr.split("Traceback", 1)[1]
    assert "宝丰县商务局" in debugged.stdout


def _die_on_bad(report, job, mappings):
    if job.path.name.startswith("bad"):
        os._exit(3)  # as a process killed for memory, or crashed in a C library, ends
    return report.agency


def test_a_worker_that_dies_costs_only_its_own_file(tmp_path, mappings):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(JINXIANG.read_bytes())
    jobs = [Job(BAOFENG), Job(bad), Job(JINXIANG), Job(BAOFENG)]
    outcomes = list(read_all(jobs, mappings, workers=2, then=_die_on_bad))
    assert [o.job.path for o in outcomes] == [j.path for j in jobs]
    assert outcomes[1].error.startswith("could not be read: the process reading it stopped")
    assert [o.result for o in outcomes if not o.error] == ["宝丰县商务局", "金乡县商务局", "宝丰县商务局"]


# --- limits -------------------------------------------------------------------------------------


def test_a_limit_names_itself_and_its_variable_and_can_be_raised(tmp_path, monkeypatch):
    report = tmp_path / "long.txt"
    report.write_bytes(BAOFENG.read_bytes() + b"\n" + b"#\n" * (1 << 20))
    monkeypatch.setenv("XXGK_MAX_TEXT_MB", "1")
    with pytest.raises(
        InputError, match=r"over the limit of 1 MB for a text or web-page report \(raise it with XXGK_MAX_TEXT_MB\)"
    ):
        read_report(report)
    monkeypatch.setenv("XXGK_MAX_TEXT_MB", "3")
    assert read_report(report).agency == "宝丰县商务局"


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(InputError, match="not a regular file"):
        read_file(fifo)
    assert time.monotonic() - started < 5
    with pytest.raises(InputError, match="not a regular file"):
        read_file(Path("/dev/zero"))
    with pytest.raises(InputError, match="is a folder"):
        read_file(tmp_path)


def test_a_dangling_link_says_so(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(InputError, match=r"no such file \(a link to a missing target\)"):
        read_file(link)


def test_an_unreadable_folder_is_kept_by_the_walk_and_gives_its_error(tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_bytes(JINXIANG.read_bytes())
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir, real_open = os.scandir, os.open

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    def open_(path, flags, *args):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", open_)
    assert expand([tmp_path]) == [locked, tmp_path / "open" / "a.txt"]
    with pytest.raises(InputError, match=r"cannot be read \(Permission denied\)"):
        read_file(locked)


def test_a_linked_folder_is_walked_once_and_a_loop_ends(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "r.txt").write_bytes(JINXIANG.read_bytes())
    top = tmp_path / "top"
    top.mkdir()
    (top / "link").symlink_to(elsewhere, target_is_directory=True)
    (top / "loop").symlink_to(top, target_is_directory=True)
    assert expand([top]) == [top / "link" / "r.txt"]


# --- decoding -----------------------------------------------------------------------------------


def test_utf8_cut_inside_its_last_character_is_read_with_a_finding(tmp_path):
    cut = tmp_path / "cut.txt"
    cut.write_bytes(BAOFENG.read_bytes().rstrip() + "表".encode()[:2])
    report = read_report(cut)
    assert report.agency == "宝丰县商务局" and report.encoding == "utf-8"
    [finding] = [f for f in report.findings if f.code == "truncated-file"]
    assert "e8 a1" in finding.message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_detected(codec):
    text = BAOFENG.read_text(encoding="utf-8")
    decoded = decode_report(text.encode(codec))
    assert decoded.text == text and decoded.encoding == f"{codec} (no BOM)"


def test_binary_with_zero_bytes_is_still_binary():
    with pytest.raises(InputError, match="binary"):
        decode_report(bytes(range(256)) * 50)


# --- outputs ------------------------------------------------------------------------------------


def test_an_output_that_is_an_input_is_refused(tmp_path):
    report = tmp_path / "r.txt"
    report.write_bytes(JINXIANG.read_bytes())
    before = report.read_bytes()
    result = run("series", str(report), "-o", str(report))
    assert result.exit_code == 2 and "Error:" in result.stderr  # refused (a .txt is no workbook name either)
    assert report.read_bytes() == before
    workbook = tmp_path / "in.xlsx"
    from .fixtures.documents import from_lines, to_xlsx

    workbook.write_bytes(to_xlsx(from_lines(JINXIANG.read_text(encoding="utf-8").splitlines())))
    saved = workbook.read_bytes()
    for args in (
        ["convert", str(workbook), "-o", str(workbook)],
        ["audit", str(workbook), "-o", str(workbook)],
        ["series", str(workbook), "-o", str(workbook)],
    ):
        result = run(*args)
        assert result.exit_code == 2 and "is one of the input files" in result.stderr
        assert workbook.read_bytes() == saved


def test_converting_a_folder_into_itself_never_replaces_a_report(tmp_path):
    from .fixtures.documents import from_lines, to_xlsx

    workbook = tmp_path / "in.xlsx"
    workbook.write_bytes(to_xlsx(from_lines(JINXIANG.read_text(encoding="utf-8").splitlines())))
    saved = workbook.read_bytes()
    result = run("convert", str(tmp_path), "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert workbook.read_bytes() == saved
    assert f"{workbook} -> {tmp_path / 'in-2.xlsx'}" in result.stdout


def test_stale_temporary_files_of_ours_are_removed_and_others_kept(tmp_path):
    stale = tmp_path / ".series.xlsx.ab12cd34.partial"
    fresh = tmp_path / ".series.xlsx.zz99yy88.partial"
    theirs = tmp_path / "notes.partial"
    for path in (stale, fresh, theirs):
        path.write_bytes(b"half")
    old = time.time() - 7 * 3600
    os.utime(stale, (old, old))
    os.utime(theirs, (old, old))
    write_atomically(tmp_path / "out.csv", lambda out: out.write(b"x"))
    assert not stale.exists() and fresh.exists() and theirs.exists()
    assert (tmp_path / "out.csv").read_bytes() == b"x"
    assert clean_stale_partials(tmp_path) == []  # once per folder and process


def test_printable_replaces_undecodable_bytes_and_drops_controls():
    name = os.fsdecode("报告".encode("gbk") + b"\n\x1b]0;x\x07.txt")
    assert printable(name, one_line=True) == "\ufffd\ufffd\ufffd\ufffd\\n]0;x.txt"
    assert printable("a\x1b[2Jb\x9bc\td\ne") == "a[2Jbc\td\ne"


def test_the_audit_csv_escapes_leading_breaks_and_drops_controls(tmp_path, mappings):
    rows = [
        AuditRow("f.txt", "\tagency", 2020, "2021", "k", "\nlabel", "\rsection", "=1+1", None, 3, "bell\x07 esc\x1b")
    ]
    path = write_audit(rows, mappings.normalizer, tmp_path / "a.csv")
    [_, row] = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    assert row[1] == "'\tagency" and row[5] == "'\nlabel" and row[6] == "'\rsection" and row[7] == "'=1+1"
    assert row[10] == "bell esc"


def test_a_full_standard_output_gives_one_line_and_no_traceback():
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "converter", "inspect", str(BAOFENG)],
            stdout=full,
            capture_output=False,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.decode() == "Error: standard output cannot be written (No space left on device)\n"


def test_control_characters_in_an_agency_name_reach_no_workbook_part(tmp_path):
    import zipfile

    text = BAOFENG.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("2023", "2022"), encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text('file,agency,year\na.txt,"宝丰\x1b]0;x\x07局",2023\nb.txt,"宝丰\x1b]0;x\x07局",2022\n', "utf-8")
    result = run(
        "series",
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
        "--manifest",
        str(manifest),
        "-o",
        str(tmp_path / "s.xlsx"),
    )
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "s.xlsx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert any(name.startswith("xl/charts/") for name in parts)  # the agency's chart, titled with its name
    assert not [name for name, data in parts.items() if b"\x1b" in data or b"\x07" in data]
    assert any("宝丰]0;x局".encode() in data for data in parts.values())


@pytest.mark.parametrize(
    "content, said",
    [
        ("file,agency,year\nr.txt,a,²\n", "the manifest cannot be read (ValueError: "),
        ("agency,year,file\n1,2\n", "the manifest cannot be read (AttributeError: "),
    ],
)
def test_a_broken_manifest_is_one_line(tmp_path, content, said):
    manifest = tmp_path / "m.csv"
    manifest.write_text(content, encoding="utf-8")
    result = run("series", str(JINXIANG), "--manifest", str(manifest), "-o", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {manifest}: {said}") and "Traceback" not in result.stderr


def test_a_manifest_that_is_a_device_is_not_read():
    result = run("series", str(JINXIANG), "--manifest", "/dev/zero", "-o", "/tmp/never-written.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "Error: /dev/zero: the manifest is not a regular file\n"


def test_a_line_over_the_limit_is_refused_with_its_number(tmp_path):
    report = tmp_path / "flat.txt"
    report.write_bytes("政府信息公开工作年度报告\n".encode() + b"1 " * 150_000)
    with pytest.raises(
        InputError, match=r"^line 2 has 300000 characters, over the limit of 200000 .*XXGK_MAX_LINE_CHARS"
    ):
        read_report(report)


def test_a_full_standard_error_does_not_stop_the_batch(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01 not a report")
    (tmp_path / "good.txt").write_bytes(JINXIANG.read_bytes())
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "converter", "convert", str(tmp_path), "-o", str(tmp_path / "out")],
            stdout=subprocess.PIPE,
            stderr=full,
            timeout=60,
        )
    assert result.returncode == 1  # the bad file still counts
    assert (tmp_path / "out" / "good.xlsx").is_file()
