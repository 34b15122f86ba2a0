"""The shape of the `reglint` package: imports flow one way (no cycle, type-only and
function-local imports included), each stage imports only its own and earlier stages,
and no module is over 400 lines.

A module's imports are read with `ast` at every depth: the top of the module, under
`if TYPE_CHECKING:`, and inside functions (a lazy import is still a dependency). An
import names the module it loads: `from reglint.a import b` is `reglint.a.b` when that
is a module, else `reglint.a`; a package's `__init__.py` stands for the package.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "reglint"
MAX_LINES = 400

# The stages of reglint, first to last (README "Development"): data flows files ->
# documents -> project -> checks -> findings -> decisions -> reports, and a module may
# import its own stage and earlier ones only. A module belongs to the stage of its
# longest listed prefix; a new package must be given its stage here.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("records and rule metadata", ("reglint", "reglint.findings", "reglint.package_data", "reglint.rule_catalogue")),
    ("files", ("reglint.files",)),
    ("documents", ("reglint.loading",)),
    ("domain model", ("reglint.model",)),
    ("infrastructure code and platform sources", ("reglint.iac", "reglint.platform")),
    ("schemas", ("reglint.validation",)),
    ("configuration", ("reglint.config",)),
    ("project", ("reglint.project",)),
    ("live AWS reads", ("reglint.live",)),
    ("checks", ("reglint.checks",)),
    ("fixes", ("reglint.fixes",)),
    ("decisions", ("reglint.decisions",)),
    ("reports", ("reglint.report",)),
    ("the check command", ("reglint.engine",)),
    ("command line", ("reglint.cli", "reglint.__main__")),
)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The reglint modules that module `name` (at `path`) imports, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    known = modules(package)
    return {name: set(imported(name, path, known)) for name, path in known.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of two or more modules that import one another (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
    return groups


def a_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """One shortest cycle through the first module of `group`, for the message."""
    first = min(group)
    came_from: dict[str, str] = {}
    queue = deque([first])
    while queue:
        node = queue.popleft()
        for target in sorted(graph[node] & group):
            if target == first:
                path = [node]
                while path[-1] != first:
                    path.append(came_from[path[-1]])
                return [*reversed(path), first]
            if target not in came_from:
                came_from[target] = node
                queue.append(target)
    return sorted(group)


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    package = tmp_path / "reglint"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from reglint.sub import a\n")
    (package / "sub" / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from reglint.sub.b import B\n"
    )
    (package / "sub" / "b.py").write_text("def f():\n    from . import c\n")
    (package / "sub" / "c.py").write_text("import reglint.sub.a\nfrom reglint import sub\n")
    graph = import_graph(package)
    assert graph == {
        "reglint": set(),
        "reglint.sub": {"reglint.sub.a"},
        "reglint.sub.a": {"reglint.sub.b"},
        "reglint.sub.b": {"reglint.sub.c"},
        "reglint.sub.c": {"reglint.sub.a", "reglint.sub"},
    }
    (group,) = strongly_connected(graph)
    assert group == {"reglint.sub", "reglint.sub.a", "reglint.sub.b", "reglint.sub.c"}
    assert a_cycle(graph, group) == ["reglint.sub", "reglint.sub.a", "reglint.sub.b", "reglint.sub.c", "reglint.sub"]


def test_no_import_cycles() -> None:
    graph = import_graph()
    cycles = [" -> ".join(a_cycle(graph, group)) for group in strongly_connected(graph)]
    assert not cycles, "import cycles (data must flow one way):\n" + "\n".join(cycles)


def stage_of(module: str) -> int | None:
    """The index in STAGES of the stage `module` belongs to (its longest listed prefix)."""
    found: tuple[int, int] | None = None
    for index, (_name, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            inside = module == prefix or (prefix != "reglint" and module.startswith(prefix + "."))
            if inside and (found is None or len(prefix) > found[1]):
                found = (index, len(prefix))
    return None if found is None else found[0]


def test_every_module_has_a_stage() -> None:
    missing = [module for module in modules() if stage_of(module) is None]
    assert not missing, f"give these modules a stage in STAGES (tests/test_package_layout.py): {missing}"


def test_imports_flow_down_the_stages() -> None:
    backwards = []
    for module, targets in sorted(import_graph().items()):
        for target in sorted(targets):
            here, there = stage_of(module), stage_of(target)
            if here is not None and there is not None and there > here:
                backwards.append(f"{module} ({STAGES[here][0]}) imports {target} ({STAGES[there][0]})")
    assert not backwards, "imports that reach back up the stages:\n" + "\n".join(backwards)


def test_the_readme_maps_every_module() -> None:
    """README "Development" names every module of reglint/ (its file name) and every
    package (`name/`): the map a newcomer reads stays the map of the code."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Development\n", 1)[1].split("\n## ", 1)[0]
    words = set(re.findall(r"[\w.]+/?", section))
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__init__.py":
            if path.parent != PACKAGE and f"{path.parent.name}/" not in words:
                missing.append(f"{path.parent.relative_to(PACKAGE.parent)}/")
        elif path.name != "__main__.py" and path.name not in words:
            missing.append(str(path.relative_to(PACKAGE.parent)))
    assert not missing, f"README.md, Development: give these a line in the map: {missing}"


def test_no_module_over_400_lines() -> None:
    long = {
        name: count
        for name, path in modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them by concept): {long}"
