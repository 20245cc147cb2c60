"""The one-way imports that docs/architecture.md promises, checked on the source itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["clonus", "articles", "references"]


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path):
    """Every first-party module that ``path`` imports at module level."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:  # module level only
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module.split(".")[0] in APPS}


def import_graph():
    modules = {module_name(path): path for app in APPS for path in (ROOT / app).rglob("*.py")}
    return {name: imported_modules(path) & modules.keys() for name, path in modules.items()}


def test_references_imports_nothing_from_articles():
    graph = import_graph()
    offending = {
        module: sorted(m for m in imports if m.startswith("articles"))
        for module, imports in graph.items()
        if module.startswith("references")
    }
    assert {module: imports for module, imports in offending.items() if imports} == {}


def test_no_module_level_import_cycle():
    graph = import_graph()
    # A package imports its own submodules (``articles.models`` re-exports its models); a cycle
    # through that edge alone is how packages work, not a cycle between modules.
    edges = {m: {i for i in imports if i != m and not m.startswith(i + ".")} for m, imports in graph.items()}
    done, path = set(), []

    def visit(module):
        if module in path:
            raise AssertionError("import cycle: " + " → ".join(path[path.index(module) :] + [module]))
        if module in done:
            return
        path.append(module)
        for imported in sorted(edges.get(module, ())):
            visit(imported)
        path.pop()
        done.add(module)

    for module in sorted(edges):
        visit(module)
