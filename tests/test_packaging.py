"""Dependencies and packaging: pyproject.toml lists the direct dependencies by hand,
requirements.txt and requirements-dev.txt are the locks generated from it (`make
lock`)."""

import ast
import importlib.metadata
import re
import sys
import tomllib
import unittest
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
RUNTIME_LOCK = ROOT / "requirements.txt"
DEV_LOCK = ROOT / "requirements-dev.txt"
FIRST_PARTY = {"app", "config", "flasky", "tests"}
# One logical lock line: name==version then its hashes, nothing else.
LOCK_LINE = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)"
    r"(?P<hashes>(?:\s+--hash=sha256:[0-9a-f]{64})+)$"
)


def direct_dependencies(group: str | None = None) -> dict[str, Requirement]:
    """pyproject's runtime dependencies, or those of an optional group, by canonical name."""
    listed = (PYPROJECT["project"]["dependencies"] if group is None
              else PYPROJECT["project"]["optional-dependencies"][group])
    requirements = [Requirement(line) for line in listed]
    return {canonicalize_name(requirement.name): requirement for requirement in requirements}


def lock_entries(text: str) -> list[str]:
    """The logical lines of a lock: continuations joined, comments and blanks dropped."""
    lines = [line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
             for line in text.splitlines()]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [" ".join(line.split()) for line in joined.splitlines() if line.strip()]


def lock_pins(text: str) -> dict[str, str]:
    """Canonical name -> pinned version; raises AssertionError on a line that is not
    ``name==version`` with hashes."""
    pins = {}
    for entry in lock_entries(text):
        match = LOCK_LINE.match(entry)
        if match is None:
            raise AssertionError(f"not pinned with == and hashed: {entry[:120]!r}")
        pins[canonicalize_name(match["name"])] = match["version"]
    return pins


def locked_as_direct(text: str) -> list[str]:
    """The pins pip-compile annotates "via flasky (pyproject.toml)": the direct
    dependencies the lock was generated from."""
    names, current = [], None
    for line in text.splitlines():
        pin = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if pin:
            current = canonicalize_name(pin[1])
        elif re.match(r"^\s+#\s+(via\s+)?flasky \(pyproject\.toml\)$", line) and current:
            names.append(current)
    return names


def pinned_version(requirement: Requirement) -> str | None:
    specifiers = list(requirement.specifier)
    if len(specifiers) == 1 and specifiers[0].operator == "==" and "*" not in specifiers[0].version:
        return specifiers[0].version
    return None


def imported_top_level_modules(path: Path) -> set[str]:
    """Absolute imports anywhere in a file (functions and TYPE_CHECKING blocks too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def third_party_imports(paths: list[Path]) -> dict[str, set[str]]:
    """Module name -> the files importing it, leaving out the standard library and Flasky."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for name in imported_top_level_modules(path):
            if name in sys.stdlib_module_names or name in FIRST_PARTY or name == "__future__":
                continue
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def undeclared_imports(imports: dict[str, set[str]], declared: set[str]) -> list[str]:
    """Imports that no declared distribution provides (packages_distributions maps an
    import name such as ``markupsafe`` to its distribution, ``MarkupSafe``)."""
    providers = importlib.metadata.packages_distributions()
    problems = []
    for module, files in sorted(imports.items()):
        distributions = {canonicalize_name(name) for name in providers.get(module, [])}
        if not distributions:
            problems.append(f"{module} (imported by {', '.join(sorted(files))}) is not installed")
        elif not distributions & declared:
            problems.append(f"{module} (imported by {', '.join(sorted(files))}) comes from "
                            f"{', '.join(sorted(distributions))}, not a direct dependency")
    return problems


def recipe(target: str) -> str:
    """The commands of a Makefile target, continuations joined."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n?)*)", text, re.MULTILINE)
    if match is None:
        raise AssertionError(f"the Makefile has no target {target}")
    return match.group(1)


class DependencyLockTestCase(unittest.TestCase):
    """pyproject.toml and the two locks say the same thing."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.runtime_pins = lock_pins(RUNTIME_LOCK.read_text())
        cls.dev_pins = lock_pins(DEV_LOCK.read_text())

    def test_direct_dependencies_are_pinned_with_double_equals(self):
        for group in (None, "dev"):
            for requirement in direct_dependencies(group).values():
                with self.subTest(requirement=str(requirement)):
                    self.assertIsNotNone(pinned_version(requirement),
                                         f"{requirement} in pyproject.toml: pin it with ==")

    def test_every_direct_dependency_is_locked_at_its_version(self):
        cases = [(RUNTIME_LOCK, self.runtime_pins, direct_dependencies()),
                 (DEV_LOCK, self.dev_pins, {**direct_dependencies(),
                                            **direct_dependencies("dev")})]
        for lock, pins, requirements in cases:
            for name, requirement in requirements.items():
                with self.subTest(lock=lock.name, requirement=str(requirement)):
                    self.assertIn(name, pins, f"{name} is missing from {lock.name}: make lock")
                    self.assertEqual(pins[name], pinned_version(requirement),
                                     f"{lock.name} has {name}=={pins[name]}; "
                                     f"pyproject.toml says {requirement}: make lock")

    def test_the_locks_name_no_other_direct_dependency(self):
        """A dependency dropped from pyproject.toml leaves the lock at the next `make lock`."""
        expected = {RUNTIME_LOCK: set(direct_dependencies()),
                    DEV_LOCK: set(direct_dependencies()) | set(direct_dependencies("dev"))}
        for lock, names in expected.items():
            with self.subTest(lock=lock.name):
                self.assertEqual(set(locked_as_direct(lock.read_text())), names,
                                 f"{lock.name} is stale: make lock")

    def test_every_lock_line_is_pinned_and_hashed(self):
        for lock in (RUNTIME_LOCK, DEV_LOCK):
            with self.subTest(lock=lock.name):
                entries = lock_entries(lock.read_text())
                self.assertGreater(len(entries), 30)
                for entry in entries:
                    self.assertRegex(entry, LOCK_LINE, f"{lock.name}: pin with == and hash")

    def test_the_lock_check_can_fail(self):
        with self.assertRaises(AssertionError):
            lock_pins("flask>=3.0 \\\n    --hash=sha256:" + "0" * 64 + "\n")
        with self.assertRaises(AssertionError):
            lock_pins("flask==3.1.3\n")
        self.assertEqual(lock_pins("Flask==3.1.3 \\\n    --hash=sha256:" + "a" * 64
                                   + "\n    # via flasky\n"), {"flask": "3.1.3"})

    def test_runtime_and_dev_locks_agree(self):
        """`make test` tests the versions `make run` runs."""
        for name, version in self.runtime_pins.items():
            with self.subTest(package=name):
                self.assertEqual(self.dev_pins.get(name), version,
                                 f"requirements-dev.txt has another {name}: make lock")

    def test_the_build_backend_is_locked(self):
        """`make` installs Flasky itself with --no-build-isolation, from the locked setuptools."""
        for requirement in map(Requirement, PYPROJECT["build-system"]["requires"]):
            for lock, pins in ((RUNTIME_LOCK, self.runtime_pins), (DEV_LOCK, self.dev_pins)):
                with self.subTest(lock=lock.name, requirement=str(requirement)):
                    name = canonicalize_name(requirement.name)
                    self.assertIn(name, pins)
                    self.assertIn(Version(pins[name]), requirement.specifier)

    def test_every_imported_distribution_is_a_direct_dependency(self):
        runtime = set(direct_dependencies())
        dev = set(direct_dependencies("dev"))
        app_files = sorted((ROOT / "app").rglob("*.py")) + [ROOT / "config.py"]
        self.assertEqual(undeclared_imports(third_party_imports(app_files), runtime), [])
        # flasky.py imports coverage only under `flask test --coverage`.
        self.assertEqual(undeclared_imports(third_party_imports([ROOT / "flasky.py"]),
                                            runtime | dev), [])
        # Those the review found imported without a pin:
        self.assertTrue({"limits", "markupsafe"} <= runtime)

    def test_the_import_check_can_fail(self):
        imports = {"markupsafe": {"app/x.py"}, "no_such_module_here": {"app/y.py"}}
        problems = undeclared_imports(imports, {"flask"})
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("markupsafe (imported by app/x.py) comes from markupsafe", problems[0])
        self.assertIn("no_such_module_here", problems[1])

    def test_make_installs_from_the_locks_with_hashes(self):
        self.assertRegex(recipe("$(VENV)/.runtime"), r"--require-hashes -r requirements\.txt")
        self.assertRegex(recipe("$(VENV)/.dev"), r"--require-hashes -r requirements-dev\.txt")
        for target in ("$(VENV)/.runtime", "$(VENV)/.dev"):
            self.assertIn("$(INSTALL_FLASKY)", recipe(target))
        self.assertIn("--no-deps", (ROOT / "Makefile").read_text().split("INSTALL_FLASKY :=")[1]
                      .splitlines()[0])

    def test_pip_audit_reads_the_runtime_lock(self):
        audit = [line for line in recipe("check").splitlines() if "pip-audit" in line]
        self.assertEqual(len(audit), 1, recipe("check"))
        self.assertRegex(audit[0], r"-r requirements\.txt(\s|$)")
