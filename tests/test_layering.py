"""The hub's layering (issue 9): import-linter's contracts in pyproject.toml hold on the tree, and
they do catch a violation (a hub module importing a spoke, the platform importing the hub)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAKKETTEN = (
    "inburgering",
    "cases",
    "pip_plans",
    "ontzorgen",
    "handhaving",
    "begeleiding",
    "verantwoording",
    "bewaring",
    "demo",
)
LINT_IMPORTS = ROOT / ".venv" / "bin" / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def kopie(tmp_path: Path) -> Path:
    for pakket in PAKKETTEN:
        shutil.copytree(
            ROOT / pakket, tmp_path / pakket, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold_on_the_tree():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("bestand", "regel", "contract"),
    [
        ("cases/spaak.py", "from pip_plans.models import Pip\n", "The dossier hub (cases)"),
        ("cases/views_extra.py", "def f():\n    import ontzorgen.apps\n", "The dossier hub"),
        ("inburgering/core/hub_gebruik.py", "from cases.models import Dossier\n", "The platform"),
        ("pip_plans/demo_gebruik.py", "import demo.dossiers\n", "No app depends on the demo"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(kopie: Path, bestand, regel, contract):
    (kopie / bestand).write_text(regel)
    result = lint_imports(kopie)
    assert result.returncode != 0
    assert "1 broken" in result.stdout
    assert f"{contract}" in result.stdout
    assert bestand.removesuffix(".py").replace("/", ".") in result.stdout
