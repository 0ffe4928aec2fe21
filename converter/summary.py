"""Plain-text rendering of a Report for the terminal (the JSON form is Report.to_dict())."""

from __future__ import annotations

from .model import Report


def summarize(report: Report) -> str:
    counts = report.status_counts()
    printed_total = sum(n for status, n in counts.items() if status != "derived")
    checks = {s: sum(c.status == s for c in report.checks) for s in ("passed", "failed", "incomplete")}
    lines = [
        f"{report.path}",
        f"  agency    {report.agency or '(not found)'}",
        f"  year      {report.year or '(not found)'}",
        f"  format    {report.format}   (text encoding {report.encoding})",
        "  values    " + ", ".join(f"{n} {status}" for status, n in counts.items() if n) + f"  (of {printed_total} cells + derived)",
        f"  unmapped  {len(report.unmapped)}",
        f"  sum rules {len(report.checks)} checked: {checks['passed']} passed, {checks['failed']} failed, "
        f"{checks['incomplete']} incomplete",
        f"  findings  {len(report.findings)}",
    ]
    lines += [f"    [{f.code}] {f.message}" for f in report.findings]
    return "\n".join(lines)
