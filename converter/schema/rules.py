"""Sum rules (勾稽关系) from mappings/rules.csv, checked on a report's values.

A rule is an equality or an inequality (`=`, `<=`, `>=`). It uses the rows the report's form has: an id
the report never printed (a channel row a local form does not have) is left out of its side, and a
`>=` rule's members that the format does not collect are left out too (fewer members of a total can
only be smaller). A rule whose total or whose every member is absent does not apply, nor does one with
absent rows whose printed rows are the last of the table: there a table cut short cannot be told from a
shorter form.
"""

from __future__ import annotations

from decimal import Decimal

from ..mapping import Mappings, Rule
from ..model import Finding, Observation, RuleCheck

_SHOWN_IDS = 4  # a side with more ids is summarised in messages
_OPERATOR_ZH = {"=": "等于", "<=": "不大于", ">=": "不小于"}


def check_rules(observations: dict[str, Observation], mappings: Mappings, *, applies_to: str = "schema"):
    """Check every rule; return the checks and the findings a reader must see."""
    checks, findings = [], []
    incomplete: dict[str, list[RuleCheck]] = {}
    last_line = _last_line(observations)
    for rule, present in _rules_on(observations, mappings, applies_to):
        check = _check(rule, observations, last_line, present)
        if check is None:
            continue
        checks.append(check)
        if check.status == "failed":
            findings.append(_mismatch(rule, check, _labels(mappings, applies_to)))
        elif check.status == "incomplete":
            incomplete.setdefault(rule.name.split("[")[0], []).append(check)
    findings += [_incomplete(family, group, _labels(mappings, applies_to)) for family, group in incomplete.items()]
    return checks, findings


def _last_line(observations: dict[str, Observation]) -> int | None:
    """The last line any cell was read from (each cell's first source with a line, as Observation.line)."""
    last = None
    for observation in observations.values():
        for source in observation.sources:
            if source.line is not None:
                last = source.line if last is None or source.line > last else last
                break
    return last


def _rules_on(observations: dict[str, Observation], mappings: Mappings, applies_to: str) -> list[tuple]:
    """The rules of `applies_to`, each with the ids of its two sides that the report's cells include. Reports
    of one format have the same cells, so this is worked out once per set of cells, not once per report."""
    cells = frozenset(observations)
    known = mappings.cache.setdefault("rule-sides", {})
    found = known.get((applies_to, cells))
    if found is None:
        if len(known) >= _KEPT_CELL_SETS:
            known.clear()
        found = known[(applies_to, cells)] = [
            (rule, (tuple(i for i in rule.left if i in cells), tuple(i for i in rule.right if i in cells)))
            for rule in mappings.rules
            if rule.applies_to == applies_to
        ]
    return found


_KEPT_CELL_SETS = 64


def _sides(rule: Rule, observations: dict[str, Observation], last_line, present: tuple) -> tuple[tuple, tuple] | None:
    """The ids of each side that the report has (`present`), or None when the rule does not apply to it."""
    left, right = present
    if len(left) + len(right) < len(rule.left) + len(rule.right) and not _table_goes_on(
        left + right, observations, last_line
    ):
        return None
    if rule.operator == ">=":
        right = tuple(i for i in right if observations[i].status != "not_collected")
    if len(left) < len(rule.left) or not right:
        return None
    if any(observations[i].status == "not_collected" for i in left + right):
        return None  # the report's format does not have these cells: the rule does not apply
    return left, right


def _table_goes_on(ids: tuple[str, ...], observations: dict[str, Observation], last_line) -> bool:
    """Whether the report printed something after the rule's rows: then its absent rows are not in the form."""
    lines = [observations[i].line for i in ids if observations[i].line is not None]
    return bool(lines) and last_line is not None and max(lines) < last_line


def _check(rule: Rule, observations: dict[str, Observation], last_line, present: tuple) -> RuleCheck | None:
    sides = _sides(rule, observations, last_line, present)
    if sides is None:
        return None
    left_ids, right_ids = sides
    missing = tuple(i for i in left_ids + right_ids if observations[i].value is None)
    if missing:
        return RuleCheck(rule.name, left_ids, right_ids, None, None, "incomplete", missing)
    left = sum((observations[i].value for i in left_ids), Decimal(0))
    right = sum((observations[i].value for i in right_ids), Decimal(0))
    status = "passed" if rule.holds(left, right) else "failed"
    return RuleCheck(rule.name, left_ids, right_ids, left, right, status)


def _mismatch(rule: Rule, check: RuleCheck, labels: dict[str, str]) -> Finding:
    expected = _OPERATOR_ZH[rule.operator]
    return Finding(
        "sum-mismatch",
        f"勾稽关系 {check.rule} 不成立：左边 {_side(check.left, labels)} = {check.left_value} 应{expected}右边 "
        f"{_side(check.right, labels)} = {check.right_value}（差额 {check.difference}）。{rule.note}",
        id=check.rule,
    )


def _incomplete(family: str, checks: list[RuleCheck], labels: dict[str, str]) -> Finding:
    """One finding per rule family, so that a missing table does not bury the other findings."""
    missing = sorted({cell for check in checks for cell in check.missing})
    shown = "、".join(f"「{labels.get(i, i)}」" for i in missing[:_SHOWN_IDS]) + (
        f" 等 {len(missing)} 个" if len(missing) > _SHOWN_IDS else ""
    )
    names = ", ".join(check.rule for check in checks[:_SHOWN_IDS]) + (" …" if len(checks) > _SHOWN_IDS else "")
    return Finding(
        "rule-incomplete",
        f"勾稽关系 {family} 有 {len(checks)} 处无法核对（{names}）：没有数值的单元格 {shown}",
        id=family,
    )


def _side(ids: tuple[str, ...], labels: dict[str, str]) -> str:
    """A side of a rule as a reader finds it in the table: printed labels (（七）总计 · 自然人), not ids."""
    named = [labels.get(i, i) for i in ids]
    if len(named) <= _SHOWN_IDS:
        return " + ".join(f"「{n}」" for n in named)
    return f"「{named[0]}」 … 「{named[-1]}」 共 {len(named)} 个单元格之和"


def _labels(mappings: Mappings, applies_to: str) -> dict[str, str]:
    """id -> the label a reader finds in the table (cached per set of tables)."""
    key = ("rule-labels", applies_to)
    if key not in mappings.cache:
        if applies_to == "legacy":
            mappings.cache[key] = {i: row.label for i, row in mappings.legacy_rows.items()}
        else:
            mappings.cache[key] = {i: _short_label(cell) for i, cell in mappings.schema.items()}
    return mappings.cache[key]


def _short_label(cell) -> str:
    return " · ".join(part for part in (cell.row_label, cell.column_label) if part) or cell.label
