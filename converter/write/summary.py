"""Plain-text rendering of a Report for the terminal (the JSON form is Report.to_dict())."""

from __future__ import annotations

from ..model import Report


def summarize(report: Report) -> str:
    counts = report.status_counts()
    by_status = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in counts.items() if n)
    lines = [
        f"{report.path}",
        f"  agency    {report.agency or '(not found)'}"
        + (f" (printed {report.agency_printed})" if report.agency_printed not in (None, report.agency) else ""),
        f"  year      {report.year or '(not found)'}",
        f"  format    {report.format}   ({_read_as(report)})",
        f"  values    {len(report.observations)} cells: {by_status}",
        f"  unmapped  {len(report.unmapped)}",
        *([_rules_line("source rules", report.source_checks)] if report.format == "legacy" else []),
        _rules_line("sum rules", report.checks),
        f"  ledger    {report.ledger.get('source_numbers', 0)} numbers in the tables: {report.ledger.get('mapped', 0)} "
        f"mapped, {report.ledger.get('unmapped', 0)} unmapped"
        + ("" if report.ledger.get("balanced") else "  (UNBALANCED)"),
        f"  findings  {len(report.findings)}",
    ]
    lines += [f"    [{f.code}] {f.message}" for f in report.findings]
    return "\n".join(lines)


def _rules_line(title: str, checks) -> str:
    counts = {s: sum(c.status == s for c in checks) for s in ("passed", "failed", "incomplete")}
    return (
        f"  {title:<9} {len(checks)} checked: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['incomplete']} incomplete"
    )


def _read_as(report: Report) -> str:
    """How the file was read: its kind, and for text-like kinds the encoding that decoded it."""
    if report.input_kind in ("text", "html"):
        return f"read as {report.input_kind}, encoding {report.encoding}"
    return f"read as {report.input_kind}"
