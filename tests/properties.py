"""Properties the tests assert instead of counts an archivist's edit of mappings/ would change."""

from __future__ import annotations


def applicable_rules(report, mappings, applies_to: str = "schema") -> set[str]:
    """The rules a report must be checked against: every cell they name is one its format has. (A rule may
    also apply with fewer cells -- a form's rules use the rows the form has, a `>=` rule the members the
    format collects -- so the checks made are at least these.)"""
    if applies_to == "legacy":
        present = {f.key for f in report.source_fields}
        return {r.name for r in mappings.rules if r.applies_to == "legacy" and set(r.left + r.right) <= present}
    observations = report.observations
    return {
        r.name
        for r in mappings.rules
        if r.applies_to == "schema"
        and all(i in observations and observations[i].status != "not_collected" for i in r.left + r.right)
    }
