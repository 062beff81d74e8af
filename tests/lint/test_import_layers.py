"""The import contracts in pyproject.toml: they catch an upward import, and cover every module."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CLIENT_ONLY = ("tasklive.terminal", "tasklive.migrations")


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "tasklive",
        tmp_path / "src" / "tasklive",
        ignore=shutil.ignore_patterns("__pycache__", "static"),
    )
    return tmp_path


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_copied_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint_imports(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # ground reaching up to the app's services: the cycle this contract ended
        ("db.py", "import tasklive.services", "tasklive.db -> tasklive.services"),
        # the live-event core learning about tasks
        ("realtime/hub.py", "import tasklive.tasks.service", "tasklive.realtime.hub ->"),
        # the agent reaching up into chat
        ("agent/translate.py", "import tasklive.chat.store", "tasklive.agent.translate ->"),
        # the terminal importing more of the server than its errors
        ("terminal/view.py", "import tasklive.config", "tasklive.terminal.view ->"),
        # the server importing the terminal
        ("chat/turn.py", "import tasklive.terminal.view", "tasklive.chat.turn ->"),
    ],
)
def test_an_upward_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    tree = _copy(tmp_path)
    _append(tree / "src" / "tasklive" / module, line)
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "1 broken" in result.stdout
    assert broken in result.stdout


def test_every_module_sits_in_one_layer() -> None:
    layers = _contracts()["layers"]["layers"]
    declared = [
        name.strip().strip("()") for layer in layers for name in layer.replace("|", ":").split(":")
    ]
    graph = grimp.build_graph("tasklive")
    packages = {m.rpartition(".")[0] for m in graph.modules}
    unplaced = []
    for module in sorted(graph.modules):
        if module == "tasklive" or module.startswith(CLIENT_ONLY) or module in packages:
            continue  # package __init__ modules hold no code of their own
        homes = [d for d in declared if module == d or module.startswith(d + ".")]
        if len(homes) != 1:
            unplaced.append(module)
    assert unplaced == [], "place these modules in one layer of pyproject.toml's contract"


def test_the_terminal_contracts_name_every_top_level_module() -> None:
    contracts = _contracts()
    graph = grimp.build_graph("tasklive")
    top = {m for m in graph.find_children("tasklive")} - {"tasklive.terminal"}
    assert set(contracts["terminal-client"]["forbidden_modules"]) == top - {"tasklive.errors"}
    assert set(contracts["server-without-terminal"]["source_modules"]) == top - {
        "tasklive.cli",
        "tasklive.__main__",
    }
