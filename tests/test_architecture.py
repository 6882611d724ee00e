"""The layers of the code run one way (docs/architecture.md), and no import hides inside a function.

``config`` → ``search`` → ``funders`` → ``registrations`` → ``events`` → ``home`` → ``outbox`` → ``core``:
a module may import from its own layer and the layers to its right, never to
its left. The one exception is the registration-settings mixin that
``events/models.py`` takes from ``registrations/models.py``. Imports inside
functions are allowed only in ``AppConfig.ready()``, where Django wants signal
receivers connected; anywhere else they would be dodging a circle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["config", "search", "funders", "registrations", "events", "home", "outbox", "core"]
ALLOWED_UPWARD = {("events/models.py", "registrations.models")}


def project_modules():
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_names(node):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def layer_of(module_name):
    top = module_name.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def top_level_imports(tree):
    """Imports that run when the module loads: at module level, in ``if``/``try`` blocks, not in functions."""
    found = []

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(node)
            elif isinstance(node, ast.If | ast.Try):
                visit(node.body)
                visit(node.orelse)
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    visit(tree.body)
    return found


def function_imports(tree):
    """(function name, import node) for every import inside a function or method."""
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append((function.name, node))
    return found


@pytest.mark.parametrize("path", list(project_modules()), ids=lambda path: str(path.relative_to(ROOT)))
def test_imports_run_one_way(path):
    relative = str(path.relative_to(ROOT))
    own_layer = layer_of(relative.replace("/", "."))
    tree = ast.parse(path.read_text())
    wrong = [
        name
        for node in top_level_imports(tree)
        for name in imported_names(node)
        if layer_of(name) is not None and layer_of(name) < own_layer and (relative, name) not in ALLOWED_UPWARD
    ]
    assert not wrong, f"{relative} imports from a layer to its left: {wrong}"


@pytest.mark.parametrize("path", list(project_modules()), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_project_import_hides_in_a_function(path):
    tree = ast.parse(path.read_text())
    hidden = [
        f"{name} (in {function}())"
        for function, node in function_imports(tree)
        for name in imported_names(node)
        if layer_of(name) is not None and function != "ready"
    ]
    assert not hidden, f"{path.relative_to(ROOT)} imports inside functions: {hidden}"


def test_the_checks_see_a_wrong_import():
    """The two checks above would catch the faults they are about (guards against a vacuous pass)."""
    tree = ast.parse("from events.models import EventPage\n\ndef f():\n    from registrations import services\n")
    assert [imported_names(node) for node in top_level_imports(tree)] == [["events.models"]]
    assert [(name, imported_names(node)) for name, node in function_imports(tree)] == [("f", ["registrations"])]
    assert layer_of("events.models") > layer_of("registrations.services")
