"""Speed and memory of xxgk on generated corpora, each against its floor measured in the same run.

    python benchmarks/bench.py all                 # what the README quotes (10,000 reports)
    python benchmarks/bench.py throughput --count 2000
    python benchmarks/bench.py series --count 10000
    python benchmarks/bench.py memory --counts 1000,10000,100000
    python benchmarks/bench.py jobs --count 10000

Corpora are generated once (`xxgk generate`, seed 1) into benchmarks/corpus-<count>/ and reused.
Not part of the test run: timings depend on the machine, so they are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from openpyxl import Workbook  # noqa: E402

from converter import load_mappings, read_report  # noqa: E402
from converter.corpus.batch import expand  # noqa: E402
from converter.corpus.series import assemble  # noqa: E402
from converter.generate import write_corpus  # noqa: E402
from converter.read import read_source  # noqa: E402
from converter.write.series_workbook import write_series_workbook  # noqa: E402

SEED = 1


def corpus(count: int) -> Path:
    """benchmarks/corpus-<count>: `count` generated reports of mixed formats (made once)."""
    folder = HERE / f"corpus-{count}"
    done = folder / ".complete"
    if not done.exists():
        started = time.perf_counter()
        write_corpus(folder, count, SEED)
        done.write_text("")
        print(f"  generated {count} reports in {time.perf_counter() - started:.1f} s")
    return folder


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def files_of(folder: Path) -> list[Path]:
    return [p for p in expand([folder]) if not p.name.endswith(".jsonl")]


def throughput(count: int) -> dict:
    """Parse + map on one core, against merely reading, decoding and cutting the same files into cells."""
    files = files_of(corpus(count))
    mappings = load_mappings()
    for path in files[:50]:  # warm the caches both runs share (label keys, tokens, templates)
        read_report(path, mappings=mappings)
    started = time.perf_counter()
    for path in files:
        read_source(path.read_bytes())
    floor = time.perf_counter() - started
    started = time.perf_counter()
    failed = 0
    for path in files:
        try:
            read_report(path, mappings=mappings)
        except Exception:  # counted, so that a failure cannot pass for speed
            failed += 1
    full = time.perf_counter() - started
    result = {
        "reports": len(files),
        "floor_per_s": len(files) / floor,
        "full_per_s": len(files) / full,
        "ratio": floor / full,
        "failed": failed,
    }
    print(
        f"throughput, {len(files)} reports, one core: floor (read, decode, cells) {result['floor_per_s']:.0f}/s; "
        f"parse + map {result['full_per_s']:.0f}/s = {result['ratio']:.2f} of the floor "
        f"(targets: >= 1000/s and >= 0.5); {failed} failed"
    )
    return result


def series(count: int) -> dict:
    """The series workbook against a floor that writes the same cells with openpyxl's write-only mode alone.

    The floor's rows are the plain values of the rows xxgk appends to its sheets, recorded (untimed) in a
    run of xxgk's writer that keeps the rows and writes nothing; the timed floor then runs no project code:
    it writes those rows, without style, comment or chart. Both files' non-empty cells are counted sheet by
    sheet from their XML, so that "the same cells" is checked, not assumed.
    """
    import converter.write.series_workbook as series_workbook
    from converter.write.excel import SizedSheet

    files = files_of(corpus(count))
    mappings = load_mappings()
    started = time.perf_counter()
    built = assemble((read_report(p, mappings=mappings) for p in files), mappings)
    reading = time.perf_counter() - started
    target, floor_path = HERE / f"series-{count}.xlsx", HERE / f"floor-{count}.xlsx"
    started = time.perf_counter()
    write_series_workbook(built, mappings, target)
    ours = time.perf_counter() - started

    recorded: dict = {}  # sheet -> its rows as plain values, sheets in the order xxgk makes them

    def record(sheet, row):
        recorded.setdefault(sheet, []).append([getattr(item, "value", item) for item in row])

    original_append, original_save = SizedSheet.append, series_workbook.save
    SizedSheet.append, series_workbook.save = record, lambda workbook, path: path
    try:
        write_series_workbook(built, mappings, target.with_suffix(".unused"))
    finally:
        SizedSheet.append, series_workbook.save = original_append, original_save
    workbook = next(iter(recorded)).parent  # its sheets in their order, as xxgk's file lists them
    sheets = [(sheet.title, recorded.get(sheet, [])) for sheet in workbook.worksheets]
    recorded.clear()
    started = time.perf_counter()
    _floor_workbook(sheets, floor_path)
    floor = time.perf_counter() - started
    del sheets

    ours_cells, floor_cells = _filled_cells(target), _filled_cells(floor_path)
    result = {
        "reports": len(files),
        "read_s": reading,
        "series_s": ours,
        "floor_s": floor,
        "ratio": ours / floor,
        "cells": sum(ours_cells),
        "floor_cells": sum(floor_cells),
        "bytes": target.stat().st_size,
    }
    print(
        f"series workbook, {len(files)} reports: xxgk {ours:.1f} s, openpyxl write-only floor {floor:.1f} s = "
        f"{result['ratio']:.2f}x (target <= 1.5x); reading the reports took {reading:.1f} s; "
        f"{target.stat().st_size / 1e6:.0f} MB"
    )
    print(
        f"  non-empty cells per sheet, xxgk {ours_cells} = {sum(ours_cells):,}; floor {floor_cells} = "
        f"{sum(floor_cells):,} ({'the same' if ours_cells == floor_cells else 'DIFFERENT'})"
    )
    floor_path.unlink()
    return result


def _floor_workbook(sheets: list, path: Path) -> None:
    """openpyxl's write-only mode writing `sheets` ([(title, rows of plain values)]) as they are: no project
    code, no style, comment or chart; only what any program writing these cells must do."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def _filled_cells(path: Path) -> list[int]:
    """The non-empty cells (a <v> or an inline string) of each worksheet of `path`, in sheet order."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        counts = []
        for name in sorted(parts, key=lambda n: int(re.search(r"\d+", n).group())):
            count, carry = 0, b""
            with archive.open(name) as part:
                while chunk := part.read(1 << 22):
                    text = carry + chunk
                    cut = text.rfind(b"<")  # a tag cut at the chunk's end goes on with the next chunk
                    cut = len(text) if cut < 0 else cut
                    count += text.count(b"<v>", 0, cut) + text.count(b"<is>", 0, cut)
                    carry = text[cut:]
            counts.append(count + carry.count(b"<v>") + carry.count(b"<is>"))
    return counts


def memory(counts: list[int]) -> list[dict]:
    """Peak memory (resident set) of a whole `xxgk series` run, reading and writing, as a user runs it
    (and of `xxgk audit`, which keeps nothing per report)."""
    results = []
    for count in counts:
        folder = corpus(count)
        row = {"reports": count}
        for command in ("audit", "series"):
            if command == "series" and count > 10_000:
                row[command] = None  # a 100k series writes 26 M long-table rows: hours, not a benchmark
                continue
            output = ["-o", str(HERE / f"mem-{count}.xlsx")] if command == "series" else []
            row[command] = _peak_mb(["-m", "converter", command, str(folder), "-q", *output])
        (HERE / f"mem-{count}.xlsx").unlink(missing_ok=True)
        results.append(row)
        shown = ", ".join(f"{c} {row[c]:.0f} MB" if row[c] else f"{c} not run" for c in ("audit", "series"))
        print(f"peak memory, {count} reports: {shown} (target: series < 500 MB at 10,000)")
    return results


def jobs(count: int) -> dict:
    folder = corpus(count)
    times = {}
    for workers in (1, 2):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "converter", "audit", str(folder), "-q", "--jobs", str(workers)],
            cwd=HERE.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        times[workers] = time.perf_counter() - started
    result = {"reports": count, "one_s": times[1], "two_s": times[2], "speedup": times[1] / times[2]}
    print(
        f"--jobs 2 on {count} reports (xxgk audit): {times[1]:.1f} s -> {times[2]:.1f} s = "
        f"{result['speedup']:.2f}x (target >= 1.6x)"
    )
    return result


def _peak_mb(arguments: list[str]) -> float:
    process = subprocess.Popen(
        [sys.executable, *arguments], cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("all", "throughput", "series", "memory", "jobs"))
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--counts", default="1000,10000")
    arguments = parser.parse_args()
    print(f"machine: {machine()}")
    if arguments.what in ("all", "throughput"):
        throughput(arguments.count)
    if arguments.what in ("all", "jobs"):
        jobs(arguments.count)
    if arguments.what in ("all", "memory"):
        memory([int(c) for c in arguments.counts.split(",")])
    if arguments.what in ("all", "series"):
        series(arguments.count)
    print(f"max resident memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
