"""One direction of imports (README, "Architecture"): no import circle between the modules of one
app, and no app importing an app above it. The imports of every module of the project's apps are
read with `ast` (function-level imports included), so a circle hidden inside a function counts."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The layers, from the ground up; an app may import its own layer's neighbours and any below.
LAYERS = (
    ("accounts",),
    ("privacy_register",),
    ("consents",),
    ("requests_desk",),
    ("subject_rights", "connectors", "breaches"),
    ("self_service", "api", "audit_exports"),
)
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in LAYER_OF:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else ():
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that `name` imports (`from a import b` counts b when it is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    resolved = set()
    for target in found:
        # `import a.b.c` or a name inside a module: the deepest project module it names.
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            resolved.add(target)
    return resolved


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} imports {target}"
        for source, targets in graph.items()
        for target in targets
        if LAYER_OF[target.split(".")[0]] > LAYER_OF[source.split(".")[0]]
    )


def circles_within_apps(graph: dict[str, set[str]]) -> list[str]:
    """Each circle between the modules of one app, named by a pair on it (a imports b, and b
    leads back to a). A package's `__init__` that re-exports its own modules is not a circle
    with them unless one of them imports the package back."""
    found = set()
    for source, targets in graph.items():
        app = source.split(".")[0]
        for target in targets:
            if target.split(".")[0] != app:
                continue
            # Does target lead back to source, through modules of the same app?
            seen, stack = set(), [target]
            while stack:
                current = stack.pop()
                if current == source:
                    found.add(" ⇄ ".join(sorted((source, target))))
                    break
                if current in seen:
                    continue
                seen.add(current)
                stack += [t for t in graph.get(current, ()) if t.split(".")[0] == app]
    return sorted(found)


def test_no_app_imports_an_app_above_it():
    assert upward_imports(import_graph()) == []


def test_no_import_circle_between_the_modules_of_one_app():
    assert circles_within_apps(import_graph()) == []


@pytest.mark.parametrize(
    ("graph", "upward", "circles"),
    [
        (
            {"consents.apps": {"subject_rights.sources"}, "subject_rights.sources": set()},
            ["consents.apps imports subject_rights.sources"],
            [],
        ),
        (
            {
                "requests_desk.services": {"requests_desk.tasks"},
                "requests_desk.tasks": {"requests_desk.jobs"},
                "requests_desk.jobs": {"requests_desk.services"},
            },
            [],
            [
                "requests_desk.jobs ⇄ requests_desk.services",
                "requests_desk.jobs ⇄ requests_desk.tasks",
                "requests_desk.services ⇄ requests_desk.tasks",
            ],
        ),
        ({"subject_rights.views": {"requests_desk.decorators"}}, [], []),
    ],
)
def test_the_walk_names_the_pair_it_finds(graph, upward, circles):
    """The checks themselves fail on the two faults this suite guards against, naming the pair."""
    assert upward_imports(graph) == upward
    assert circles_within_apps(graph) == circles


def test_the_walk_reads_function_level_imports():
    graph = import_graph()
    # requests_past_retention imports the register inside the function.
    assert "privacy_register.models" in graph["requests_desk.jobs"]
    assert len(graph) > 50  # every app's modules are read, not an empty folder
