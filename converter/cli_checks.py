"""What the commands check and tell beyond their options (part of the command line, beside cli.py): the
walk that finds no report, the output checked before any input is read, which mapping tables are in use,
manifest rows that match nothing, files a walk could not read (as audit rows), and the bar over writing.

Each prints one line (console.say: no control characters) and, where the run cannot go on, exits with the
CLI's codes (1 failure, 2 usage). click stays in cli.py: these are plain functions.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .console import say
from .corpus import batch
from .corpus.audit import AuditRow, audit_part
from .corpus.batch import UNREADABLE_SUFFIXES, Job, Outcome, Walk, summary, walk
from .corpus.entries import Entry, Sharer, keep
from .errors import MappingError, OutputError
from .mapping import Mappings, default_directory, load_mappings
from .model import Report
from .write.outputs import printable, writable_folder
from .write.summary import summarize

MAPPINGS_ENV = "XXGK_MAPPINGS"  # the folder of edited tables, for every command


def warn_unmatched(manifest: Path | None, overrides: dict, files: list[Path]) -> None:
    """A manifest row for a file not among the inputs (misspelt, moved) would silently do nothing."""
    given = {p.resolve() for p in files}
    for target, entry in sorted(overrides.items(), key=lambda item: item[1].line):
        if target not in given:
            say(
                f"Warning: {manifest}:{entry.line}: 清单行 {target.name} 不对应任何输入文件 / "
                f"manifest row matches no input file ({target})",
                err=True,
            )


def unreadable_row(path: Path) -> AuditRow:
    """A file of a kind xxgk cannot read, found in a folder: listed for the reviewer, with what to do."""
    what = UNREADABLE_SUFFIXES[path.suffix.lower()]
    message = f"xxgk 读不了 {path.suffix.lower()} 文件 cannot read {path.suffix.lower()} files: {what}"
    return AuditRow(str(path), "", None, "", "unreadable-file", "", "", "", None, None, message)


def hint_local_copy(mappings_dir: Path | None) -> None:
    """An archivist who edited ./mappings but gave no --mappings is checking the installed tables."""
    local = Path("mappings")
    if mappings_dir is None and (local / "schema.csv").is_file():
        if local.resolve() != default_directory().resolve():
            say(
                f"提示 note: 检查的是随 xxgk 安装的映射表，不是 ./mappings；要检查你的修改，请加 --mappings mappings / "
                f"checking the installed tables, not ./mappings; add --mappings mappings (or set {MAPPINGS_ENV})",
                err=True,
            )


def walk_or_stop(paths: tuple[Path, ...]) -> Walk:
    """The files to read; a run that finds none is an error, not "0 files"."""
    found = walk(paths)
    if not found.files:
        skipped = "; ".join(found.skipped())
        where = ", ".join(str(p) for p in paths)
        say(
            f"Error: {where}: 没有找到可读的报告文件 no report file found (.txt .html .docx .xlsx .pdf .doc .xls .ods .odt .wps)"
            + (f"; {skipped}" if skipped else ""),
            err=True,
        )
        sys.exit(1)
    return found


# Suffixes that name a file, not a folder: `convert -o x.csv` is a mistake, not a folder called x.csv.
FILE_SUFFIXES = (".csv", ".xls", ".xlsm", ".json", ".jsonl", ".txt", ".parquet", ".pdf", ".docx", ".doc")


def check_output(path: Path) -> None:
    """Before any input is read: the output's folder exists and can be written in."""
    try:
        writable_folder(path)
    except OutputError as exc:
        say(f"Error: {path}: {exc}", err=True)
        sys.exit(1)


def say_tables(directory: Path | None) -> None:
    """Tables other than the shipped ones are named on stderr, so an output never hides which made it."""
    if directory is not None:
        say(f"映射表 mapping tables: {directory} (不是随 xxgk 安装的 not the ones shipped with xxgk)", err=True)


def load_tables(directory: Path | None) -> Mappings:
    """The mapping tables, said on stderr when not the shipped ones; broken tables end the run."""
    say_tables(directory)
    try:
        return load_mappings(directory)
    except MappingError as exc:
        say(f"Error: {directory or default_directory()}: {exc}", err=True)
        sys.exit(1)


def make_folder(folder: Path) -> None:
    """The output folder, created if needed; one line and exit 1 if it cannot be written in."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        say(f"Error: {folder}: the output folder cannot be created ({exc.strerror})", err=True)
        sys.exit(1)
    if not os.access(folder, os.W_OK):
        say(f"Error: {folder}: no permission to write in the output folder", err=True)
        sys.exit(1)


def export_tables(folder: Path, force: bool) -> None:
    """Copy the shipped tables into `folder`; tables already there (an archivist's edits) only with force."""
    source = default_directory()
    tables = sorted(source.glob("*.csv"))
    present = [t.name for t in tables if (folder / t.name).exists()]
    if present and not force:
        say(
            f"Error: {folder}: 已有映射表 already holds {', '.join(present)}; 加 --force 覆盖 / add --force to overwrite",
            err=True,
        )
        sys.exit(1)
    make_folder(folder)
    try:
        for table in tables:
            shutil.copyfile(table, folder / table.name)
    except OSError as exc:
        say(f"Error: {folder}: cannot be written ({exc.strerror})", err=True)
        sys.exit(1)
    say(f"{folder}: {len(tables)} 张映射表 mapping tables copied from {source}")
    say(f"下一步 next: xxgk mappings check --mappings {folder}", err=True)


def finish(outcomes: list[Outcome], quiet: bool, found: Walk | None = None) -> None:
    """A run of several files, or one that passed over files it cannot read, ends with its summary;
    the exit code says whether any failed."""
    skipped = found.skipped() if found else []
    if (len(outcomes) > 1 or skipped) and not quiet:
        say(summary(outcomes, skipped), err=True)
    sys.exit(1 if any(o.error for o in outcomes) else 0)


def unique_name(path: Path, taken: set[str], folder: Path, inputs: set[str]) -> str:
    """<report name>.xlsx; a second report with the same name, or a name that is an input's, gets -2, -3 …"""
    name, n = f"{path.stem}.xlsx", 1
    while name in taken or batch.is_one_of(folder / name, inputs):
        n += 1
        name = f"{path.stem}-{n}.xlsx"
    taken.add(name)
    return name


def refuse_input_as_output(output: Path, inputs: set[str]) -> None:
    if batch.is_one_of(output, inputs):
        usage(f"{one_line(output)}: is one of the input files; choose another name for the output")


def usage(message: str) -> None:
    say(f"Error: {message}", err=True)
    sys.exit(2)


def error(path: Path, exc) -> None:
    """The one line of a failure: a newline or escape sequence in a file name cannot forge another."""
    say(f"Error: {printable(str(path), one_line=True)}: {printable(str(exc), one_line=True)}", err=True)


def one_line(path) -> str:
    return printable(str(path), one_line=True)


# --- what each file read becomes (module-level, so that worker processes can run it)


def as_dict(report: Report, job: Job, mappings: Mappings) -> dict:
    return report.to_dict()


def as_text(report: Report, job: Job, mappings: Mappings) -> str:
    report.path = Path(one_line(report.path))  # a line break in a file name must not start a line
    return summarize(report)


def write_workbook(report: Report, job: Job, mappings: Mappings) -> None:
    from .write.report_workbook import write_report_workbook  # openpyxl: loaded by the commands that write

    write_report_workbook(report, mappings, job.target)


# One per process: in a run without --jobs, entries share equal values from the moment they are made
# (not only once assemble() shares them again, after each held its own copies).
_sharer = Sharer()


def keep_entry(report: Report, job: Job, mappings: Mappings) -> Entry:
    return keep(report, _sharer)


def choices(text: str, allowed: tuple[str, ...], option: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [c for c in chosen if c not in allowed]
    if unknown or not chosen:
        usage(f"{option} {text}: choose from {', '.join(allowed)}")
    return chosen


def audit_rows_of(report: Report, job: Job, mappings: Mappings):
    return audit_part(report, mappings)
