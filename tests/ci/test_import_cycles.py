"""The generator package has no import cycles, counting imports inside functions too.

A cycle hidden in a function-level import still couples two modules both ways: reading one means
reading the other. This test parses every module with `ast` (so it sees imports Python would only run
later) and fails with the cycles it finds.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "generator"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """Every generator module `path` imports, at any depth of the syntax tree."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            # `from package import module` imports the module; `from module import name` the module.
            targets = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE_ROOT.rglob("*.py") if "vendor" not in p.parts}
    known = set(paths)
    graph = {name: imported_modules(path, name, known) for name, path in paths.items()}
    # Importing a.b.c runs a/__init__ and a/b/__init__ first; a package's own __init__ importing
    # its submodules is not a cycle with them, so parents are not added as edges.
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: every group of modules that import each other, directly or around."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert len(graph) > 40
    # validate imports the orchestrator inside run() to keep --help fast: the graph must see that.
    assert "generator.pipeline" in graph["generator.commands.validate"]


def test_no_import_cycles() -> None:
    cycles = strongly_connected(import_graph())
    assert cycles == [], "import cycles (function-level imports included):\n" + "\n".join(
        " <-> ".join(group) for group in cycles
    )


def test_a_cycle_is_found() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_imports_by_name_inside_the_package() -> None:
    """``importlib.import_module``/``__import__`` hide an import from readers and from this test;
    only bps/wms.py may look a plugin up (the workflow-system class a user names)."""
    found = []
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        if "vendor" in path.parts or path == PACKAGE_ROOT / "bps" / "wms.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in ("__import__", "importlib.import_module", "import_module"):
                    found.append(f"{path.relative_to(PACKAGE_ROOT)}:{node.lineno}: {name}")
    assert found == []
