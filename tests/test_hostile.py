"""One bad file never costs the batch: a corpus of hostile and damaged files (tests/hostile_corpus.py)
beside the samples, run through inspect, convert, series and audit as a user runs them (a
subprocess, with 1 GB of address space and 60 s of CPU), one process and two."""

import csv
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from converter.write.excel import printable

from .hostile_corpus import Corpus, build

GIGABYTE = 1 << 30


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    built = build(tmp_path_factory.mktemp("hostile"))
    yield built
    for path in built.bad:  # let pytest remove what the corpus locked
        if path.exists() and not path.is_symlink() and str(path).startswith(str(built.root)):
            path.chmod(0o700)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIGABYTE, GIGABYTE))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def _run(corpus: Corpus, *args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    return subprocess.run(
        [sys.executable, "-m", "converter", *args],
        cwd=corpus.root,
        env=environment,
        capture_output=True,
        preexec_fn=_limits,
        timeout=120,
    )


def _shown(corpus: Corpus, path: Path) -> str:
    """A file as the command names it: relative to where it ran, one line, printable."""
    name = os.path.relpath(path, corpus.root) if str(path).startswith(str(corpus.root)) else str(path)
    return printable(name, one_line=True)


def _text(stream: bytes) -> str:
    return stream.decode("utf-8", "surrogateescape")


def _inputs(corpus: Corpus) -> list[str]:
    return ["reports", *map(str, corpus.extra)]


def _check_run(corpus: Corpus, result: subprocess.CompletedProcess) -> str:
    """Exit code 1, no traceback, no control character, one Error line per bad file; returns stdout."""
    out, err = _text(result.stdout), _text(result.stderr)
    assert result.returncode == 1, err[-2000:]
    assert "Traceback" not in out + err, err[-3000:]
    for control in ("\x1b", "\x07"):
        assert control not in out + err
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    for path in corpus.bad:
        said = [line for line in errors if line.startswith(f"Error: {_shown(corpus, path)}: ")]
        assert len(said) == 1, (path, said)
    assert len(errors) == len(corpus.bad), "\n".join(errors)
    total = len(corpus.good) + len(corpus.bad)
    assert f"{total} files: {len(corpus.good)} read" in err
    assert f", {len(corpus.bad)} failed" in err
    noise = [line for line in err.splitlines() if not line.startswith(("Error: ", "Warning: ", f"{total} files: "))]
    assert noise == []  # nothing but our lines: no library's log or warning
    return out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_inspect_reads_every_good_file_and_names_every_bad_one_once(corpus, jobs):
    out = _check_run(corpus, _run(corpus, "inspect", "--jobs", jobs, *_inputs(corpus)))
    lines = set(out.splitlines())
    for path in corpus.good:
        assert _shown(corpus, path) in lines
    assert "Error: forged line.txt" not in out.splitlines()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_convert_writes_a_workbook_for_every_good_file(corpus, jobs):
    folder = corpus.root / f"converted-{jobs}"
    out = _check_run(corpus, _run(corpus, "convert", "--jobs", jobs, *_inputs(corpus), "-o", folder.name))
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == len(corpus.good)
    assert all(name.endswith(".xlsx") for name in written)
    assert len(out.splitlines()) == len(corpus.good)  # one "<report> -> <workbook>" line each


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_series_holds_every_good_report(corpus, jobs):
    from openpyxl import load_workbook

    output = corpus.root / f"series-{jobs}.xlsx"
    out = _check_run(corpus, _run(corpus, "series", "--jobs", jobs, *_inputs(corpus), "-o", output.name))
    assert out.startswith(f"{output.name}: {len(corpus.good)} reports,")
    workbook = load_workbook(output, read_only=True)
    rows = list(workbook["来源 Sources"].iter_rows(values_only=True))
    column = rows[0].index("文件 file")
    files = [row[column] for row in rows[1:]]
    assert len(files) == len(corpus.good)
    gbk = [f for f in files if f.endswith("-gbk-name.txt")]
    assert gbk == ["reports/\ufffd\ufffd\ufffd\ufffd-gbk-name.txt"]  # the undecodable bytes, replaced


@pytest.mark.parametrize("jobs, kind", [("1", "csv"), ("2", "xlsx")])
def test_audit_lists_every_bad_file_once_and_stays_clean(corpus, jobs, kind):
    output = corpus.root / f"audit-{jobs}.{kind}"
    _check_run(corpus, _run(corpus, "audit", "--jobs", jobs, *_inputs(corpus), "-o", output.name))
    if kind == "csv":
        text = output.read_text(encoding="utf-8-sig")
        assert "\x1b" not in text and "\x07" not in text
        rows = list(csv.reader(text.splitlines(keepends=True)))
    else:
        from openpyxl import load_workbook

        rows = list(load_workbook(output, read_only=True)["审核清单 Audit"].iter_rows(values_only=True))
    unreadable = [row[0] for row in rows if row[4] == "unreadable-file"]
    assert len(unreadable) == len(corpus.bad)
    [gbk] = [p for p in corpus.bad if p.name.endswith("-gbk-name.docx")]
    assert _shown(corpus, gbk) in unreadable and _shown(corpus, gbk).startswith("reports/\ufffd")
