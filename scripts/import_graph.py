"""The import graph of investenv's packages, computed from the source (ast, nothing is imported).

Nodes are the domain packages (survey complaints feedback spotchecks projects evaluation scoring notifications portal) and, for
the shell, its subpackages and modules ``investenv.<name>``.  An edge A --> B means that a module
of A imports a module of B at module level (class bodies and ``if`` blocks included).  Imports
inside functions are listed separately, each with the reason it may be lazy: only the app factory,
the command line and the modules in ``LAZY_LOADERS`` may import project code inside a function,
and outside the app factory only to load a heavy library (matplotlib, reportlab, openpyxl,
python-docx) when it is needed.  tests/test_architecture.py runs this script and checks these rules.

    python scripts/import_graph.py               # the Mermaid graph, then the imports as text
    python scripts/import_graph.py --mermaid     # the Mermaid graph alone
    python scripts/import_graph.py --update-doc  # write the Mermaid graph into docs/architecture.md

Exits 1 when the module-level graph has a cycle.
"""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
DOMAINS = ("survey", "complaints", "feedback", "spotchecks", "projects", "evaluation", "scoring", "notifications", "portal")
SHELL = "investenv"
HEAVY_LIBRARIES = frozenset({"matplotlib", "reportlab", "openpyxl", "docx"})

# The app factory and the command line may import project code inside functions.
ENTRY_POINTS = {
    "investenv.app": "the app factory",
    "investenv.cli": "the command line: the report commands load their renderers only when run",
}
# Other modules that may import project code inside a function, to load a heavy library only when
# it is needed (module → reason).  Each such import must reach a heavy library.
LAZY_LOADERS = {
    "evaluation.views": "the dashboard's charts (matplotlib) are loaded by the page that shows them, not by every page",
    "evaluation.jobs": "the report, bulletin and workbook renderers (reportlab, matplotlib, openpyxl, python-docx) "
                       "are loaded when such a job runs, not when the worker starts",
}


@dataclass(frozen=True)
class LazyImport:
    module: str    # the importing module
    function: str  # the function (dotted, with its class) that holds the import
    target: str    # the imported module (project or library)
    line: int


@dataclass
class Graph:
    modules: dict[str, Path] = field(default_factory=dict)
    # module → the modules (project or library) it imports at module level
    imports: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # every import inside a function
    lazy: list[LazyImport] = field(default_factory=list)

    def edges(self) -> dict[str, set[str]]:
        """Node → the nodes it imports at module level (no self-edges)."""
        result: dict[str, set[str]] = {node(m): set() for m in self.modules}
        for module, targets in self.imports.items():
            for target in targets:
                if self.is_project(target) and node(target) != node(module):
                    result[node(module)].add(node(target))
        return result

    def is_project(self, name: str) -> bool:
        return name.split(".")[0] in (SHELL, *DOMAINS)

    def lazy_project(self) -> list[LazyImport]:
        """The imports of project code inside functions."""
        return [item for item in self.lazy if self.is_project(item.target)]

    def external(self, module: str) -> set[str]:
        """The top-level names of the libraries a module imports at module level."""
        return {t.split(".")[0] for t in self.imports.get(module, ()) if not self.is_project(t)}

    def reaches(self, module: str, libraries: frozenset[str]) -> bool:
        """Whether importing ``module`` imports one of ``libraries`` (through module-level imports,
        its own and those of the packages Python imports first)."""
        seen, todo = set(), [module]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            if self.external(current) & libraries:
                return True
            parents = [".".join(current.split(".")[:n]) for n in range(1, current.count(".") + 1)]
            todo.extend(t for t in (*self.imports.get(current, ()), *parents) if t in self.modules)
        return False

    def cycles(self) -> list[list[str]]:
        """The strongly connected components of more than one node (Tarjan)."""
        edges, index, low, stack, on_stack, found = self.edges(), {}, {}, [], set(), []

        def visit(v: str) -> None:
            index[v] = low[v] = len(index)
            stack.append(v)
            on_stack.add(v)
            for w in sorted(edges[v]):
                if w not in index:
                    visit(w)
                    low[v] = min(low[v], low[w])
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

        for v in sorted(edges):
            if v not in index:
                visit(v)
        return found

    def lazy_problems(self) -> list[tuple[LazyImport, str]]:
        """The imports of project code inside functions that break the rules, each with what is wrong."""
        problems = []
        for item in self.lazy_project():
            place = node(item.module)
            if place == "investenv.app":
                continue
            if place not in ENTRY_POINTS and item.module not in LAZY_LOADERS:
                problems.append((item, "import it at module level"))
            elif not self.reaches(item.target, HEAVY_LIBRARIES):
                problems.append((item, "it loads no heavy library: import it at module level"))
        return problems


def node(module: str) -> str:
    """The graph node of a module: its domain package, or ``investenv.<name>`` for the shell."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == SHELL and len(parts) > 1 else parts[0]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


class _Collector(ast.NodeVisitor):
    def __init__(self, graph: Graph, module: str, is_package: bool):
        self.graph, self.module, self.is_package = graph, module, is_package
        self.known = graph.modules
        self.functions: list[str] = []  # the enclosing functions and classes
        self.in_function = 0

    def _scope(self, node, is_function: bool) -> None:
        self.functions.append(node.name)
        self.in_function += is_function
        self.generic_visit(node)
        self.in_function -= is_function
        self.functions.pop()

    def visit_FunctionDef(self, node) -> None:
        self._scope(node, True)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node) -> None:
        self._scope(node, False)

    def visit_Import(self, node: ast.Import) -> None:
        self._add([alias.name for alias in node.names], node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            package = self.module.split(".")
            if not self.is_package:
                package.pop()
            base = package[: len(package) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        # "from package import module" imports the module; "from module import name" the module.
        names = [f"{prefix}.{a.name}" for a in node.names if f"{prefix}.{a.name}" in self.known]
        self._add(names or [prefix], node.lineno)

    def _add(self, targets: list[str], line: int) -> None:
        for target in targets:
            if self.in_function:
                self.graph.lazy.append(LazyImport(self.module, ".".join(self.functions), target, line))
            else:
                self.graph.imports[self.module].add(target)


def build(root: Path = ROOT) -> Graph:
    graph = Graph()
    for package in (SHELL, *DOMAINS):
        for path in sorted((root / package).rglob("*.py")):
            graph.modules[module_name(path, root)] = path
    for module, path in graph.modules.items():
        collector = _Collector(graph, module, path.name == "__init__.py")
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return graph


def mermaid(graph: Graph) -> str:
    edges = graph.edges()
    ids = {name: name.replace(".", "_") for name in edges}
    lines = ["graph LR", "    subgraph shell [investenv]"]
    lines.extend(f"        {ids[name]}[{name}]" for name in sorted(edges) if name.split(".")[0] == SHELL)
    lines.append("    end")
    lines.extend(f"    {ids[name]}[{name}]" for name in sorted(edges) if name.split(".")[0] != SHELL)
    for name in sorted(edges):
        lines.extend(f"    {ids[name]} --> {ids[target]}" for target in sorted(edges[name]))
    return "\n".join(lines)


def text(graph: Graph) -> str:
    lines = ["Module-level imports:"]
    for name, targets in sorted(graph.edges().items()):
        lines.append(f"  {name} -> {', '.join(sorted(targets)) or '(none)'}")
    lines.append("Imports of project code inside functions:")
    for item in sorted(graph.lazy_project(), key=lambda i: (i.module, i.line)):
        reason = ENTRY_POINTS.get(node(item.module)) or LAZY_LOADERS.get(item.module, "not allowed")
        lines.append(f"  {item.module}.{item.function} -> {item.target}  ({reason})")
    problems = graph.lazy_problems()
    lines.append("Breaking the rules:" if problems else "Breaking the rules: none")
    lines.extend(f"  {i.module}.{i.function} (line {i.line}) -> {i.target}: {what}" for i, what in problems)
    return "\n".join(lines)


def update_doc(graph: Graph, path: Path = DOC) -> None:
    """Replace the Mermaid block of docs/architecture.md with the current graph."""
    head, rest = path.read_text(encoding="utf-8").split("```mermaid\n", 1)
    path.write_text(f"{head}```mermaid\n{mermaid(graph)}\n```{rest.split('```', 1)[1]}", encoding="utf-8")


def main(argv: list[str]) -> int:
    graph = build()
    if "--update-doc" in argv:
        update_doc(graph)
    else:
        print(mermaid(graph))
        if "--mermaid" not in argv:
            print()
            print(text(graph))
    cycles = graph.cycles()
    for cycle in cycles:
        print(f"cycle: {' -> '.join(cycle)}", file=sys.stderr)
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
