"""Reading many reports: folders walked, files read in parallel when asked, results in input order,
a progress bar only for people at a terminal, and a closing summary.

Each worker process loads the mapping tables once; a bad file is a result (its error), never the
end of the run.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._version import TOOL_NAME
from ..errors import ConverterError
from ..mapping import Mappings, load_mappings
from ..model import Report
from ..pipeline import read_report

# Old Office and OpenDocument files too (read through calamine or LibreOffice); images only when named,
# since a folder of saved pages holds logos and icons that are not reports.
REPORT_SUFFIXES = {".txt", ".text", ".htm", ".html", ".docx", ".xlsx", ".pdf", ".xls", ".ods", ".doc", ".wps", ".odt"}
# Files a folder of reports often holds that xxgk cannot read (yet), with what the archivist can do.
# A walk counts them instead of passing them over in silence; a reader added for one of these
# moves its suffix up into REPORT_SUFFIXES.
_SAVE_DOCX = "用 Word 或 WPS 另存为 .docx / save as .docx"
_SAVE_XLSX = "用 Excel 或 WPS 另存为 .xlsx / save as .xlsx"
_SCAN = "图片：如是扫描的报告，请直接指定该文件，由 OCR 读取（需安装 xxgk-converter[ocr]） / an image: name the file to read it by OCR (needs the ocr extra)"
UNREADABLE_SUFFIXES = {
    ".rtf": _SAVE_DOCX,
    ".et": _SAVE_XLSX,
    ".mht": "用浏览器另存为“网页，仅 HTML” / save as .html (web page, HTML only)",
    ".mhtml": "用浏览器另存为“网页，仅 HTML” / save as .html (web page, HTML only)",
    ".ofd": "用 OFD 阅读器另存为 PDF / save as .pdf with an OFD reader",
    ".jpg": _SCAN,
    ".jpeg": _SCAN,
    ".png": _SCAN,
    ".gif": _SCAN,
    ".bmp": _SCAN,
    ".tif": _SCAN,
    ".tiff": _SCAN,
    ".webp": _SCAN,
    ".zip": "先解压 / unpack it first",
    ".rar": "先解压 / unpack it first",
    ".7z": "先解压 / unpack it first",
}
_CHUNK = 8  # files handed to a worker at a time: large enough to keep start-up costs small


@dataclass(frozen=True)
class Job:
    """One file to read, with what the user (or a manifest) said about it."""

    path: Path
    agency: str | None = None
    year: int | None = None
    target: Path | None = None  # where its output goes, for commands that write one file per report


@dataclass
class Outcome:
    job: Job
    report: Report | None = None  # the report itself, when no `then` step was asked for
    error: str | None = None  # the one-line message of what went wrong with this file
    format: str | None = None
    result: Any = None  # what the `then` step made of the report
    traceback: str | None = None  # of an unexpected error, for --debug


# A step run right after reading, in the same process: (report, job, mappings) -> result. In
# parallel runs it keeps the heavy Report in the worker and sends back only what the command needs.
Then = Callable[[Report, Job, Mappings], Any]


@dataclass
class Walk:
    """What a walk found: the files to read, and the files it cannot read, kept to be told."""

    files: list[Path] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)

    def skipped(self) -> list[str]:
        """'跳过 skipped 12 .doc files (用 Word … / save as .docx)', one line per kind, most first."""
        counts = Counter(p.suffix.lower() for p in self.unreadable)
        return [
            f"跳过 skipped {n} {suffix} file{'s' if n > 1 else ''} ({UNREADABLE_SUFFIXES[suffix]})"
            for suffix, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders walked for report files, in name order."""
    return walk(paths).files


def walk(paths: Iterable[Path]) -> Walk:
    """Files as given; folders walked for report files, in name order, and for files of a kind
    xxgk cannot read (UNREADABLE_SUFFIXES), which are counted, not read.

    Hidden files and workbooks that xxgk itself wrote (a series.xlsx saved into the archive
    folder) are outputs, not reports: a walk skips them. The folder of a saved web page's parts
    (`X_files` or `X.files` beside `X.htm` / `X.html`: its pictures, which the page reads when its text
    holds no table, and Word's header.htm and filelist.xml) belongs to the page: a walk does not go into
    it. Nothing else is dropped without a word: a
    folder that cannot be opened, and a link to a missing file, are kept, so that reading them
    gives their one-line error; a linked folder is walked (once, however many links lead to it).
    """
    found = Walk()
    for path in paths:
        if not _is_folder(path):
            found.files.append(path)
            continue
        for p in sorted(_walk(path, path, set())):
            if p.suffix.lower() in UNREADABLE_SUFFIXES:
                found.unreadable.append(p)
            else:
                found.files.append(p)
    return found


def _walk(folder: Path, top: Path, seen: set[str]) -> Iterator[Path]:
    real = os.path.realpath(folder)
    if real in seen:  # a link back to a folder already walked
        return
    seen.add(real)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        yield folder  # reading it says why it cannot be opened
        return
    pages = {entry.name.lower() for entry in entries if entry.name.lower().endswith((".htm", ".html"))}
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            if not _parts_of_a_page(entry.name, pages):
                yield from _walk(path, top, seen)
        elif path.suffix.lower() in REPORT_SUFFIXES and not _written_by_us(path):
            yield path  # a regular file, a link to a missing one, or something else: reading it tells
        elif path.suffix.lower() in UNREADABLE_SUFFIXES:
            yield path  # counted and listed, not read


# The folder a browser or Word saves a page's parts in: X_files (Chrome, Firefox), X.files (Word, Chinese IE).
_PAGE_FOLDER = re.compile(r"(?i)(.+)[_.]files")


def _parts_of_a_page(name: str, pages: set[str]) -> bool:
    """True for the X_files / X.files folder of a page X.htm or X.html saved beside it."""
    match = _PAGE_FOLDER.fullmatch(name)
    return match is not None and bool({f"{match.group(1).lower()}.htm", f"{match.group(1).lower()}.html"} & pages)


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a folder on the way that cannot be searched: reading the path will say so
        return False


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def same_file_key(path: Path) -> str:
    """What tells two names of one file apart from two files: the resolved path."""
    return os.path.normcase(os.path.realpath(path))


def input_keys(files: Iterable[Path]) -> set[str]:
    return {same_file_key(p) for p in files}


def is_one_of(output: Path, inputs: set[str]) -> bool:
    """True when writing `output` would replace one of the input files."""
    return same_file_key(output) in inputs


def _written_by_us(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx" or not os.path.isfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 1 << 20 or info.flag_bits & 0x1:  # ours are small and never encrypted
                return False
            core = archive.read(info)
    except Exception:  # any damage: not ours, and reading it will say what is wrong
        return False
    return re.search(rb"<dc:creator[^>]*>" + TOOL_NAME.encode() + rb"</dc:creator>", core) is not None


def read_all(jobs: list[Job], mappings: Mappings, *, workers: int = 1, then: Then | None = None) -> Iterator[Outcome]:
    """Outcomes in the order of `jobs`; with workers > 1 the files are read in that many processes.

    `then` (a module-level function, so that it can be sent to a worker) turns each report into
    the command's result. Any error of a file — reading it, its `then` step, the process reading it
    dying — becomes that outcome's error; the other files are read.
    """
    if workers <= 1 or len(jobs) < 2:
        yield from (_read(job, mappings, then) for job in jobs)
        return
    yield from _in_processes(jobs, mappings, workers, then)


def _in_processes(jobs: list[Job], mappings: Mappings, workers: int, then: Then | None) -> Iterator[Outcome]:
    """The jobs read in a pool of processes. A worker that dies (killed for memory, a crash in a C
    library) breaks the pool: the unread jobs are then read one process at a time, so that the file
    that kills its process is named and the others still get read."""
    # concurrent.futures.process loads multiprocessing (some 10 ms of every start): only a run with --jobs does
    from concurrent.futures.process import BrokenProcessPool

    chunks = [jobs[start : start + _CHUNK] for start in range(0, len(jobs), _CHUNK)]
    done = 0
    pool = _pool(workers, mappings, then)
    try:
        futures = [pool.submit(_read_chunk, chunk) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            for outcome in _chunk_outcomes(chunk, future):
                done += 1
                yield outcome
    except BrokenProcessPool:
        yield from _one_by_one(jobs[done:], mappings, then)
    finally:  # also when the run is stopped (Ctrl-C, SIGTERM): files not yet started are not started
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(workers: int, mappings: Mappings, then: Then | None):
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(str(mappings.directory), then))


def _chunk_outcomes(chunk: list[Job], future) -> list[Outcome]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as exc:  # the outcomes could not be sent back (a result that does not pickle …)
        return [unexpected(job, exc) for job in chunk]


def _one_by_one(jobs: list[Job], mappings: Mappings, then: Then | None) -> Iterator[Outcome]:
    from concurrent.futures.process import BrokenProcessPool

    while jobs:
        pool = _pool(1, mappings, then)
        try:
            futures = [pool.submit(_read_in_worker, job) for job in jobs]
            for index, future in enumerate(futures):
                try:
                    outcome = future.result()
                except BrokenProcessPool:  # this job's process died: the ones after it get a new process
                    yield Outcome(jobs[index], error=_DIED)
                    jobs = jobs[index + 1 :]
                    break
                yield outcome
            else:
                jobs = []
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


_DIED = "could not be read: the process reading it stopped (out of memory, or a crash in a library)"


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def summary(outcomes: list[Outcome], skipped: Iterable[str] = ()) -> str:
    """'12 files: 11 read (legacy 3, 2019 2, 2021 6), 1 failed', then a line per kind of file skipped."""
    formats = Counter(o.format for o in outcomes if o.format and not o.error)
    by_format = ", ".join(f"{fmt} {formats[fmt]}" for fmt in ("legacy", "2019", "2021") if formats[fmt])
    failed = sum(1 for o in outcomes if o.error)
    read = len(outcomes) - failed
    line = f"{len(outcomes)} files: {read} read" + (f" ({by_format})" if by_format else "") + f", {failed} failed"
    return "\n".join([line, *skipped])


def _read(job: Job, mappings: Mappings, then: Then | None) -> Outcome:
    """One file read (and `then` applied); whatever goes wrong is this file's error, never the run's."""
    fmt = None
    try:
        report = read_report(job.path, mappings=mappings, agency=job.agency, year=job.year)
        fmt = report.format
        if then is None:
            return Outcome(job, report, format=fmt)
        return Outcome(job, format=fmt, result=then(report, job, mappings))
    except ConverterError as exc:
        return Outcome(job, format=fmt, error=str(exc))
    except (Exception, RecursionError, MemoryError) as exc:  # a library's bug or limit on a hostile file
        return unexpected(job, exc, fmt)


def unexpected(job: Job, exc: BaseException, fmt: str | None = None, *, doing: str = "read") -> Outcome:
    """The outcome of an error no reader foresaw: its type and message, the traceback kept for --debug."""
    try:
        message = (str(exc).splitlines() or [""])[0][:300]
    except Exception:  # an exception that cannot even say what it is
        message = ""
    shown = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    detail = "".join(traceback.format_exception(exc))
    return Outcome(job, format=fmt, error=f"could not be {doing}: {shown}", traceback=detail)


_worker: dict = {}


def _start_worker(directory: str, then: Then | None) -> None:
    for name in ("SIGTERM", "SIGHUP"):  # the pool stops its workers with SIGTERM: no handler of the CLI here
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    # Ctrl-C reaches every process of the terminal's group: the parent alone answers it (one line, outputs
    # removed) and stops the pool; a worker's own KeyboardInterrupt would print a traceback each
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["mappings"] = load_mappings(directory)
    _worker["then"] = then


def _read_in_worker(job: Job) -> Outcome:
    return _read(job, _worker["mappings"], _worker["then"])


def _read_chunk(jobs: list[Job]) -> list[Outcome]:
    return [_read_in_worker(job) for job in jobs]


def wants_progress(count: int, quiet: bool) -> bool:
    """A bar helps a person watching a terminal; in a pipe or a log it is noise."""
    return count > 1 and not quiet and sys.stderr.isatty()
