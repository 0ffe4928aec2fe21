"""The `xxgk` command: parse options, call the library, print, set the exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ConverterError, InputError, MappingError
from .mapping import Mappings, check_mappings, default_directory, load_mappings
from .pipeline import read_report
from .report_workbook import write_report_workbook
from .series import assemble, read_manifest
from .series_workbook import write_series_workbook
from .summary import summarize

REPORT_SUFFIXES = {".txt", ".text", ".htm", ".html", ".docx", ".xlsx", ".pdf"}

mappings_option = click.option(
    "--mappings", "mappings_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Folder of mapping tables to use instead of the ones shipped with xxgk.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xxgk")
def cli() -> None:
    """Convert 政府信息公开工作年度报告 (government information-disclosure annual reports)
    of any era into the 2021 schema, with every value's status and provenance.

    Example: xxgk inspect samples
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON (Report.to_dict()).")
@click.option("--agency", help="Agency name to use instead of the one found in the text.")
@click.option("--year", type=int, help="Report year to use instead of the one found in the text.")
@mappings_option
def inspect(paths: tuple[Path, ...], as_json: bool, agency: str | None, year: int | None, mappings_dir: Path | None) -> None:
    """Read reports and show what was found: agency, year, format, values, findings.

    PATHS are report files or folders of them.

    \b
    Examples:
      xxgk inspect samples/2023-baofeng-commerce-2021format-tabs.txt
      xxgk inspect --json --year 2023 report.txt > report.json
    """
    mappings = _load(mappings_dir)
    results, failed = [], 0
    for path in _expand(paths):
        try:
            report = read_report(path, mappings=mappings, agency=agency, year=year)
        except ConverterError as exc:
            _error(path, exc)
            failed += 1
            continue
        results.append(report.to_dict() if as_json else summarize(report))
    if as_json:
        payload = results[0] if len(paths) == 1 and len(results) == 1 and paths[0].is_file() else results
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif results:
        click.echo("\n\n".join(results))
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Folder for the workbooks (created if needed), or a .xlsx file name when converting one report.")
@click.option("--agency", help="Agency name to use instead of the one found in the text.")
@click.option("--year", type=int, help="Report year to use instead of the one found in the text.")
@mappings_option
def convert(paths: tuple[Path, ...], output: Path, agency: str | None, year: int | None, mappings_dir: Path | None) -> None:
    """Write one workbook per report: the three 2021 tables in the official layout, every cell
    coloured by its status with its provenance in a comment, plus sheets for all values, unmapped
    fields, sum rules, findings, the source and the legend.

    \b
    Examples:
      xxgk convert samples/2017-jinxiang-commerce-legacy-table.txt -o jinxiang-2017.xlsx
      xxgk convert samples -o converted/
    """
    mappings = _load(mappings_dir)
    files = _expand(paths)
    single = output.suffix.lower() == ".xlsx"
    if single and len(files) != 1:
        _usage(f"-o {output} names one workbook but {len(files)} reports were given; give a folder instead")
    if not single:
        _make_folder(output)
    failed, names = 0, set()
    for path in files:
        target = output if single else output / _unique_name(path, names)
        try:
            report = read_report(path, mappings=mappings, agency=agency, year=year)
            write_report_workbook(report, mappings, target)
        except ConverterError as exc:
            _error(path, exc)
            failed += 1
            continue
        click.echo(f"{path} -> {target}")
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The series workbook to write (.xlsx).")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with columns file, agency, year that overrides what is detected (files relative to the CSV).")
@mappings_option
def series(paths: tuple[Path, ...], output: Path, manifest: Path | None, mappings_dir: Path | None) -> None:
    """Build one workbook of series per agency from many reports: indicators × years with status
    colours, provenance comments and format breaks marked; a long table; unmapped fields per year;
    sum rules; sources; charts; a legend.

    \b
    Examples:
      xxgk series samples -o series.xlsx
      xxgk series archive/ --manifest archive/manifest.csv -o series.xlsx
    """
    mappings = _load(mappings_dir)
    overrides = {}
    if manifest:
        try:
            overrides = read_manifest(manifest)
        except InputError as exc:
            _error(manifest, exc)
            sys.exit(1)
    reports, failed = [], 0
    for path in _expand(paths):
        override = overrides.get(path.resolve())
        try:
            reports.append(read_report(path, mappings=mappings, agency=override and override.agency,
                                       year=override and override.year))
        except ConverterError as exc:
            _error(path, exc)
            failed += 1
    if not reports:
        click.echo("Error: no report could be read; no workbook written", err=True)
        sys.exit(1)
    built = assemble(reports, mappings)
    try:
        write_series_workbook(built, mappings, output)
    except ConverterError as exc:
        _error(output, exc)
        sys.exit(1)
    for _, finding in built.findings:
        click.echo(f"Warning: {finding.message}", err=True)
    breaks = sum(len(a.breaks) for a in built.agencies)
    click.echo(f"{output}: {len(reports)} reports, {len(built.agencies)} agencies, {len(built.slots)} year columns, "
               f"{breaks} format breaks")
    sys.exit(1 if failed else 0)


@cli.group()
def mappings() -> None:
    """Work with the mapping tables (mappings/*.csv)."""


@mappings.command("check")
@mappings_option
def mappings_check(mappings_dir: Path | None) -> None:
    """Check the mapping tables as a whole; list every problem with file and line.

    \b
    Examples:
      xxgk mappings check
      xxgk mappings check --mappings my-edited-tables/
    """
    directory = mappings_dir or default_directory()
    problems = check_mappings(directory)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"Error: {directory}: {len(problems)} problem(s) in the mapping tables", err=True)
        sys.exit(1)
    tables = load_mappings(directory)
    click.echo(f"{directory}: mapping tables are consistent (version {tables.version}): {len(tables.schema)} schema cells, "
               f"{len(tables.maps['legacy'])} legacy and {len(tables.maps['2019'])} 2019-format decisions, "
               f"{len(tables.rules)} sum rules")


def _load(directory: Path | None) -> Mappings:
    try:
        return load_mappings(directory)
    except MappingError as exc:
        click.echo(f"Error: {directory or 'mappings'}: {exc}", err=True)
        sys.exit(1)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders walked for report files, in name order."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                            and not p.name.startswith("."))
        else:
            files.append(path)
    return files


def _unique_name(path: Path, taken: set[str]) -> str:
    """<report name>.xlsx; a second report with the same name gets -2, -3 …"""
    name, n = f"{path.stem}.xlsx", 1
    while name in taken:
        n += 1
        name = f"{path.stem}-{n}.xlsx"
    taken.add(name)
    return name


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        click.echo(f"Error: {folder}: the output folder cannot be created ({exc.strerror})", err=True)
        sys.exit(1)


def _usage(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


def _error(path: Path, exc: Exception) -> None:
    click.echo(f"Error: {path}: {exc}", err=True)


def main() -> None:
    cli(prog_name="xxgk")
