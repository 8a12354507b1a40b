"""The shape of the tree, kept true by a test: models know nothing of the
blueprints, no import circles (but a blueprint package importing its own
views), and no module or function so long that it holds two concerns."""

import ast
import unittest
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
BLUEPRINTS = ("app.main", "app.auth", "app.api", "app.federation")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40


def _modules() -> dict[str, Path]:
    modules = {}
    for path in APP.rglob("*.py"):
        name = ".".join(path.relative_to(APP.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    return modules


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node outside ``if TYPE_CHECKING:`` blocks (imports there never run)."""
    skipped = {id(node) for block in ast.walk(tree)
               if isinstance(block, ast.If) and getattr(block.test, "id", "") == "TYPE_CHECKING"
               for node in ast.walk(block)}
    return [node for node in ast.walk(tree) if id(node) not in skipped]


def _imports(node: ast.AST, modules: dict[str, Path]) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in modules}
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
        submodules = {f"{node.module}.{alias.name}" for alias in node.names} & set(modules)
        if len(submodules) == len(node.names):
            return submodules
        return submodules | ({node.module} & set(modules))
    return set()


class LayoutTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.modules = _modules()
        cls.trees = {name: ast.parse(path.read_text()) for name, path in cls.modules.items()}
        cls.graph = defaultdict(set)
        for name, tree in cls.trees.items():
            for node in _runtime_nodes(tree):
                cls.graph[name] |= _imports(node, cls.modules) - {name}

    def test_models_import_no_blueprint_even_inside_functions(self):
        for name in self.modules:
            if name.startswith("app.models"):
                for target in self.graph[name]:
                    self.assertFalse(target.startswith(BLUEPRINTS), f"{name} imports {target}")

    def test_no_import_circle_but_a_blueprint_and_its_views(self):
        for circle in self._circles():
            packages = {name for name in circle if name in BLUEPRINTS}
            inside = all(any(name.startswith(package) for package in packages)
                         for name in circle)
            self.assertTrue(len(packages) == 1 and inside, f"import circle: {sorted(circle)}")

    def test_modules_and_functions_stay_short(self):
        for name, path in self.modules.items():
            lines = len(path.read_text().splitlines())
            self.assertLessEqual(lines, MAX_MODULE_LINES, f"{path} has {lines} lines")
            for node in ast.walk(self.trees[name]):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    self.assertLessEqual(length, MAX_FUNCTION_LINES,
                                         f"{path}:{node.lineno} {node.name}() has {length} lines")

    def test_every_blueprint_has_forms_views_and_errors(self):
        for package in BLUEPRINTS:
            for part in ("forms", "views", "errors"):
                self.assertIn(f"{package}.{part}", self.modules, f"{package} has no {part}")

    def _circles(self) -> list[set[str]]:
        """Strongly connected groups of more than one module (Tarjan)."""
        index, low, stack, on_stack, circles = {}, {}, [], set(), []

        def visit(module: str) -> None:
            index[module] = low[module] = len(index)
            stack.append(module)
            on_stack.add(module)
            for target in self.graph[module]:
                if target not in index:
                    visit(target)
                    low[module] = min(low[module], low[target])
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
            if low[module] == index[module]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == module:
                        break
                if len(group) > 1:
                    circles.append(group)

        for module in list(self.modules):
            if module not in index:
                visit(module)
        return circles
