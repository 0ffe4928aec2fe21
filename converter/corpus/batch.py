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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._version import TOOL_NAME
from ..errors import ConverterError
from ..mapping import Mappings, load_mappings
from ..model import Report
from ..pipeline import read_report

REPORT_SUFFIXES = {".txt", ".text", ".htm", ".html", ".docx", ".xlsx", ".pdf"}
# Files a folder of reports often holds that xxgk cannot read (yet), with what the archivist can do.
# A walk counts them instead of passing them over in silence; a reader added for one of these
# moves its suffix up into REPORT_SUFFIXES.
_SAVE_DOCX = "用 Word 或 WPS 另存为 .docx / save as .docx"
_SAVE_XLSX = "用 Excel 或 WPS 另存为 .xlsx / save as .xlsx"
_SCAN = "扫描图片，需先识别文字（OCR）再存为 .docx 或 .txt / a scanned image: OCR it, then save as .docx or .txt"
UNREADABLE_SUFFIXES = {
    ".doc": _SAVE_DOCX,
    ".wps": _SAVE_DOCX,
    ".rtf": _SAVE_DOCX,
    ".odt": _SAVE_DOCX,
    ".xls": _SAVE_XLSX,
    ".et": _SAVE_XLSX,
    ".ods": _SAVE_XLSX,
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
    error: str | None = None  # the one-line message of a ConverterError
    format: str | None = None
    result: Any = None  # what the `then` step made of the report


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
    folder) are outputs, not reports: a walk skips them.
    """
    found = Walk()
    for path in paths:
        if not path.is_dir():
            found.files.append(path)
            continue
        for p in sorted(path.rglob("*")):
            if not p.is_file() or any(part.startswith(".") for part in p.relative_to(path).parts):
                continue
            suffix = p.suffix.lower()
            if suffix in REPORT_SUFFIXES and not _written_by_us(p):
                found.files.append(p)
            elif suffix in UNREADABLE_SUFFIXES:
                found.unreadable.append(p)
    return found


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


def summary(outcomes: list[Outcome], skipped: Iterable[str] = ()) -> str:
    """'12 files: 11 read (legacy 3, 2019 2, 2021 6), 1 failed', then a line per kind of file skipped."""
    formats = Counter(o.format for o in outcomes if o.format and not o.error)
    by_format = ", ".join(f"{fmt} {formats[fmt]}" for fmt in ("legacy", "2019", "2021") if formats[fmt])
    failed = sum(1 for o in outcomes if o.error)
    read = len(outcomes) - failed
    line = f"{len(outcomes)} files: {read} read" + (f" ({by_format})" if by_format else "") + f", {failed} failed"
    return "\n".join([line, *skipped])


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
