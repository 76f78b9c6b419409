"""The house's layers hold: the license domain and storage know nothing of what sits on top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TELEGRAM_SIDE = ("aiogram", "bot.handlers", "bot.views", "bot.outbound", "bot.transport")
FORBIDDEN = {
    # The domain declares what it needs from storage (bot.licensing.repository) instead.
    "bot/licensing": (*TELEGRAM_SIDE, "storage", "bot.config"),
    "storage": (*TELEGRAM_SIDE, "httpx", "bot.licensing.backend", "bot.licensing.service"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(folder: str, banned: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == b or name.startswith(b + ".") for b in banned):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_upper_ones(folder: str) -> None:
    assert violations(folder, FORBIDDEN[folder]) == []


def test_the_check_finds_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text("from storage.repository import Repository\nimport aiogram.types\n")
    assert imported_modules(module) == {"storage.repository", "aiogram.types"}
