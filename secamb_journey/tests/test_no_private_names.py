"""Issue 26: no reaching into libraries. The project's own source (not its tests, migrations, .venv or
node_modules) uses no other package's private names and monkeypatches nothing, so a library upgrade
cannot silently switch off or break what relied on its internals.

An AST walk of every source file flags:
- `from lib import _name` and `import lib._mod` (a private part of a module path that is not this project's);
- `x._name` where `x` is not `self`/`cls`, not one of this project's modules, and `_name` is not a private
  name this project defines itself (a `def _name`, a `_name = ...` or `self._name = ...`); `x._name` on a
  third-party module or class is flagged whatever the project defines;
- a class of this project that overrides, reads or sets a private name of a third-party base class
  (a form's `_post_clean`, `self._has_expired(...)` in a LocMemCache subclass);
- a monkeypatch: assigning to (or deleting, or setattr on) an attribute of an imported third-party module
  or class.
Dunder names (`__dict__`, `__name__`) are not private.
"""

import ast
import functools
import importlib
import inspect
import textwrap
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRECTORIES = {".venv", "node_modules", "migrations", "tests", ".git", "var", "static", "staticfiles"}

# Names with a leading underscore that their libraries document as public API, so there is no other way.
ALLOWED_NAMES = {
    # Django's documented Model _meta API (docs: ref/models/meta) and Model._state, whose `adding` and
    # `db` are documented (ref/models/instances, "Model._state").
    "_meta",
    "_state",
    # collections.namedtuple's documented methods (urllib.parse's SplitResult is one).
    "_replace",
    "_asdict",
    # django-simple-history's documented way to say who made a change, when and why, on the save that
    # records it (docs: "Manually specifying a user", "Change reason", "history_date").
    "_history_user",
    "_history_date",
    "_change_reason",
}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def project_packages() -> set[str]:
    names = {p.stem for p in ROOT.glob("*.py")}
    folders = [p for p in ROOT.iterdir() if p.is_dir() and p.name not in SKIPPED_DIRECTORIES]
    return names | {p.name for p in folders if any(p.rglob("*.py"))}


PROJECT = project_packages()


def _is_project_module(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in PROJECT


def source_files() -> list[Path]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRECTORIES & set(relative.parts[:-1]):
            continue
        if path.name.startswith("test_") or path.name == "conftest.py":
            continue
        found.append(path)
    return found


def _trees() -> dict[str, ast.Module]:
    return {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(), str(path)) for path in source_files()}


def project_defined_private_names(trees) -> set[str]:
    """Private names this project defines: functions, classes, module or class variables, self/cls attributes."""
    names = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
            ):
                names.add(node.attr)
    return {name for name in names if _is_private(name)}


def imported_names(tree) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, attribute) for every import in the file (attribute None for `import x`)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = (alias.name, None)
                else:
                    top = alias.name.split(".")[0]
                    names[top] = (top, None)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    return names


def _root(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


def _third_party(node, imports) -> bool:
    root = _root(node)
    return isinstance(root, ast.Name) and root.id in imports and not _is_project_module(imports[root.id][0])


def import_problems(tree) -> list[tuple[int, str]]:
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and not _is_project_module(node.module):
            parts = node.module.split(".") + [alias.name for alias in node.names]
            problems += [(node.lineno, f"from {node.module} import {p}") for p in parts if _is_private(p)]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if not _is_project_module(alias.name) and any(map(_is_private, alias.name.split("."))):
                    problems.append((node.lineno, f"import {alias.name}"))
    return problems


def _attribute_reads(tree):
    """(node, object, name) for each `x.name`, and each getattr/hasattr/setattr/delattr(x, "name")."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            yield node, node.value, node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            yield node, node.args[0], node.args[1].value


def attribute_problems(tree, own: set[str]) -> list[tuple[int, str]]:
    imports = imported_names(tree)
    problems = []
    for node, value, name in _attribute_reads(tree):
        if not _is_private(name) or name in ALLOWED_NAMES:
            continue
        root = _root(value)
        if isinstance(value, ast.Name) and value.id in ("self", "cls"):
            continue
        if isinstance(root, ast.Name) and root.id in imports and _is_project_module(imports[root.id][0]):
            continue  # this project's own module, class or function
        if name in own and not _third_party(value, imports):
            continue
        problems.append((node.lineno, ast.unparse(node)))
    return problems


def monkeypatch_problems(tree) -> list[tuple[int, str]]:
    imports = imported_names(tree)
    problems = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
            if node.args and _third_party(node.args[0], imports):
                problems.append((node.lineno, ast.unparse(node)))
        for target in targets:
            if isinstance(target, ast.Attribute) and _third_party(target.value, imports):
                problems.append((node.lineno, f"{ast.unparse(target)} = ..."))
    return problems


def _resolve(node, imports):
    """The object a class's base expression names, if it is an imported name (else None)."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in imports:
        return None
    module, attribute = imports[node.id]
    value = importlib.import_module(module)
    if attribute is not None:
        value = getattr(value, attribute, None) or importlib.import_module(f"{module}.{attribute}")
    for name in reversed(names):
        value = getattr(value, name)
    return value


def _self_attributes(node) -> set[str]:
    """The attributes of `self`/`cls` that a function or class reads or sets."""
    return {
        n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in ("self", "cls")
    }


@functools.cache
def library_private_names(klass) -> frozenset[str]:
    """A third-party class's private names: its own methods and class attributes, and what it sets on self."""
    names = set(vars(klass))
    try:
        names |= _self_attributes(ast.parse(textwrap.dedent(inspect.getsource(klass))))
    except (OSError, TypeError, SyntaxError):
        pass  # built in C, or no source: its class attributes only
    return frozenset(name for name in names if _is_private(name))


def subclass_problems(tree) -> list[tuple[int, str]]:
    """A class of this project that overrides, reads or sets a private name of a third-party base class."""
    imports = imported_names(tree)
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        defined = {item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
        assigned = [item.targets for item in node.body if isinstance(item, ast.Assign)]
        defined |= {t.id for targets in assigned for t in targets if isinstance(t, ast.Name)}
        used = {name for name in defined | _self_attributes(node) if _is_private(name) and name not in ALLOWED_NAMES}
        for base in filter(None, (_resolve(b, imports) for b in node.bases)):
            for klass in inspect.getmro(base) if inspect.isclass(base) else ():
                if _is_project_module(klass.__module__):
                    continue
                reached = used & library_private_names(klass)
                problems += [(node.lineno, f"{node.name} uses {klass.__qualname__}.{n}") for n in reached]
    return problems


def all_problems() -> list[str]:
    trees = _trees()
    own = project_defined_private_names(trees)
    found = []
    for path, tree in trees.items():
        for check in (import_problems, monkeypatch_problems, subclass_problems):
            found += [f"{path}:{line}: {what}" for line, what in check(tree)]
        found += [f"{path}:{line}: {what}" for line, what in attribute_problems(tree, own)]
    return sorted(set(found))


def test_the_source_uses_no_other_packages_private_names_and_patches_nothing():
    problems = all_problems()
    assert not problems, "Private names of other packages, or monkeypatches:\n" + "\n".join(problems)


def _found(source: str) -> list[str]:
    tree = ast.parse(textwrap.dedent(source))
    checks = (import_problems, monkeypatch_problems, subclass_problems)
    return [what for check in checks for _line, what in check(tree)] + [w for _l, w in attribute_problems(tree, set())]


def test_the_scan_finds_each_kind_of_reaching_in():
    assert _found("from django.core.cache.backends.locmem import _caches") == [
        "from django.core.cache.backends.locmem import _caches"
    ]
    assert _found("def f(response, stored):\n    return stored.headers._store") == ["stored.headers._store"]
    assert _found("def f(user):\n    return hasattr(user, '_perm_cache')") == ["hasattr(user, '_perm_cache')"]
    assert _found("import pydyf\npydyf.PDF.page_references = property(len)") == ["pydyf.PDF.page_references = ..."]
    assert _found(
        """
        from django.core.cache.backends.locmem import LocMemCache
        class Cache(LocMemCache):
            def get(self, key, default=None, version=None):
                return self._has_expired(key)
        """
    ) == ["Cache uses LocMemCache._has_expired"]
    assert _found(
        """
        from django import forms
        class Form(forms.ModelForm):
            def _post_clean(self):
                pass
        """
    ) == ["Form uses BaseModelForm._post_clean", "Form uses BaseForm._post_clean"]


def test_the_scan_lets_this_projects_own_and_documented_names_be():
    assert not _found("from actions.views import _bound\nfrom actions import services\nservices._locked(1)")
    assert not _found("def f(model, parts, a):\n    a._history_user = 1\n    return model._meta, parts._replace()")
    assert not _found("class A:\n    def f(self):\n        return self._cache, self.__dict__")
