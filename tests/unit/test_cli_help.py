"""`python -m bot --help`: every subcommand listed with one line, each with its own help."""

from __future__ import annotations

import pytest

from bot.__main__ import main

COMMANDS = ("run", "parse", "check", "doctor", "export")


@pytest.fixture(autouse=True)
def terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse wraps to the terminal; the usual 80 columns, whatever runs the tests."""
    monkeypatch.setenv("COLUMNS", "80")


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 0
    return capsys.readouterr().out


def listed_commands(text: str) -> dict[str, str]:
    """The command lines of the help: {name: its one-line description}."""
    lines = text.split("commands:", 1)[1].splitlines()
    found = {}
    for line in lines:
        words = line.split(maxsplit=1)
        if line.startswith("    ") and not line.startswith("      ") and len(words) == 2:
            found[words[0]] = words[1]
    return found


def test_help_lists_every_command_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(capsys, "--help")
    assert text.startswith("usage: python -m bot")
    listed = listed_commands(text)
    assert set(COMMANDS) <= set(listed)
    for name in COMMANDS:
        # The description fits on its line: the next line is another command or the end.
        after = text.split(f"    {name} ", 1)[1].splitlines()[1]
        assert not after.startswith(" " * 6), f"{name}'s help wraps: {after!r}"


def test_h_and_help_command_print_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    full = help_text(capsys, "--help")
    assert help_text(capsys, "-h") == full
    assert main(["help"]) == 0
    assert capsys.readouterr().out == full


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_its_own_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    text = help_text(capsys, command, "--help")
    assert text.startswith(f"usage: python -m bot {command}")
    assert help_text(capsys, "help", command) == text


def test_export_options(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(capsys, "export", "--help")
    for option in ("--format {csv,json}", "--output FILE", "--bom"):
        assert option in text


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'serve'" in err
    assert err.startswith("usage: python -m bot")


def test_bad_export_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["export", "--format", "xlsx"])
    assert stopped.value.code == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err
