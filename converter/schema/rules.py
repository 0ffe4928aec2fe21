"""Sum rules (勾稽关系) from mappings/rules.csv, checked on a report's values."""

from __future__ import annotations

from decimal import Decimal

from ..mapping import Mappings, Rule
from ..model import Finding, Observation, RuleCheck

_SHOWN_IDS = 4  # a side with more ids is summarised in messages


def check_rules(observations: dict[str, Observation], mappings: Mappings, *, applies_to: str = "schema"):
    """Check every rule; return the checks and the findings a reader must see."""
    checks, findings = [], []
    incomplete: dict[str, list[RuleCheck]] = {}
    for rule in mappings.rules:
        if rule.applies_to != applies_to:
            continue
        check = _check(rule, observations)
        if check is None:
            continue
        checks.append(check)
        if check.status == "failed":
            findings.append(_mismatch(rule, check))
        elif check.status == "incomplete":
            incomplete.setdefault(rule.name.split("[")[0], []).append(check)
    findings += [_incomplete(family, group) for family, group in incomplete.items()]
    return checks, findings


def _check(rule: Rule, observations: dict[str, Observation]) -> RuleCheck | None:
    parts = [observations[i] for i in rule.left + rule.right if i in observations]
    if len(parts) < len(rule.left + rule.right) or any(p.status == "not_collected" for p in parts):
        return None  # the report's format does not have these cells: the rule does not apply
    missing = tuple(p.id for p in parts if p.value is None)
    if missing:
        return RuleCheck(rule.name, rule.left, rule.right, None, None, "incomplete", missing)
    left = sum((observations[i].value for i in rule.left), Decimal(0))
    right = sum((observations[i].value for i in rule.right), Decimal(0))
    status = "passed" if abs(left - right) <= rule.tolerance else "failed"
    return RuleCheck(rule.name, rule.left, rule.right, left, right, status)


def _mismatch(rule: Rule, check: RuleCheck) -> Finding:
    return Finding(
        "sum-mismatch",
        f"sum rule {check.rule} fails: {_side(check.left)} = {check.left_value} but "
        f"{_side(check.right)} = {check.right_value} (difference {check.difference}). {rule.note}",
        id=check.rule,
    )


def _incomplete(family: str, checks: list[RuleCheck]) -> Finding:
    """One finding per rule family, so that a missing table does not bury the other findings."""
    missing = sorted({cell for check in checks for cell in check.missing})
    shown = ", ".join(missing[:_SHOWN_IDS]) + (
        f" and {len(missing) - _SHOWN_IDS} more" if len(missing) > _SHOWN_IDS else ""
    )
    names = ", ".join(check.rule for check in checks[:_SHOWN_IDS]) + (" …" if len(checks) > _SHOWN_IDS else "")
    return Finding(
        "rule-incomplete",
        f"sum rule {family} cannot be checked in {len(checks)} case(s) ({names}): no value for {shown}",
        id=family,
    )


def _side(ids: tuple[str, ...]) -> str:
    if len(ids) <= _SHOWN_IDS:
        return " + ".join(ids)
    return f"the {len(ids)} cells {ids[0]} … {ids[-1]}"
