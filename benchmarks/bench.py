"""Speed and memory of xxgk on real reports and generated corpora, each against its floor measured in the same run.

    python benchmarks/bench.py all                 # what the README quotes (10,000 reports)
    python benchmarks/bench.py throughput --count 2000   # unique copies of the real reports in samples/ and tests
    python benchmarks/bench.py series --count 10000
    python benchmarks/bench.py memory --counts 1000,10000,100000
    python benchmarks/bench.py jobs --count 10000
    python benchmarks/bench.py startup             # one file from the command line, against `python -c pass`
    python benchmarks/bench.py stages              # where read_report's time goes
    python benchmarks/bench.py convert             # writing one report's workbook, per sample

Corpora are generated once (`xxgk generate`, seed 1) into benchmarks/corpus-<count>/ and reused.
Not part of the test run: timings depend on the machine, so they are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from openpyxl import Workbook  # noqa: E402

from converter import load_mappings, read_report  # noqa: E402
from converter.corpus.batch import expand  # noqa: E402
from converter.corpus.series import assemble  # noqa: E402
from converter.errors import InputError  # noqa: E402
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


# Real reports for the throughput figure: the samples and the real pages kept in the tests (text and web pages).
REAL_FOLDERS = (HERE.parent / "samples", HERE.parent / "tests" / "fixtures" / "real")
_SIMPLE_NUMBERS = re.compile(r"\d+(?:\.\d+)?")
_SIMPLE_CUT = re.compile(r"[|\t]")


def real_copies(count: int) -> tuple[list[Path], list[Path]]:
    """The real reports, and `count` unique copies of them in benchmarks/corpus-real-<count>/ (made once): each
    copy ends with a blank line of its own length, so that no two files are the same (as in an archive)."""
    originals = sorted(p for folder in REAL_FOLDERS for p in folder.rglob("*") if p.suffix in (".txt", ".html", ".htm"))
    originals = [p for p in originals if p.name != "README.txt"]
    folder = HERE / f"corpus-real-{count}"
    if not (folder / ".complete").exists():
        folder.mkdir(exist_ok=True)
        for number in range(count):
            original = originals[number % len(originals)]
            marker = b"\n" + b" " * (number % 97) + b"\n" * (1 + number // 97 % 50)
            (folder / f"{number:05d}-{original.name}").write_bytes(original.read_bytes() + marker)
        (folder / ".complete").write_text("")
    return originals, sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def simple_floor(paths: list[Path]) -> None:
    """What any reader must do: read the bytes, decode, cut lines at '|' and tabs, find the numbers."""
    for path in paths:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030", "replace")
        for line in text.splitlines():
            for piece in _SIMPLE_CUT.split(line):
                _SIMPLE_NUMBERS.findall(piece)


def cell_floor(paths: list[Path]) -> None:
    """xxgk's own first step alone: read, decode and cut into cells (read_source)."""
    for path in paths:
        read_source(path.read_bytes())


def read_all(paths: list[Path]) -> int:
    """The public read_report(path) with the default tables, as an analyst calls it; returns the refusals."""
    refused = 0
    for path in paths:
        try:
            read_report(path)
        except InputError:  # a real page that holds no table (a letter, prose only): refused, and counted
            refused += 1
    return refused


def cpu_seconds(work, *arguments):
    started = time.process_time()
    result = work(*arguments)
    return time.process_time() - started, result


def throughput(count: int) -> dict:
    """Parse + map on one core through read_report(path), on unique copies of real reports, against two floors
    measured in the same run; CPU time, so that other jobs on the machine do not count."""
    originals, copies = real_copies(count)
    cold, _ = cpu_seconds(read_all, originals)  # first read of each distinct report: nothing seen before
    simple, _ = cpu_seconds(simple_floor, copies)
    cells, _ = cpu_seconds(cell_floor, copies)
    full, refused = cpu_seconds(read_all, copies)
    result = {
        "reports": len(copies),
        "distinct": len(originals),
        "cold_per_s": len(originals) / cold,
        "simple_floor_per_s": len(copies) / simple,
        "cell_floor_per_s": len(copies) / cells,
        "full_per_s": len(copies) / full,
        "ratio_simple": simple / full,
        "ratio_cells": cells / full,
        "refused": refused,
    }
    print(
        f"throughput, {len(copies)} unique copies of {len(originals)} real reports, one core (CPU time): "
        f"read_report(path) {result['full_per_s']:.0f}/s; simple floor (read, decode, cut at | and tabs, find "
        f"numbers) {result['simple_floor_per_s']:.0f}/s = {result['ratio_simple']:.3f} of it; cell floor "
        f"(read_source) {result['cell_floor_per_s']:.0f}/s = {result['ratio_cells']:.2f} of it; first read of each "
        f"distinct report {result['cold_per_s']:.0f}/s (targets: >= 1000/s and >= 0.5 of the simple floor); "
        f"{refused} refused (pages without a table)"
    )
    return result


# The stages of read_report, in order, as converter/pipeline.py names them (the benchmark wraps each in a timer).
STAGES = (
    ("_read_bytes", "read the file"),
    ("read_source", "decode, cut into cells"),
    ("cut_glued", "cut glued and flattened lines"),
    ("detect_format", "tell the format"),
    ("_read_source_tables", "find and read the tables"),
    ("_set_metadata", "agency and year"),
    ("_map", "map to 2021, derived cells, sum rules"),
    ("_ledger", "ledger"),
    ("find_mojibake", "mojibake"),
    ("read_narrative", "figures in the prose"),
    ("check_narrative", "prose against tables"),
)


def stages(count: int) -> dict:
    """Where the time of read_report(path) goes: each stage's CPU time per report on the real copies."""
    import converter.pipeline as pipeline

    _, copies = real_copies(count)
    spent = dict.fromkeys([name for name, _ in STAGES], 0.0)
    originals = {name: getattr(pipeline, name) for name in spent}

    def timed(name):
        def run(*arguments, **keywords):
            started = time.process_time()
            try:
                return originals[name](*arguments, **keywords)
            finally:
                spent[name] += time.process_time() - started

        return run

    read_all(copies[:100])  # warm, untimed
    for name in spent:
        setattr(pipeline, name, timed(name))
    try:
        spent.update(dict.fromkeys(spent, 0.0))
        total, _ = cpu_seconds(read_all, copies)
    finally:
        for name, original in originals.items():
            setattr(pipeline, name, original)
    per_report = {name: seconds / len(copies) * 1000 for name, seconds in spent.items()}
    print(f"where read_report's time goes, {len(copies)} real copies: {total / len(copies) * 1000:.2f} ms a report")
    for name, what in STAGES:
        print(f"  {what:40s} {per_report[name]:.3f} ms  {per_report[name] / (total / len(copies) * 1000):5.1%}")
    return per_report


CONVERT_RUNS = 5


def convert() -> dict:
    """`xxgk convert`'s writing, per report: each sample's workbook (official layout, values, unmapped fields,
    rules, findings, source, legend), best of CONVERT_RUNS, the reading not counted; beside it, openpyxl's
    write-only mode writing one plain row per 2021 cell of the same report (the least any workbook of it costs)."""
    from converter.write.report_workbook import write_report_workbook

    mappings = load_mappings()
    reports = [read_report(p, mappings=mappings) for p in files_of(HERE.parent / "samples")]
    folder = Path(tempfile.mkdtemp(prefix="xxgk-convert-"))
    ours, floor = [], []
    for number, report in enumerate(reports):
        rows = [(o.id, o.value, o.status) for o in report.observations.values()]
        ours.append(_best(write_report_workbook, report, mappings, folder / f"{number}.xlsx"))
        floor.append(_best(_plain_workbook, rows, folder / f"floor-{number}.xlsx"))
    shutil.rmtree(folder)
    result = {"reports": len(reports), "mean_ms": 1000 * sum(ours) / len(ours), "worst_ms": 1000 * max(ours)}
    result["floor_ms"] = 1000 * sum(floor) / len(floor)
    print(
        f"convert, {len(reports)} sample reports, writing only (best of {CONVERT_RUNS}): {result['mean_ms']:.1f} ms a "
        f"report on average, {result['worst_ms']:.1f} ms the slowest (target <= 30 ms); openpyxl write-only, one "
        f"plain row per 2021 cell: {result['floor_ms']:.1f} ms = {result['mean_ms'] / result['floor_ms']:.1f}x"
    )
    return result


def _best(work, *arguments) -> float:
    times = []
    for _ in range(CONVERT_RUNS):
        started = time.perf_counter()
        work(*arguments)
        times.append(time.perf_counter() - started)
    return min(times)


def _plain_workbook(rows: list[tuple], path: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("values")
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


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
    """`xxgk audit --jobs 2` against `--jobs 1`, beside a control: the same CPU-bound loop run once and then twice
    at once. The control's speed-up is what two cores give on this machine right now (2.0 when both are idle):
    xxgk's speed-up means something only next to it."""
    folder = corpus(count)
    control = {workers: _busy_loops(workers) for workers in (1, 2)}
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
    result = {
        "reports": count,
        "one_s": times[1],
        "two_s": times[2],
        "speedup": times[1] / times[2],
        "control_speedup": 2 * control[1] / control[2],
    }
    print(
        f"--jobs 2 on {count} reports (xxgk audit): {times[1]:.1f} s -> {times[2]:.1f} s = "
        f"{result['speedup']:.2f}x (target >= 1.6x); control, two busy loops against one: "
        f"{result['control_speedup']:.2f}x (2.00 on two idle cores)"
    )
    return result


_BUSY_LOOP = "n = 0\nfor i in range(60_000_000):\n    n += i"


def _busy_loops(count: int) -> float:
    """Wall time of `count` copies of one CPU-bound loop started together."""
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-c", _BUSY_LOOP]) for _ in range(count)]
    for process in processes:
        process.wait()
    return time.perf_counter() - started


def _peak_mb(arguments: list[str]) -> float:
    process = subprocess.Popen(
        [sys.executable, *arguments], cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024  # kB on Linux


STARTUP_SAMPLE = HERE.parent / "samples" / "2023-baofeng-commerce-2021format-tabs.txt"
STARTUP_RUNS = 10


def startup(runs: int = STARTUP_RUNS) -> dict:
    """One file from the command line: the wall time of `python -m converter inspect <sample>` and of
    `xxgk --help`, best of `runs`, against a bare interpreter's start (`python -c pass`) in the same run.

    The three run in turn, so that a busy moment of the machine falls on all of them; the CPU time is
    shown beside. Compiled bytecode is kept (in a temporary folder, whatever PYTHONDONTWRITEBYTECODE
    says), as it is after `pip install`: compiling the package's source again each time is not start-up."""
    xxgk = Path(sys.executable).with_name("xxgk")
    help_command = [str(xxgk), "--help"] if xxgk.exists() else [sys.executable, "-m", "converter", "--help"]
    sample = str(STARTUP_SAMPLE)
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        f"python -m converter inspect {STARTUP_SAMPLE.name}": [sys.executable, "-m", "converter", "inspect", sample],
        " ".join([Path(help_command[0]).name, *help_command[1:]]): help_command,
    }
    with tempfile.TemporaryDirectory(prefix="xxgk-bytecode-") as bytecode:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = bytecode
        for command in commands.values():
            _timed_run(command, env)  # compiles the bytecode once
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                timings[name].append(_timed_run(command, env))
    (floor_name, floor), *measured = ((name, min(times)) for name, times in timings.items())
    print(f"start-up, best of {runs}: floor {floor_name} {floor[0] * 1000:.0f} ms wall ({floor[1] * 1000:.0f} ms CPU)")
    for name, (wall, cpu) in measured:
        print(
            f"  {name}: {wall * 1000:.0f} ms wall ({cpu * 1000:.0f} ms CPU), "
            f"{(wall - floor[0]) * 1000:.0f} ms over the floor"
        )
    print("  (target: one file from the command line < 200 ms wall)")
    (_, inspect), (_, help_) = measured
    return {"runs": runs, "floor_s": floor[0], "inspect_s": inspect[0], "help_s": help_[0]}


def _timed_run(command: list[str], env: dict) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of `command`; a failing run stops the benchmark."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=HERE.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed (wait status {status}): run it alone to see why")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "what", choices=("all", "throughput", "stages", "convert", "series", "memory", "jobs", "startup")
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--counts", default="1000,10000")
    arguments = parser.parse_args()
    print(f"machine: {machine()}")
    if arguments.what in ("all", "startup"):
        startup()
    if arguments.what in ("all", "throughput"):
        throughput(arguments.count)
    if arguments.what in ("all", "stages"):
        stages(min(arguments.count, 2000))
    if arguments.what in ("all", "convert"):
        convert()
    if arguments.what in ("all", "jobs"):
        jobs(arguments.count)
    if arguments.what in ("all", "memory"):
        memory([int(c) for c in arguments.counts.split(",")])
    if arguments.what in ("all", "series"):
        series(arguments.count)
    print(f"max resident memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
