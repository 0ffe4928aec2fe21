"""The `xxgk` command: parse options, call the library, print, set the exit code. Exit codes: 0 every
file went through, 1 some file failed (each said in one `Error:` line), 2 the command was wrong (usage)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ._version import __version__
from .cli_checks import (
    FILE_SUFFIXES,
    MAPPINGS_ENV,
    as_dict,
    as_text,
    audit_rows_of,
    check_output,
    choices,
    export_tables,
    hint_local_copy,
    keep_entry,
    say_tables,
    unreadable_row,
    walk_or_stop,
    warn_unmatched,
    write_workbook,
)
from .cli_checks import error as _error
from .cli_checks import finish as _finish
from .cli_checks import load_tables as _load
from .cli_checks import make_folder as _make_folder
from .cli_checks import one_line as _one_line
from .cli_checks import refuse_input_as_output as _refuse_input_as_output
from .cli_checks import unique_name as _unique_name
from .cli_checks import usage as _usage
from .console import run_guarded
from .console import say as _echo
from .corpus import batch
from .corpus.audit import audit_rows, describe
from .corpus.batch import Job, Outcome, default_workers, read_all
from .corpus.series import assemble, read_manifest
from .errors import ConverterError, InputError
from .mapping import check_mappings, default_directory, load_mappings


def _mappings_option(command):
    return click.option(
        "--mappings",
        "mappings_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=MAPPINGS_ENV,
        show_envvar=True,
        help="Folder of mapping tables to use instead of the ones shipped with xxgk (make one with "
        "`xxgk mappings export DIR`).",
    )(command)


def _set_debug(ctx, param, value: bool) -> None:
    if value:  # meta is shared by the group's and the command's contexts of one run
        ctx.meta["xxgk.debug"] = True


def _debugging() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("xxgk.debug"))


def _debug_option(command):
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_debug,
        help="After an unexpected error's one line, print its Python traceback (for a bug report).",
    )(command)


def _batch_options(command):
    """--jobs, --quiet and --debug, shared by every command that reads many reports."""
    command = _debug_option(command)
    command = click.option(
        "-q", "--quiet", is_flag=True, help="No progress bar and no closing summary (errors are still printed)."
    )(command)
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help=f"Read this many files at once, in parallel processes (this machine: up to {default_workers()}).",
    )(command)


def _override_options(command):
    command = click.option("--year", type=int, help="Report year to use instead of the one found in the text.")(command)
    return click.option("--agency", help="Agency name to use instead of the one found in the text.")(command)


paths_argument = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xxgk")
@_debug_option
def cli() -> None:
    """Convert 政府信息公开工作年度报告 (government information-disclosure annual reports)
    of any era into the 2021 schema, with every value's status and provenance.

    \b
    Example:
      xxgk series samples -o series.xlsx
    """


@cli.command()
@paths_argument
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the full result as JSON (Report.to_dict()): one object per file, one line each (JSON Lines).",
)
@_override_options
@_mappings_option
@_batch_options
def inspect(paths, as_json, agency, year, mappings_dir, jobs, quiet) -> None:
    """Read reports and show what was found: agency, year, format, values, findings.

    PATHS are report files or folders of them.

    \b
    Examples:
      xxgk inspect samples/2023-baofeng-commerce-2021format-tabs.txt
      xxgk inspect --json --year 2023 report.txt > report.json
    """
    found = walk_or_stop(paths)
    files = found.files
    mappings = _load(mappings_dir)
    then = as_dict if as_json else as_text
    reading = read_all([Job(p, agency, year) for p in files], mappings, workers=jobs, then=then)
    outcomes = _collect(_shown(reading, len(files), quiet))
    results = [o.result for o in outcomes if not o.error]
    if as_json:
        # JSON Lines, one object per file (one file: one line, itself a JSON document); an unreadable file too
        for o in outcomes:
            shown = {"file": _one_line(o.job.path), "error": o.error} if o.error else o.result
            _echo(json.dumps(shown, ensure_ascii=False))
    elif results:
        _echo("\n\n".join(results))
    _finish(outcomes, quiet, found)


@cli.command()
@paths_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for the workbooks (created if needed), or a .xlsx file name when converting one report.",
)
@_override_options
@_mappings_option
@_batch_options
def convert(paths, output, agency, year, mappings_dir, jobs, quiet) -> None:
    """Write one workbook per report: the three 2021 tables in the official layout, every cell
    coloured by its status with its provenance in a comment, plus sheets for all values, unmapped
    fields, sum rules, findings, the source and the legend.

    \b
    Examples:
      xxgk convert samples/2017-jinxiang-commerce-legacy-table.txt -o jinxiang-2017.xlsx
      xxgk convert samples -o converted/
    """
    single = output.suffix.lower() == ".xlsx"
    if not single and output.suffix.lower() in FILE_SUFFIXES and not output.is_dir():
        _usage(f"-o {output}: a workbook is written as .xlsx; or give a folder for one workbook per report")
    if single:
        check_output(output)
    found = walk_or_stop(paths)
    files = found.files
    if single and len(files) != 1:
        _usage(f"-o {output} names one workbook but {len(files)} reports were given; give a folder instead")
    inputs = batch.input_keys(files)
    _refuse_input_as_output(output, inputs)
    if not single:
        _make_folder(output)
    mappings = _load(mappings_dir)
    names: set[str] = set()
    work = [Job(p, agency, year, output if single else output / _unique_name(p, names, output, inputs)) for p in files]
    outcomes = []
    for outcome in _shown(read_all(work, mappings, workers=jobs, then=write_workbook), len(files), quiet):
        outcomes.append(outcome)
        if outcome.error:
            _failed(outcome)
        else:
            _echo(f"{_one_line(outcome.job.path)} -> {_one_line(outcome.job.target)}")
    _finish(outcomes, quiet, found)


@cli.command()
@paths_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The series workbook to write (.xlsx).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with columns file, agency, year that overrides what is detected (files relative to the CSV).",
)
@click.option(
    "--long",
    "long_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the long table (one row per value) as .parquet (typed, for pandas or DuckDB) or .csv "
    "(UTF-8 with BOM): the long sheet's rows and columns, with no row limit.",
)
@_mappings_option
@_batch_options
def series(paths, output, manifest, long_path, mappings_dir, jobs, quiet) -> None:
    """Build one workbook of series per agency from many reports: indicators × years with status
    colours, provenance comments and format breaks marked; a long table; unmapped fields per year;
    sum rules and checks across years (each report against the year before); sources; charts; a legend.

    \b
    Examples:
      xxgk series samples -o series.xlsx
      xxgk series archive/ --manifest archive/manifest.csv -o series.xlsx
      xxgk series archive/ -o series.xlsx --long long.parquet
    """
    # The writers, and openpyxl and pyarrow with them, load in the commands that write, not at start-up.
    from .write.long_table import LONG_TABLE_SUFFIXES, write_long_table
    from .write.series_workbook import WRITE_STEPS, wide_slots, write_series_workbook

    if output.suffix.lower() != ".xlsx":
        _usage(f"-o {output}: the series workbook is written as .xlsx (for the long table as .csv, use --long)")
    check_output(output)
    if long_path:
        if long_path.suffix.lower() not in LONG_TABLE_SUFFIXES:
            _usage(f"--long {long_path}: the long table is written as .parquet or .csv")
        check_output(long_path)
    overrides = {}
    if manifest:
        try:
            if os.path.exists(manifest) and not os.path.isfile(manifest):  # a device or a pipe: read forever
                raise InputError("the manifest is not a regular file")
            overrides = read_manifest(manifest)
        except InputError as exc:
            _error(manifest, exc)
            sys.exit(1)
        except Exception as exc:  # a manifest broken in a way read_manifest did not foresee
            _error(manifest, f"the manifest cannot be read ({type(exc).__name__}: {exc})")
            sys.exit(1)
    found = walk_or_stop(paths)
    files = found.files
    _refuse_input_as_output(output, batch.input_keys(files + ([manifest] if manifest else [])))
    warn_unmatched(manifest, overrides, files)
    mappings = _load(mappings_dir)
    jobs_list = []
    for path in files:
        override = overrides.get(path.resolve())
        jobs_list.append(Job(path, override and override.agency, override and override.year))
    outcomes = _collect(_shown(read_all(jobs_list, mappings, workers=jobs, then=keep_entry), len(files), quiet))
    reports = [o.result for o in outcomes if not o.error]
    if not reports:
        _echo("Error: no report could be read; no workbook written", err=True)
        sys.exit(1)
    try:
        built = assemble(reports, mappings)
        with _writing_bar(len(reports), len(reports) * WRITE_STEPS, quiet) as progress:
            write_series_workbook(built, mappings, output, progress)
        count = write_long_table(built, mappings, long_path) if long_path else None
    except ConverterError as exc:
        _error(output, exc)
        sys.exit(1)
    except Exception as exc:  # a bug met on this data: one line (and --debug's traceback), no workbook
        _unwritten(output, exc)
    if long_path:
        _echo(f"{long_path}: {count} rows (长表 long table)")
    for _, finding in built.findings:
        _echo(f"Warning: {finding.message}", err=True)
    mismatches = sum(1 for check in built.crossyear if check.status == "failed")
    if mismatches:
        _echo(
            f"Warning: {mismatches} year-to-year mismatch(es) 跨年核对不一致: see the Rules and Findings sheets",
            err=True,
        )
    breaks = sum(len(a.breaks) for a in built.agencies)
    _echo(
        f"{output}: {len(reports)} reports, {len(built.agencies)} agencies, {len(wide_slots(built))} year columns, "
        f"{breaks} format breaks"
    )
    _finish(outcomes, quiet, found)


@cli.command()
@paths_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the audit to this .xlsx (rows and summaries) or .csv (rows) instead of printing a summary.",
)
@_mappings_option
@_batch_options
def audit(paths, output, mappings_dir, jobs, quiet) -> None:
    """List everything a reviewer must look at across reports: unmapped fields, unknown labels,
    failed sum rules, year-to-year mismatches, missing values, conflicting sources, unreadable files,
    mojibake; and which labels are most often unmapped or unknown (the mapping rows to add next).

    \b
    Examples:
      xxgk audit samples
      xxgk audit archive/ -o audit.xlsx
      xxgk audit archive/ -o audit.csv --jobs 2
    """
    from .write.audit import write_audit  # openpyxl: loaded by the commands that write

    if output and output.suffix.lower() not in (".xlsx", ".csv"):
        _usage(f"-o {output}: the audit is written as .xlsx or .csv")
    if output:
        check_output(output)
    mappings = _load(mappings_dir)
    found = walk_or_stop(paths)
    files = found.files
    if output:
        _refuse_input_as_output(output, batch.input_keys(files))
    outcomes = _collect(
        _shown(read_all([Job(p) for p in files], mappings, workers=jobs, then=audit_rows_of), len(files), quiet),
        say_errors=False,
    )
    rows = audit_rows(outcomes, mappings) + [unreadable_row(p) for p in found.unreadable]
    if output:
        try:
            write_audit(rows, mappings.normalizer, output)
        except ConverterError as exc:
            _error(output, exc)
            sys.exit(1)
        except Exception as exc:  # a bug met on this data: one line (and --debug's traceback), no file
            _unwritten(output, exc)
        _echo(f"{output}: {len(rows)} rows from {len(outcomes)} files")
    else:
        _echo(describe(rows, outcomes, mappings.normalizer))
    # Unreadable files are audit rows; the exit code still says that some file failed.
    for outcome in outcomes:
        if outcome.error:
            _failed(outcome)
    _finish(outcomes, quiet, found)


@cli.group()
def mappings() -> None:
    """Work with the mapping tables (mappings/*.csv).

    \b
    Edit a copy, check it, then use it:
      xxgk mappings export my-tables/
      xxgk mappings check --mappings my-tables/
      xxgk series archive/ -o series.xlsx --mappings my-tables/
    (or set XXGK_MAPPINGS=my-tables/ once for every command)
    """


@mappings.command("check")
@_mappings_option
def mappings_check(mappings_dir: Path | None) -> None:
    """Check the mapping tables as a whole; list every problem with file and line.

    \b
    Examples:
      xxgk mappings check
      xxgk mappings check --mappings my-edited-tables/
    """
    say_tables(mappings_dir)
    directory = mappings_dir or default_directory()
    hint_local_copy(mappings_dir)
    problems = check_mappings(directory)
    for problem in problems:
        _echo(problem)
    if problems:
        _echo(f"Error: {directory}: {len(problems)} problem(s) in the mapping tables", err=True)
        sys.exit(1)
    tables = load_mappings(directory)
    _echo(
        f"{directory}: mapping tables are consistent (version {tables.version}): {len(tables.schema)} schema cells, "
        f"{len(tables.maps['legacy'])} legacy and {len(tables.maps['2019'])} 2019-format decisions, "
        f"{len(tables.rules)} sum rules, {len(tables.series_rules)} rules across years"
    )


@mappings.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite tables already in FOLDER.")
def mappings_export(folder: Path, force: bool) -> None:
    """Write an editable copy of the shipped mapping tables into FOLDER, to edit and then use with
    --mappings FOLDER (or XXGK_MAPPINGS=FOLDER) on every command.

    \b
    Example:
      xxgk mappings export my-tables/
      xxgk mappings check --mappings my-tables/
    """
    export_tables(folder, force)


@cli.command(hidden=True)
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("-n", "--count", type=click.IntRange(min=1), default=100, show_default=True, help="How many reports.")
@click.option("--seed", type=int, default=0, show_default=True, help="The corpus: the same seed gives the same files.")
@click.option("--formats", default="legacy,2019,2021", show_default=True, help="Formats to mix, comma-separated.")
@click.option("--kinds", default="text", show_default=True, help="File kinds to mix: text, html, docx, xlsx.")
@click.option(
    "--truth",
    "truth_format",
    type=click.Choice(["jsonl", "json"]),
    default="jsonl",
    show_default=True,
    help="One truth.jsonl for the corpus, or a <report>.truth.json beside each report.",
)
@_mappings_option
def generate(out_dir, count, seed, formats, kinds, truth_format, mappings_dir) -> None:
    """Write generated reports with known truth, for tests and benchmarks (a development tool).

    \b
    Example:
      xxgk generate corpus/ --count 1000 --seed 7 --kinds text,html
    """
    from .generate import FORMATS, KINDS, write_corpus

    chosen = {"formats": choices(formats, FORMATS, "--formats"), "kinds": choices(kinds, KINDS, "--kinds")}
    mappings = _load(mappings_dir)
    try:
        counts = write_corpus(out_dir, count, seed, truth=truth_format, mappings=mappings, **chosen)
    except ConverterError as exc:
        _error(out_dir, exc)
        sys.exit(1)
    shown = "; ".join(", ".join(f"{k} {v}" for k, v in sorted(group.items())) for group in counts.values())
    _echo(
        f"{out_dir}: {count} reports ({shown}) and their truth "
        f"({'truth.jsonl' if truth_format == 'jsonl' else 'a .truth.json beside each'})"
    )


def _collect(outcomes, *, say_errors: bool = True) -> list[Outcome]:
    """All outcomes; each failure said at once in its one line (unless the caller lists them)."""
    collected = []
    for outcome in outcomes:
        if outcome.error and say_errors:
            _failed(outcome)
        collected.append(outcome)
    return collected


@contextmanager
def _writing_bar(reports: int, steps: int, quiet: bool):
    """A bar over the writing of a series workbook too (most of a large run); None where no bar is shown."""
    if reports < 2 or quiet or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=steps, label="writing", file=sys.stderr, show_pos=True) as bar:
        yield bar.update


def _failed(outcome: Outcome) -> None:
    _error(outcome.job.path, outcome.error)
    if outcome.traceback and _debugging():
        _echo(outcome.traceback.rstrip(), err=True)


def _unwritten(output: Path, exc: Exception) -> None:
    _failed(batch.unexpected(Job(output), exc, doing="written"))
    sys.exit(1)


def main() -> None:
    run_guarded(lambda: cli(prog_name="xxgk"))


def _shown(outcomes: Iterator[Outcome], count: int, quiet: bool) -> Iterator[Outcome]:
    """The outcomes as they come, with a progress bar on a terminal (in a pipe or a log it is noise)."""
    if count < 2 or quiet or not sys.stderr.isatty():
        yield from outcomes
        return
    with click.progressbar(length=count, label="reading", file=sys.stderr, show_pos=True) as bar:
        for outcome in outcomes:
            bar.update(1)
            yield outcome
