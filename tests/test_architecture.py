"""The shape of the package, read from its source with `ast`: imports run one way, no circle, click only
in the command, no module too long to read (CONTRIBUTING.md, "Layout").

Every import counts -- absolute or relative, at the top of a module or inside a function -- because a
lazy import inside a function is how the last import circle crept in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "converter"
MAX_LINES = 500

# The data flow, bottom to top: a module may import modules of a lower rank, and modules of its own
# stage folder; never one above it. A new top-level module or stage folder must be placed here.
RANKS = {
    "model": 0,
    "errors": 0,
    "normalize": 0,
    "_version": 0,
    "csv_text": 0,  # decoding a table a spreadsheet saved (UTF-8 or GBK): needs nothing of the package
    "tables": 1,
    "catalogue": 2,
    "mapping_narrative": 2,
    "mapping_rules": 2,
    "mapping_checks": 2,
    "mapping": 3,
    "read": 4,
    "parse": 5,
    "schema": 6,
    "pipeline": 7,
    "corpus": 8,
    "write": 9,
    "generate": 10,  # the development generator: only the command uses it
    "cli_checks": 10.5,  # the command's plain helpers (no click) and what each file read becomes
    "console": 10,  # the terminal side of the command (signals, a closed stdout)
    "cli": 11,
    "__init__": 12,  # the public face of the library
    "__main__": 13,
}
# These know nothing of the rest of the package: everything else builds on them.
FOUNDATIONS = {"model", "errors", "normalize", "_version"}
# The stages that turn bytes into observations never reach the corpus, the writers or the command.
STAGES = {"read", "parse", "schema"}
DOWNSTREAM = {"corpus", "write", "cli"}


def _module_name(path: Path) -> str:
    parts = ("converter",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    """The absolute name of what `from <module> import …` names, relative levels resolved."""
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not _is_package(importer):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str) -> tuple[set[str], set[str]]:
    """(modules of the package imported by `name`, outside top-level packages imported by it)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    inside, outside = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, node)
            # `from . import x` names the submodule x when there is one, else a name of the package.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for target in targets:
            if target == "converter" or target.startswith("converter."):
                inside.add(target if target in MODULES else _owning_module(target))
            else:
                outside.add(target.split(".")[0])
    inside.discard(name)
    return inside, outside


def _owning_module(target: str) -> str:
    while target not in MODULES and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


GRAPH = {name: imports_of(name)[0] for name in MODULES}


def _place(name: str) -> str:
    """The top-level module or stage folder a module belongs to: converter.write.excel -> write."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_every_kind_of_import():
    """The walker itself: relative, absolute, parent-relative and function-level imports are all found."""
    assert "converter._version" in GRAPH["converter.write.report_workbook"]  # from .._version import …
    assert "converter.read.values" in GRAPH["converter.read.cells"]  # from .values import …
    assert "converter.read" in GRAPH["converter.pipeline"]  # a name of a stage package's face
    assert "converter.generate" in GRAPH["converter.cli"]  # imported inside the generate command's function
    assert "converter.cli" in GRAPH["converter.__main__"]
    assert {"converter.generate.spec", "converter.generate.truth"} <= GRAPH["converter.generate"]


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle():
    assert _cycles(GRAPH) == []


def test_every_module_has_a_place_in_the_data_flow():
    assert sorted({_place(name) for name in MODULES} - set(RANKS)) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_one_way(name):
    """A module imports only modules below it in the data flow, or of its own stage folder."""
    place = _place(name)
    upward = [
        target for target in sorted(GRAPH[name]) if _place(target) != place and RANKS[_place(target)] >= RANKS[place]
    ]
    assert upward == [], f"{name} imports {upward}, which stand above or beside it in the data flow"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _place(n) in FOUNDATIONS))
def test_foundations_import_nothing_of_the_package(name):
    assert GRAPH[name] == set()


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _place(n) in STAGES))
def test_stages_never_reach_downstream(name):
    assert sorted(t for t in GRAPH[name] if _place(t) in DOWNSTREAM) == []


def test_click_only_in_the_command():
    users = sorted(name for name in MODULES if "click" in imports_of(name)[1])
    assert users == ["converter.cli"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_500_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines: split it by job"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _place(n) == "generate"))
def test_the_generator_is_an_independent_oracle(name):
    """The generator computes its truth from the mapping tables alone; were it to call the stages it
    checks, a bug in them would be copied into the truth and the generated tests could not see it."""
    assert sorted(t for t in GRAPH[name] if _place(t) in {"read", "parse", "schema", "pipeline", "corpus"}) == []
