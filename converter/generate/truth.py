"""The truth of a generated report: what a reader must get, computed from what was written and from the
mapping tables' decisions, never by reading the report back.

This module is an independent oracle of the mapping and rule semantics (statuses from relations,
preferred and alternative sources, summed groups, derived cells, sum rules, the ledger and the
finding codes): it deliberately does not call converter.schema or converter.parse, so that the
property tests compare two implementations. When the semantics change (README, "Status of a value",
"Findings"; mappings/*.csv columns), change this module with them, or the generated tests fail.
"""

from __future__ import annotations

from ..model import json_number
from .builder import Builder
from .plan import Plan, legacy_column
from .spec import Slot, Spec
from .unglue import classify, digit_pieces, reader_parents, rules_keep


def _number(value):
    """A value as JSON holds it (as Report.to_dict writes it): int when whole, else float."""
    if value is None or type(value) is int:
        return value
    return json_number(value)


def _json_ready(observations: dict) -> dict:
    """Observations as JSON holds them (values int or float); changed in place, for speed."""
    for observation in observations.values():
        if observation[0] is not None and type(observation[0]) is not int:
            observation[0] = json_number(observation[0])
    return observations


def _plain_label(text: str) -> str:
    return text.replace("\u3000", " ").strip()


def _status(decisions) -> str:
    """A mapped value's status from its decisions' two flags (README "Status of a value"): approx when any
    meaning is approximate, else summed when fields are added, else exact."""
    if any(d.meaning == "approx" for d in decisions):
        return "approx"
    return "summed" if len(decisions) > 1 or decisions[0].combination == "summed" else "exact"


class Truth:
    """What the report holds, from what was written and the mapping tables' decisions.

    An observation is [value, status, line]; `mapped` counts the printed numbers a 2021 cell uses.
    """

    def __init__(self, plan: Plan, spec: Spec, build: Builder):
        self.plan, self.m, self.spec, self.build = plan, plan.m, spec, build
        self.findings: list[str] = []
        self.failed: list[str] = []
        self.unmapped: list[dict] = []
        self.mapped_numbers = 0
        self.slots = [c for t in build.tables for r in t.rows if r.data for c in r.cells if isinstance(c, Slot)]
        self.fields: dict[str, Slot] = {}
        for slot in self.slots:
            if slot.annual and slot.key:  # a row no mapping table knows has no key
                self.fields.setdefault(slot.key, slot)
        if spec.format != "legacy":  # a template table yields every cell: one the text lacks is there, empty
            for cell_id, column, label in plan.cells[spec.format]:
                if cell_id not in self.fields:
                    self.fields[cell_id] = Slot(cell_id, None, column=column, label=label)

    def compute(self) -> dict:
        fmt = self.spec.format
        observations = self.current() if fmt == "2021" else self.older(self.m.maps[fmt])
        self.derive(observations)
        self.check(self.plan.schema_rules, observations)
        self.table_findings()
        unmapped_numbers = sum(1 for u in self.unmapped if u["value"] is not None)
        printed = sum(1 for s in self.slots if s.value is not None)
        return {
            # the agency's name in Simplified script (the name the parts are written in), and as printed
            "agency": "".join(self.build.agency_parts),
            "agency_printed": self.build.agency(pinyin=False),
            "year": self.build.year,
            "format": fmt,
            "variant": self.spec.variant,
            "observations": _json_ready(observations),
            "unmapped": [dict(u, value=_number(u["value"])) for u in self.unmapped],
            "ledger": {
                "source_numbers": printed,
                "mapped": self.mapped_numbers,
                "unmapped": unmapped_numbers,
                "ambiguous": 0,  # the generator writes no glued digits
                "unplaced": 0,  # every number it prints stands in a table
                "balanced": printed == self.mapped_numbers + unmapped_numbers,
            },
            "findings": sorted(self.findings),
            "failed_rules": sorted(self.failed),
            "changed": next((s.key for s in self.slots if s is self.build.changed), None),
            "rows_left": self.rows_left(),
            "glued": self.glued_rows() if self.spec.layout == "glued" else [],
            "field_values": {k: _number(s.value) for k, s in self.fields.items()}
            if self.spec.layout == "glued"
            else {},
        }

    def rows_left(self) -> int | None:
        """A page that starts inside table 三: how many of its data rows are on the page."""
        if not self.build.start:
            return None
        return sum(1 for r in self.build.tables[0].rows if r.data)

    # glued rows (unglue.py): which a reader can decide

    def glued_rows(self) -> list[list]:
        """Each glued row: [decided / open / undecidable, its annual source fields (the first names the row)]."""
        legacy = self.spec.format == "legacy"
        rows = [(r, [c for c in r.cells if isinstance(c, Slot)]) for t in self.build.tables for r in t.rows if r.data]
        rows = [(r, slots) for r, slots in rows if slots]
        parents = self.printed_parents() if legacy else {}
        values = {s.key: [x.value for x in slots] for _, slots in rows for s in slots[:1]}
        rules = [] if legacy else self.expanded_rules()
        out: list[list] = []
        for _, slots in rows:
            pieces = digit_pieces([s.raw for s in slots])
            if legacy:
                own, table = self.legacy_tests(slots, parents, values)
            else:
                own, table = self.template_tests(slots, rules)
            status = classify(pieces, len(slots), own, table) if len(slots) > 1 else "decided"
            out.append([status, [s.key for s in slots if s.annual and s.key]])
        return out

    def template_tests(self, slots: list[Slot], rules: list):
        """The row's own sums (as a reader applies them: '=' rules within the row) and the table's rules."""
        position = {s.key.removeprefix("y2019."): i for i, s in enumerate(slots)}
        own = [
            (tuple(position[i] for i in left), tuple(position[i] for i in right))
            for _, _, left, right, tolerance, operator in self.plan.schema_rules
            if operator == "=" and tolerance == 0 and all(i in position for i in (*left, *right))
        ]
        truth = {s.key.removeprefix("y2019."): s.value for s in self.slots if s.annual}
        touching = [r for r in rules if set(r[0] + r[1]) & position.keys()]

        def table(reading) -> bool:
            values = dict(truth, **{k: reading[i] for k, i in position.items()})
            for left, right, tolerance, operator in touching:
                gap = sum(values[i] for i in left) - sum(values[i] for i in right)
                if not {"=": abs(gap) <= tolerance, "<=": gap <= tolerance, ">=": -gap <= tolerance}[operator]:
                    return False
            return True

        return rules_keep(own, []), table

    def expanded_rules(self) -> list:
        """Every schema rule over printed cells, derived cells expanded into the cells they add up."""
        printed = {s.key.removeprefix("y2019.") for s in self.slots if s.annual}
        parts = dict(self.plan.derived)

        def expand(cell_id: str) -> tuple | None:
            if cell_id in printed:
                return (cell_id,)
            if not parts.get(cell_id):
                return None
            pieces = [expand(p) for p in parts[cell_id]]
            return None if any(p is None for p in pieces) else tuple(k for p in pieces for k in p)

        rules = []
        for _, _, left, right, tolerance, operator in self.plan.schema_rules:
            sides = [[expand(i) for i in side] for side in (left, right)]
            if all(p is not None for side in sides for p in side):
                rules.append((*(tuple(k for p in side for k in p) for side in sides), tolerance, operator))
        return rules

    def legacy_tests(self, slots: list[Slot], parents: dict, values: dict):
        """本年 ≤ 历年累计 within the row; a sub-item at most its parent, column by column."""
        annual = next((i for i, s in enumerate(slots) if s.annual), None)
        total = next((i for i, s in enumerate(slots) if not s.annual and "累计" in s.column), None)
        own = rules_keep([], [(annual, total)] if annual is not None and total is not None else [])
        key = slots[0].key
        above = values.get(parents.get(key, ""))
        below = [values[k] for k, p in parents.items() if p == key and k in values]

        def table(reading) -> bool:
            if above and len(above) == len(reading) and any(a > b for a, b in zip(reading, above)):
                return False
            return not any(len(c) == len(reading) and any(a > b for a, b in zip(c, reading)) for c in below)

        return own, table

    def printed_parents(self) -> dict[str, str]:
        rows = [r for t in self.build.tables for r in t.rows if r.legacy]
        return reader_parents([(r.legacy, self.m.legacy_rows[r.legacy].parent, r.label) for r in rows])

    # observations

    def current(self) -> dict:
        observations = {}
        for cell_id in self.plan.printed:
            slot = self.fields[cell_id]
            if slot.value is None:
                observations[cell_id] = [None, "missing", slot.line]
            else:
                observations[cell_id] = [slot.value, "reported", slot.line]
                self.mapped_numbers += 1
        return observations

    def older(self, decisions) -> dict:
        feeds: dict[str, list] = {}
        for key, slot in self.fields.items():
            decision = decisions.get(key)
            if decision is None or decision.meaning == "none":
                self.unmap(slot, decision.note if decision else "no decision in the mapping table", key=key)
            else:
                feeds.setdefault(decision.target, []).append((decision, slot))
        for slot in self.slots:
            if not slot.key:
                self.unmap(slot, "unknown-label", key="")
            elif not slot.annual:
                self.unmap(slot, legacy_column(self.m, slot.column).note, key=slot.key)
        rows = [r for t in self.build.tables for r in t.rows if r.data]
        unknown = [r for r in rows if any(isinstance(c, Slot) and not c.key for c in r.cells)]
        self.findings += ["unknown-label"] * len(unknown)
        if self.spec.format == "legacy":
            self.legacy_source_checks()
        observations = {}
        for cell_id, printed in self.plan.schema:
            if cell_id in feeds:
                observations[cell_id] = self.mapped(feeds[cell_id])
            elif printed:
                observations[cell_id] = [None, "not_collected", None]
        return observations

    def mapped(self, pairs: list) -> list:
        """One 2021 cell from the preferred group of its sources; the other sources are compared with it."""
        if len(pairs) == 1 and pairs[0][0].combination != "summed":  # the common case, kept fast
            decision, slot = pairs[0]
            if slot.value is None:
                return [None, "missing", slot.line]
            self.mapped_numbers += 1
            return [slot.value, _status([decision]), slot.line]
        best = min(d.priority for d, _ in pairs)
        used = [(d, s) for d, s in pairs if d.priority == best]
        alternatives = [s for d, s in pairs if d.priority != best]
        self.mapped_numbers += sum(1 for _, s in pairs if s.value is not None)
        first = used[0][0]
        line = next((s.line for s in [s for _, s in used] + alternatives if s.line is not None), None)
        needed = self.plan.summands.get((first.target, first.priority, first.variant), ())
        if first.combination == "summed" and not all(n in self.fields for n in needed):
            return [None, "missing", line]
        if any(s.value is None for _, s in used):
            return [None, "missing", line]
        value = sum(s.value for _, s in used)
        status = _status([d for d, _ in used])
        self.findings += ["conflicting-sources" for s in alternatives if s.value is not None and s.value != value]
        return [value, status, line]

    def unmap(self, slot: Slot, reason: str, *, key: str) -> None:
        self.unmapped.append(
            {
                "key": key,
                "label": _plain_label(slot.label),
                "column": slot.column,
                "value": slot.value,
                "reason": reason,
                "line": slot.line,
            }
        )

    def derive(self, observations: dict) -> None:
        """Derived cells not set by a mapping: the sum of their parts, never a partial sum."""
        for cell_id, parts in self.plan.derived:
            if cell_id in observations:
                continue
            values = [observations[p] for p in parts]
            if any(v[1] == "not_collected" for v in values):
                observations[cell_id] = [None, "not_collected", None]
            elif any(v[0] is None for v in values):
                observations[cell_id] = [None, "missing", None]
            else:
                observations[cell_id] = [sum(v[0] for v in values), "derived", None]

    # findings

    def check(self, rules, observations: dict) -> None:
        """Sum rules as the tables state them: failed ones and the families that cannot be checked."""
        families: set[str] = set()
        last = max((o[2] for o in observations.values() if o[2] is not None), default=None)
        for name, family, left, right, tolerance, operator in rules:
            # Rows the report never printed are left out (unless nothing follows the printed ones: a cut
            # table); so are a '>=' rule's members the format lacks.
            if any(i not in observations for i in list(left) + list(right)):
                lines = [observations[i][2] for i in list(left) + list(right) if i in observations]
                lines = [line for line in lines if line is not None]
                if not lines or last is None or max(lines) >= last:
                    continue
            right = [i for i in right if i in observations]
            if operator == ">=":
                right = [i for i in right if observations[i][1] != "not_collected"]
            if not right or any(i not in observations for i in left):
                continue
            parts = [observations[i] for i in list(left) + right]
            if any(p[1] == "not_collected" for p in parts):
                continue
            if any(p[0] is None for p in parts):
                families.add(family)
                continue
            gap = sum(p[0] for p in parts[: len(left)]) - sum(p[0] for p in parts[len(left) :])
            holds = {"=": abs(gap) <= tolerance, "<=": gap <= tolerance, ">=": -gap <= tolerance}[operator]
            if not holds:
                self.failed.append(name)
                self.findings.append("sum-mismatch")
        self.findings += ["rule-incomplete"] * len(families)

    def legacy_source_checks(self) -> None:
        source = {key: [slot.value, "reported", slot.line] for key, slot in self.fields.items()}
        self.check(self.plan.legacy_rules, source)
        self.findings += ["missing-value" for slot in self.fields.values() if slot.value is None]

    def table_findings(self) -> None:
        if self.spec.format == "legacy":
            return
        for table in self.build.tables:
            for row in table.rows:
                if row.data and any(isinstance(c, Slot) and c.value is None for c in row.cells):
                    self.findings.append("missing-value")
        if self.build.start:  # the page starts inside table 三: table 二 and 三's first rows are not on it
            self.findings += ["table-not-found", "row-not-found"]
            marked = self.plan.marked[self.spec.format]
            if not any(slot.key in marked for slot in self.slots):
                self.findings.append("format-inferred-from-year")  # 三 and 四 are the same in both formats
        if self.build.cut:
            name = self.build.cut[0]
            later = ("四",) if name == "三" else ()
            self.findings += ["truncated-table"] + ["table-not-found"] * len(later)
