"""Plain-text rendering of a Report for the terminal (the JSON form is Report.to_dict())."""

from __future__ import annotations

from .model import Report


def summarize(report: Report) -> str:
    counts = report.status_counts()
    checks = {s: sum(c.status == s for c in report.checks) for s in ("passed", "failed", "incomplete")}
    by_status = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in counts.items() if n)
    lines = [
        f"{report.path}",
        f"  agency    {report.agency or '(not found)'}",
        f"  year      {report.year or '(not found)'}",
        f"  format    {report.format}   (text encoding {report.encoding})",
        f"  values    {len(report.observations)} cells: {by_status}",
        f"  unmapped  {len(report.unmapped)}",
        f"  sum rules {len(report.checks)} checked: {checks['passed']} passed, {checks['failed']} failed, "
        f"{checks['incomplete']} incomplete",
        f"  findings  {len(report.findings)}",
    ]
    lines += [f"    [{f.code}] {f.message}" for f in report.findings]
    return "\n".join(lines)
