"""Reading many reports: folders walked, files read in parallel when asked, results in input order,
a progress bar only for people at a terminal, and a closing summary.

Each worker process loads the mapping tables once; a bad file is a result (its error), never the
end of the run.
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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
    error: str | None = None  # the one-line message of a ConverterError
    format: str | None = None
    result: Any = None  # what the `then` step made of the report


# A step run right after reading, in the same process: (report, job, mappings) -> result. In
# parallel runs it keeps the heavy Report in the worker and sends back only what the command needs.
Then = Callable[[Report, Job, Mappings], Any]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders walked for report files, in name order.

    Hidden files and workbooks that xxgk itself wrote (a series.xlsx saved into the archive
    folder) are outputs, not reports: a walk skips them.
    """
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in REPORT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not _written_by_us(p)
            )
        else:
            files.append(path)
    return files


def _written_by_us(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return re.search(rb"<dc:creator[^>]*>" + TOOL_NAME.encode() + rb"</dc:creator>", core) is not None


def read_all(jobs: list[Job], mappings: Mappings, *, workers: int = 1, then: Then | None = None) -> Iterator[Outcome]:
    """Outcomes in the order of `jobs`; with workers > 1 the files are read in that many processes.

    `then` (a module-level function, so that it can be sent to a worker) turns each report into
    the command's result; a ConverterError it raises becomes the outcome's error.
    """
    if workers <= 1 or len(jobs) < 2:
        yield from (_read(job, mappings, then) for job in jobs)
        return
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_start_worker, initargs=(str(mappings.directory), then)
    ) as pool:
        yield from pool.map(_read_in_worker, jobs, chunksize=_CHUNK)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def summary(outcomes: list[Outcome]) -> str:
    """'12 files: 11 read (legacy 3, 2019 2, 2021 6), 1 failed'"""
    formats = Counter(o.format for o in outcomes if o.format and not o.error)
    by_format = ", ".join(f"{fmt} {formats[fmt]}" for fmt in ("legacy", "2019", "2021") if formats[fmt])
    failed = sum(1 for o in outcomes if o.error)
    read = len(outcomes) - failed
    return f"{len(outcomes)} files: {read} read" + (f" ({by_format})" if by_format else "") + f", {failed} failed"


def _read(job: Job, mappings: Mappings, then: Then | None) -> Outcome:
    try:
        report = read_report(job.path, mappings=mappings, agency=job.agency, year=job.year)
    except ConverterError as exc:
        return Outcome(job, error=str(exc))
    if then is None:
        return Outcome(job, report, format=report.format)
    try:
        return Outcome(job, format=report.format, result=then(report, job, mappings))
    except ConverterError as exc:
        return Outcome(job, format=report.format, error=str(exc))


_worker: dict = {}


def _start_worker(directory: str, then: Then | None) -> None:
    _worker["mappings"] = load_mappings(directory)
    _worker["then"] = then


def _read_in_worker(job: Job) -> Outcome:
    return _read(job, _worker["mappings"], _worker["then"])


def wants_progress(count: int, quiet: bool) -> bool:
    """A bar helps a person watching a terminal; in a pipe or a log it is noise."""
    return count > 1 and not quiet and sys.stderr.isatty()
