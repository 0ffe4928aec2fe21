"""Legacy tables as local editions printed them: rows reworded in an edition the mapping tables do not
know, rows the known forms lack, and figures whose arithmetic holds as in real tables (a sub-item at most
its parent in every column) where a glued table is read by it."""

from __future__ import annotations

from .draws import draw_count
from .unglue import reader_parents

# Rewordings later local editions printed (主动公开信息数 → 主动公开文件数 in 平潭's): here ones no mapping
# table knows, so that the row is an unknown label; and rows the known forms lack.
_REWORDINGS = (
    ("信息数", "信息条数"),
    ("答复总数", "回复总件数"),
    ("答复数", "回复件数"),
    ("申请数", "申请件数"),
    ("公开数", "公开条目数"),
    ("复议数", "复议案件数"),
    ("诉讼数", "诉讼案件数"),
)
_NEW_ROWS = (("依申请公开收费减免金额", "元"), ("政务新媒体发布信息数", "条"), ("公开指南更新次数", "次"))


class Unknown:
    """A printed row no mapping table knows: its slots carry no source field (key "")."""

    parent = ""

    def __init__(self, id: str, label: str, unit: str):
        self.id, self.label, self.unit = id, label, unit


def _reworded(label: str) -> str | None:
    return next((label.replace(old, new, 1) for old, new in _REWORDINGS if old in label), None)


def renamed_rows(
    rng, plan, rows: list, values: dict, headings: set[str], uses_units: bool, busy: bool
) -> tuple[list, dict]:
    """Some rows reworded as a later local edition printed them, and a row the known forms lack; their
    printed labels are in no mapping table, so they have no row id (""): listed, never mapped."""
    known = plan.known_label_keys
    out, values = [], dict(values)
    for row in rows:
        new = _reworded(row.label) if row.id not in headings and rng.random() < 0.3 else None
        if new and plan.m.normalizer.key(new) not in known:
            unknown = Unknown(f"?{row.id}", new, row.unit)
            values[unknown.id] = values[row.id]
            row = unknown
        out.append(row)
    label, unit = rng.choice(_NEW_ROWS)
    extra = Unknown("?new", label, unit if uses_units else "")
    values[extra.id] = draw_count(rng, busy)
    return out + [extra], values


def nested_values(rng, rows: list, values: dict, headings: set[str]) -> dict:
    """Glued rows are cut by their arithmetic, so it holds as in real tables: a sub-item is at most its
    parent in every column (a sub-item larger than its parent is left as 0, with its own parts); returns
    each row's cumulative figure (历年累计), at least its parts'."""
    parents = reader_parents([(r.id, r.parent, r.label) for r in rows])
    parents = {k: p for k, p in parents.items() if p and p not in headings}
    for row in rows:  # printed order: a parent before its parts
        parent = parents.get(row.id)
        if parent and values[row.id] > values[parent]:
            values[row.id] = type(values[row.id])(0)
            for child in [r.id for r in rows if parents.get(r.id) == row.id]:
                values[child] = type(values[child])(0)
    extra: dict = {}
    for row in reversed(rows):  # parts before their parent
        parts = [extra[k] for k, p in parents.items() if p == row.id and k in extra]
        extra[row.id] = max([draw_count(rng, True), *parts])
    for row in reversed(rows):
        parent = parents.get(row.id)
        if parent and values[row.id] + extra[row.id] > values[parent] + extra[parent]:
            extra[parent] += values[row.id] + extra[row.id] - values[parent] - extra[parent]
    return {row.id: values[row.id] + extra[row.id] for row in rows}
