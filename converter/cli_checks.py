"""What the commands check and tell beyond their options (part of the command line, beside cli.py): the
walk that finds no report, the output checked before any input is read, which mapping tables are in use,
manifest rows that match nothing, files a walk could not read (as audit rows), and the bar over writing.

Each prints with click and, where the run cannot go on, exits with the CLI's codes (1 failure, 2 usage).
"""

from __future__ import annotations

import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from .corpus.audit import AuditRow
from .corpus.batch import UNREADABLE_SUFFIXES, Walk, walk
from .errors import MappingError, OutputError
from .mapping import Mappings, default_directory, load_mappings
from .write.excel import writable_folder
from .write.series_workbook import WRITE_STEPS

MAPPINGS_ENV = "XXGK_MAPPINGS"  # the folder of edited tables, for every command


def warn_unmatched(manifest: Path | None, overrides: dict, files: list[Path]) -> None:
    """A manifest row for a file not among the inputs (misspelt, moved) would silently do nothing."""
    given = {p.resolve() for p in files}
    for target, entry in sorted(overrides.items(), key=lambda item: item[1].line):
        if target not in given:
            click.echo(
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
            click.echo(
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
        click.echo(
            f"Error: {where}: 没有找到可读的报告文件 no report file found (.txt .html .docx .xlsx .pdf)"
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
        click.echo(f"Error: {path}: {exc}", err=True)
        sys.exit(1)


def say_tables(directory: Path | None) -> None:
    """Tables other than the shipped ones are named on stderr, so an output never hides which made it."""
    if directory is not None:
        click.echo(f"映射表 mapping tables: {directory} (不是随 xxgk 安装的 not the ones shipped with xxgk)", err=True)


def load_tables(directory: Path | None) -> Mappings:
    """The mapping tables, said on stderr when not the shipped ones; broken tables end the run."""
    say_tables(directory)
    try:
        return load_mappings(directory)
    except MappingError as exc:
        click.echo(f"Error: {directory or default_directory()}: {exc}", err=True)
        sys.exit(1)


def make_folder(folder: Path) -> None:
    """The output folder, created if needed; one line and exit 1 if it cannot be written in."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        click.echo(f"Error: {folder}: the output folder cannot be created ({exc.strerror})", err=True)
        sys.exit(1)
    if not os.access(folder, os.W_OK):
        click.echo(f"Error: {folder}: no permission to write in the output folder", err=True)
        sys.exit(1)


def export_tables(folder: Path, force: bool) -> None:
    """Copy the shipped tables into `folder`; tables already there (an archivist's edits) only with force."""
    source = default_directory()
    tables = sorted(source.glob("*.csv"))
    present = [t.name for t in tables if (folder / t.name).exists()]
    if present and not force:
        click.echo(
            f"Error: {folder}: 已有映射表 already holds {', '.join(present)}; 加 --force 覆盖 / add --force to overwrite",
            err=True,
        )
        sys.exit(1)
    make_folder(folder)
    try:
        for table in tables:
            shutil.copyfile(table, folder / table.name)
    except OSError as exc:
        click.echo(f"Error: {folder}: cannot be written ({exc.strerror})", err=True)
        sys.exit(1)
    click.echo(f"{folder}: {len(tables)} 张映射表 mapping tables copied from {source}")
    click.echo(f"下一步 next: xxgk mappings check --mappings {folder}", err=True)


@contextmanager
def writing_bar(reports: int, quiet: bool):
    """A bar over the writing of a series workbook too (most of a large run); None where no bar is shown."""
    if reports < 2 or quiet or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=reports * WRITE_STEPS, label="writing", file=sys.stderr, show_pos=True) as bar:
        yield bar.update
