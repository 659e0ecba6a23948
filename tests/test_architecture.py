"""The layout DESIGN.md sets, checked on the code itself (read with ``ast``, every import, top-level or not).

* core imports no domain app;
* no model imports a service or a selector (workflow rules live in each app's ``workflows.py``);
* nothing outside ``demo/``, ``bench/`` and ``tests/`` imports the demo app (demo data, the voter-file generator);
* every workflow model has a registered policy;
* no module imports another module's private name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands

from core.workflow import WorkflowModel, policy_for

ROOT = Path(settings.BASE_DIR)
DOMAIN_APPS = ("accounts", "elections", "voters", "candidates", "observers", "media_accreditation", "incidents", "results")
FIRST_PARTY = (*DOMAIN_APPS, "core", "demo", "esaylov")


def python_files(*folders: str):
    for folder in folders:
        base = ROOT / folder
        if base.is_dir():
            yield from (p for p in sorted(base.rglob("*.py")) if "migrations" not in p.parts)


def imports_of(path: Path) -> list[tuple[str, list[str], int]]:
    """``(module, names, line)`` of every import in the file (relative imports resolved to absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            found.append((module, [alias.name for alias in node.names], node.lineno))
    return found


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_core_imports_no_domain_app():
    bad = [
        f"{where(p, line)} imports {module}"
        for p in python_files("core")
        for module, _n, line in imports_of(p)
        if module.split(".")[0] in (*DOMAIN_APPS, "demo")
    ]
    assert not bad, bad


def test_no_model_imports_a_service_or_a_selector():
    bad = []
    for app in DOMAIN_APPS + ("core",):
        path = ROOT / app / "models.py"
        if not path.exists():
            continue
        for module, names, line in imports_of(path):
            parts = module.split(".")
            targets = [*parts, *names] if parts[0] in FIRST_PARTY else []
            if any(t in ("services", "selectors") for t in targets):
                bad.append(f"{where(path, line)} imports {module} {names}")
    assert not bad, bad


def first_party_folders() -> list[str]:
    """Every top-level package of the project (a folder with an ``__init__.py``), so that a new app is checked too."""
    return sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))


def test_nothing_outside_demo_bench_and_tests_imports_the_demo_app():
    outside = [f for f in first_party_folders() if f not in ("demo", "bench", "tests")]
    assert {"core", "esaylov", "elections", "voters"} <= set(outside), outside
    files = [*python_files(*outside), *sorted(ROOT.glob("*.py"))]
    bad = [
        f"{where(p, line)} imports {module}"
        for p in files
        for module, _n, line in imports_of(p)
        if module.split(".")[0] == "demo"
    ]
    assert not bad, bad


def test_demo_data_lives_in_the_demo_app():
    assert apps.is_installed("demo")
    left = [
        str(p.relative_to(ROOT))
        for app in DOMAIN_APPS
        for p in sorted((ROOT / app).glob("*.py"))
        if p.stem in ("demo", "generator", "geodata")
    ]
    assert not left, left
    commands = get_commands()
    assert {name: commands.get(name) for name in ("seed_demo", "make_voter_file", "demo_totp")} == dict.fromkeys(
        ("seed_demo", "make_voter_file", "demo_totp"), "demo"
    )


def test_no_module_imports_another_modules_private_name():
    bad = []
    for path in python_files(*FIRST_PARTY, "bench"):
        for module, names, line in imports_of(path):
            if module.split(".")[0] not in (*FIRST_PARTY, "bench"):
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                bad.append(f"{where(path, line)} imports {private} from {module}")
    assert not bad, bad


@pytest.mark.parametrize("model", [m for m in apps.get_models() if issubclass(m, WorkflowModel)], ids=lambda m: m._meta.label)
def test_every_workflow_model_has_a_policy(model):
    assert policy_for(model) is not None
