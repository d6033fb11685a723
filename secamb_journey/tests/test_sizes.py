"""Issue 26, "One layout": no module over 500 lines and no function over 60 lines in the project's own
source (not its tests, migrations or load test), so each can be read whole before it is changed.
docs/architecture.md says how a module that grows is split (a package by feature).
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRECTORIES = {
    ".venv",
    "node_modules",
    "migrations",
    "tests",
    "loadtest",
    ".git",
    "var",
    "static",
    "staticfiles",
}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

# Functions over the limit, each with why it cannot be split: none.
ALLOWED_LONG_FUNCTIONS: set[str] = set()


def source_files(root: Path) -> list[Path]:
    return [
        path
        for path in sorted(root.rglob("*.py"))
        if not SKIPPED_DIRECTORIES & set(path.relative_to(root).parts[:-1])
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    ]


def offenders(root: Path) -> list[str]:
    """Each module over MAX_MODULE_LINES and each function over MAX_FUNCTION_LINES, with its length."""
    found = []
    for path in source_files(root):
        name = path.relative_to(root).as_posix()
        text = path.read_text()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            found.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text, name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES and f"{name}:{node.name}" not in ALLOWED_LONG_FUNCTIONS:
                    found.append(f"{name}:{node.name}: {length} lines")
    return found


def test_no_module_over_500_lines_and_no_function_over_60():
    assert offenders(ROOT) == []


def test_the_check_sees_a_long_module_and_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "long.py").write_text(f"def long():\n{body}\n" + "\n" * 450)
    (tmp_path / "app" / "tests").mkdir()
    (tmp_path / "app" / "tests" / "helpers.py").write_text(f"def long():\n{body}\n")
    assert offenders(tmp_path) == ["app/long.py: 512 lines", "app/long.py:long: 62 lines"]
