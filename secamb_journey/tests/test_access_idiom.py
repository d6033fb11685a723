"""One access idiom (issue 26): every view finds what it shows through `get_<thing>_for_user(request, ...)`,
which takes the request first (the person, their session and their roles are all read from it)."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ["actions", "measures", "reports", "themes", "pillars", "secamb_journey"]


def _access_functions():
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.FunctionDef)
                    and node.name.startswith("get_")
                    and node.name.endswith("_for_user")
                ):
                    yield path.relative_to(settings.BASE_DIR), node


def test_every_get_thing_for_user_takes_the_request_first():
    found = list(_access_functions())
    assert len(found) >= 10  # the scan sees the views' access functions
    wrong = [
        f"{path}: {node.name}({node.args.args[0].arg if node.args.args else ''}, ...)"
        for path, node in found
        if not node.args.args or node.args.args[0].arg != "request"
    ]
    assert wrong == []
