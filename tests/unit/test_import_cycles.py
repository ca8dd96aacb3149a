"""No new import cycle between the app's domains (auth, workshops, records ... and the top-level modules).

Every import counts, including those inside functions: an import moved into a function hides a cycle
from Python, not from the design. The app factory (``webapp/__init__.py``) imports every domain to
register it, and is left out. No cycle is left (KNOWN is empty): make one, and the test names the
modules involved.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"

# Each a group of domains that import each other, directly or through the others.
KNOWN: set[frozenset] = set()  # none left: keep it so


def _module(path: Path) -> str:
    parts = list(path.relative_to(WEBAPP.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _domain(module: str) -> str | None:
    """``webapp.records.reports`` -> ``records``; the factory itself -> None."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def domain_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in WEBAPP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = _module(path)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    base = ".".join(parent + ([node.module] if node.module else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                if not target.startswith("webapp"):
                    continue
                source, dest = _domain(module), _domain(target)
                real = dest and ((WEBAPP / dest).is_dir() or (WEBAPP / f"{dest}.py").exists())
                if source and real and source != dest:
                    graph[source].add(dest)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset]:
    """The strongly connected groups of more than one domain (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), set()

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.add(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_through_three_domains():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset("abc")}


def test_no_new_import_cycle_between_domains():
    found = cycles(domain_imports())
    new = [sorted(group) for group in found if not any(group <= known for known in KNOWN)]
    assert not new, f"new import cycle between {new}: import in one direction only (move the shared part down)"
    gone = [sorted(known) for known in KNOWN if not any(known <= group for group in found)]
    assert not gone, f"the cycle {gone} is broken or smaller: update KNOWN in this file"
