"""Dependencies and packaging: pyproject.toml lists the direct dependencies by hand,
requirements.txt and requirements-dev.txt are the locks generated from it (`make
lock`), and the wheel built from pyproject.toml is a Flasky that runs anywhere."""

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unittest
import zipfile
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
            if any((folder / name).is_dir() or (folder / f"{name}.py").is_file()
                   for folder in (path.parent, ROOT)):
                continue  # a module of this repository (bench, scripts/loadclients.py)
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
        # `flask test` (app/cli/testing.py) and flasky.py import coverage only under
        # `flask test --coverage`, a developer's command: they may use the dev extra.
        test_command = [ROOT / "flasky.py", ROOT / "app" / "cli" / "testing.py"]
        app_files = [path for path in sorted((ROOT / "app").rglob("*.py"))
                     if path not in test_command] + [ROOT / "config.py"]
        self.assertEqual(undeclared_imports(third_party_imports(app_files), runtime), [])
        self.assertEqual(undeclared_imports(third_party_imports(test_command),
                                            runtime | dev), [])
        # The tests, tools and migrations may use the dev extra as well.
        others = [ROOT / "gunicorn.conf.py"] + [
            path for folder in ("tests", "scripts", "bench", "migrations")
            for path in sorted((ROOT / folder).rglob("*.py"))]
        self.assertEqual(undeclared_imports(third_party_imports(others), runtime | dev), [])
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

    def test_make_upgrades_pip_to_the_locked_one_with_hashes(self):
        bootstrap = recipe("$(BIN)/python")
        self.assertIn("--require-hashes -r $(VENV)/pip.txt", bootstrap)
        self.assertIn("pip", self.dev_pins)
        self.assertRegex(bootstrap, r"/\^pip==/.*requirements-dev\.txt")

    def test_pip_audit_reads_the_runtime_lock(self):
        audit = [line for line in recipe("check").splitlines() if "pip-audit" in line]
        self.assertEqual(len(audit), 1, recipe("check"))
        self.assertRegex(audit[0], r"-r requirements\.txt(\s|$)")


class MigrationsDirectoryTestCase(unittest.TestCase):
    def test_a_checkout_uses_its_migrations_folder_by_absolute_path(self):
        import config

        self.assertEqual(config.migrations_directory(), str(ROOT / "migrations"))
        self.assertTrue(os.path.isabs(config.Config.FLASKY_MIGRATIONS_DIRECTORY))
        # (An installed wheel's app/migrations: WheelTestCase.)


def _copy_of_the_checkout(destination: Path) -> Path:
    """The sources a wheel is built from, without what a checkout accumulates."""
    ignore = shutil.ignore_patterns(".git", ".venv", "node_modules", "instance", "build", "dist",
                                    "*.egg-info", "__pycache__", "htmlcov", "screenshots",
                                    ".pytest_cache", ".ruff_cache", "*.sqlite*", "results")
    return Path(shutil.copytree(ROOT, destination, ignore=ignore))


def _can_build_without_isolation() -> bool:
    try:
        installed = Version(importlib.metadata.version("setuptools"))
    except importlib.metadata.PackageNotFoundError:
        return False
    return all(installed in Requirement(line).specifier
               for line in PYPROJECT["build-system"]["requires"] if line.startswith("setuptools"))


def _outside_environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FLASK", "PYTHON", "DEV_", "TEST_", "DATABASE"))}
    return {**env, **extra}


class WheelTestCase(unittest.TestCase):
    """One test, since each step needs the last: build the wheel, check what is in it,
    install it into a new environment and run Flasky from a directory with no checkout."""

    def test_the_wheel_runs_flasky_outside_the_checkout(self):
        work = Path(tempfile.mkdtemp(prefix="flasky-wheel-"))
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        source = _copy_of_the_checkout(work / "src")

        # Build. The locked setuptools (`make`) builds offline; an older one makes pip
        # fetch the build backend from the package index.
        offline = ["--no-build-isolation"] if _can_build_without_isolation() else []
        built = self.run_checked([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                                  *offline, "-w", str(work / "dist"), str(source)], cwd=work)
        wheels = list((work / "dist").glob("flasky-*.whl"))
        self.assertEqual(len(wheels), 1, built.stdout + built.stderr)

        # What it holds: every file of the package, templates, static files and
        # migrations (as app/migrations), and the two top-level modules.
        with zipfile.ZipFile(wheels[0]) as wheel:
            names = set(wheel.namelist())
        expected = {"config.py", "flasky.py", "app/migrations/alembic.ini",
                    "app/migrations/env.py", "app/migrations/script.py.mako"}
        for path in (ROOT / "app").rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                expected.add(path.relative_to(ROOT).as_posix())
        for path in (ROOT / "migrations" / "versions").glob("*.py"):
            expected.add(f"app/migrations/versions/{path.name}")
        self.assertEqual(sorted(expected - names), [], "missing from the wheel (pyproject.toml)")
        self.assertTrue(any(name.startswith("app/templates/") for name in names))
        self.assertTrue(any(name.startswith("app/static/") for name in names))
        self.assertFalse([name for name in names if name.startswith(("tests/", "migrations/"))])

        # A new environment that borrows this one's dependencies (a .pth file) but not
        # its Flasky: this interpreter's pip installs the wheel alone into it.
        venv = work / "venv"
        self.run_checked([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=work)
        python = venv / "bin" / "python"
        site_packages = Path(self.run_checked(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            cwd=work).stdout.strip())
        borrowed = [path for path in sys.path if path.endswith("site-packages")]
        (site_packages / "borrowed-dependencies.pth").write_text("\n".join(borrowed) + "\n")
        self.run_checked([sys.executable, "-m", "pip", "--python", str(python), "install",
                          "--quiet", "--no-deps", "--no-index", str(wheels[0])], cwd=work)

        elsewhere = work / "elsewhere"
        elsewhere.mkdir()
        env = _outside_environment(DEV_DATABASE_URL=f"sqlite:///{work / 'flasky.sqlite'}")
        where = self.run_checked(
            [str(python), "-c", "import app, config, flasky; "
             "print(app.__file__, config.__file__, config.Config.FLASKY_MIGRATIONS_DIRECTORY)"],
            cwd=elsewhere, env=env).stdout.split()
        for path in where:
            self.assertTrue(Path(path).is_relative_to(site_packages), where)
        migrations = Path(where[2])
        self.assertTrue((migrations / "env.py").is_file(), migrations)

        flask = [str(python), "-m", "flask", "--app", "flasky"]
        routes = self.run_checked([*flask, "routes"], cwd=elsewhere, env=env).stdout
        self.assertIn("main.index", routes)
        self.assertIn("static", routes)
        # The shipped migrations build the schema (`--directory` until app/__init__.py
        # hands FLASKY_MIGRATIONS_DIRECTORY to Flask-Migrate; then `flask deploy`), then
        # a page renders from the shipped templates and a static file from the wheel.
        self.run_checked([*flask, "deploy"], cwd=elsewhere, env=env)
        page = self.run_checked(
            [str(python), "-c", "from flasky import app\n"
             "client = app.test_client()\n"
             "index, css = client.get('/'), client.get('/static/flasky.css')\n"
             "print(index.status_code, css.status_code, b'</html>' in index.data)"],
            cwd=elsewhere, env=env).stdout.split()
        self.assertEqual(page, ["200", "200", "True"])

    def run_checked(self, command: list[str], cwd: Path,
                    env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(command, cwd=cwd, env=env or _outside_environment(),
                                capture_output=True, text=True, timeout=120, check=False)
        self.assertEqual(result.returncode, 0,
                         f"{' '.join(command)}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result
