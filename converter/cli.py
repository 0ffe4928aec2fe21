"""The `xxgk` command: parse options, call the library, print, set the exit code.

Exit codes: 0 every file went through, 1 some file failed (each said in one `Error:` line),
2 the command itself was wrong (usage).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ._version import __version__
from .corpus.audit import audit_part, audit_rows, describe
from .corpus.batch import Job, Outcome, default_workers, expand, read_all, summary
from .corpus.entries import Entry, Sharer, keep
from .corpus.series import assemble, read_manifest
from .errors import ConverterError, InputError, MappingError
from .mapping import Mappings, check_mappings, default_directory, load_mappings
from .model import Report
from .write.audit import write_audit
from .write.report_workbook import write_report_workbook
from .write.series_workbook import write_series_workbook
from .write.summary import summarize


def _mappings_option(command):
    return click.option(
        "--mappings",
        "mappings_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder of mapping tables to use instead of the ones shipped with xxgk.",
    )(command)


def _batch_options(command):
    """--jobs and --quiet, shared by every command that reads many reports."""
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
def cli() -> None:
    """Convert 政府信息公开工作年度报告 (government information-disclosure annual reports)
    of any era into the 2021 schema, with every value's status and provenance.

    \b
    Example:
      xxgk series samples -o series.xlsx
    """


@cli.command()
@paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON (Report.to_dict()).")
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
    files = expand(paths)
    mappings = _load(mappings_dir)
    outcomes = _collect(
        _shown(
            read_all(
                [Job(p, agency, year) for p in files], mappings, workers=jobs, then=_as_dict if as_json else _as_text
            ),
            len(files),
            quiet,
        )
    )
    results = [o.result for o in outcomes if not o.error]
    if as_json:
        single = len(paths) == 1 and paths[0].is_file() and len(results) == 1
        click.echo(json.dumps(results[0] if single else results, ensure_ascii=False, indent=2))
    elif results:
        click.echo("\n\n".join(results))
    _finish(outcomes, quiet)


def _as_dict(report: Report, job: Job, mappings: Mappings) -> dict:
    return report.to_dict()


def _as_text(report: Report, job: Job, mappings: Mappings) -> str:
    return summarize(report)


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
    files = expand(paths)
    single = output.suffix.lower() == ".xlsx"
    if single and len(files) != 1:
        _usage(f"-o {output} names one workbook but {len(files)} reports were given; give a folder instead")
    if not single:
        _make_folder(output)
    mappings = _load(mappings_dir)
    names: set[str] = set()
    work = [Job(p, agency, year, output if single else output / _unique_name(p, names)) for p in files]
    outcomes = []
    for outcome in _shown(read_all(work, mappings, workers=jobs, then=_write_workbook), len(files), quiet):
        outcomes.append(outcome)
        if outcome.error:
            _error(outcome.job.path, outcome.error)
        else:
            click.echo(f"{outcome.job.path} -> {outcome.job.target}")
    _finish(outcomes, quiet)


def _write_workbook(report: Report, job: Job, mappings: Mappings) -> None:
    write_report_workbook(report, mappings, job.target)


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
@_mappings_option
@_batch_options
def series(paths, output, manifest, mappings_dir, jobs, quiet) -> None:
    """Build one workbook of series per agency from many reports: indicators × years with status
    colours, provenance comments and format breaks marked; a long table; unmapped fields per year;
    sum rules and checks across years (each report against the year before); sources; charts; a legend.

    \b
    Examples:
      xxgk series samples -o series.xlsx
      xxgk series archive/ --manifest archive/manifest.csv -o series.xlsx
    """
    overrides = {}
    if manifest:
        try:
            overrides = read_manifest(manifest)
        except InputError as exc:
            _error(manifest, exc)
            sys.exit(1)
    files = expand(paths)
    mappings = _load(mappings_dir)
    jobs_list = []
    for path in files:
        override = overrides.get(path.resolve())
        jobs_list.append(Job(path, override and override.agency, override and override.year))
    outcomes = _collect(_shown(read_all(jobs_list, mappings, workers=jobs, then=_keep), len(files), quiet))
    reports = [o.result for o in outcomes if not o.error]
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
    mismatches = sum(1 for check in built.crossyear if check.status == "failed")
    if mismatches:
        click.echo(
            f"Warning: {mismatches} year-to-year mismatch(es) 跨年核对不一致: see the Rules and Findings sheets",
            err=True,
        )
    breaks = sum(len(a.breaks) for a in built.agencies)
    click.echo(
        f"{output}: {len(reports)} reports, {len(built.agencies)} agencies, {len(built.slots)} year columns, "
        f"{breaks} format breaks"
    )
    _finish(outcomes, quiet)


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
    if output and output.suffix.lower() not in (".xlsx", ".csv"):
        _usage(f"-o {output}: the audit is written as .xlsx or .csv")
    mappings = _load(mappings_dir)
    files = expand(paths)
    outcomes = _collect(
        _shown(read_all([Job(p) for p in files], mappings, workers=jobs, then=_audit_rows), len(files), quiet),
        say_errors=False,
    )
    rows = audit_rows(outcomes, mappings)
    if output:
        try:
            write_audit(rows, mappings.normalizer, output)
        except ConverterError as exc:
            _error(output, exc)
            sys.exit(1)
        click.echo(f"{output}: {len(rows)} rows from {len(outcomes)} files")
    else:
        click.echo(describe(rows, outcomes, mappings.normalizer))
    # Unreadable files are audit rows; the exit code still says that some file failed.
    for outcome in outcomes:
        if outcome.error:
            _error(outcome.job.path, outcome.error)
    _finish(outcomes, quiet)


@cli.group()
def mappings() -> None:
    """Work with the mapping tables (mappings/*.csv).

    \b
    Example:
      xxgk mappings check
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
    directory = mappings_dir or default_directory()
    problems = check_mappings(directory)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"Error: {directory}: {len(problems)} problem(s) in the mapping tables", err=True)
        sys.exit(1)
    tables = load_mappings(directory)
    click.echo(
        f"{directory}: mapping tables are consistent (version {tables.version}): {len(tables.schema)} schema cells, "
        f"{len(tables.maps['legacy'])} legacy and {len(tables.maps['2019'])} 2019-format decisions, "
        f"{len(tables.rules)} sum rules, {len(tables.series_rules)} rules across years"
    )


# One per process: in a run without --jobs, entries share equal values from the moment they are made
# (not only once assemble() shares them again, after each held its own copies).
_sharer = Sharer()


def _keep(report: Report, job: Job, mappings: Mappings) -> Entry:
    return keep(report, _sharer)


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
@click.option(
    "--patterns",
    is_flag=True,
    help="Some reports take the patterns of crawled pages: flattened or glued tables, no headings, a page "
    "that starts inside a table, 「|」 blank cells, unknown legacy editions (the others stay as without).",
)
@_mappings_option
def generate(out_dir, count, seed, formats, kinds, truth_format, patterns, mappings_dir) -> None:
    """Write generated reports with known truth, for tests and benchmarks (a development tool).

    \b
    Example:
      xxgk generate corpus/ --count 1000 --seed 7 --kinds text,html
    """
    from .generate import FORMATS, KINDS, write_corpus

    chosen = {"formats": _choices(formats, FORMATS, "--formats"), "kinds": _choices(kinds, KINDS, "--kinds")}
    mappings = _load(mappings_dir)
    try:
        counts = write_corpus(out_dir, count, seed, truth=truth_format, mappings=mappings, patterns=patterns, **chosen)
    except ConverterError as exc:
        _error(out_dir, exc)
        sys.exit(1)
    shown = "; ".join(", ".join(f"{k} {v}" for k, v in sorted(group.items())) for group in counts.values())
    click.echo(
        f"{out_dir}: {count} reports ({shown}) and their truth "
        f"({'truth.jsonl' if truth_format == 'jsonl' else 'a .truth.json beside each'})"
    )


def _choices(text: str, allowed: tuple[str, ...], option: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [c for c in chosen if c not in allowed]
    if unknown or not chosen:
        _usage(f"{option} {text}: choose from {', '.join(allowed)}")
    return chosen


def _audit_rows(report: Report, job: Job, mappings: Mappings):
    return audit_part(report, mappings)


def _collect(outcomes, *, say_errors: bool = True) -> list[Outcome]:
    """All outcomes; each failure said at once in its one line (unless the caller lists them)."""
    collected = []
    for outcome in outcomes:
        if outcome.error and say_errors:
            _error(outcome.job.path, outcome.error)
        collected.append(outcome)
    return collected


def _finish(outcomes: list[Outcome], quiet: bool) -> None:
    """A run of several files ends with its summary; the exit code says whether any failed."""
    if len(outcomes) > 1 and not quiet:
        click.echo(summary(outcomes), err=True)
    sys.exit(1 if any(o.error for o in outcomes) else 0)


def _load(directory: Path | None) -> Mappings:
    try:
        return load_mappings(directory)
    except MappingError as exc:
        click.echo(f"Error: {directory or 'mappings'}: {exc}", err=True)
        sys.exit(1)


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


def _error(path: Path, exc) -> None:
    click.echo(f"Error: {path}: {exc}", err=True)


def main() -> None:
    cli(prog_name="xxgk")


def _shown(outcomes: Iterator[Outcome], count: int, quiet: bool) -> Iterator[Outcome]:
    """The outcomes as they come, with a progress bar on a terminal (in a pipe or a log it is noise)."""
    if count < 2 or quiet or not sys.stderr.isatty():
        yield from outcomes
        return
    with click.progressbar(length=count, label="reading", file=sys.stderr, show_pos=True) as bar:
        for outcome in outcomes:
            bar.update(1)
            yield outcome
