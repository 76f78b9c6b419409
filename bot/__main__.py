"""Entry point: `python -m bot` runs the bot; `parse` and `check` are offline helpers."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "run"
    if command == "parse":
        from bot.cli import parse_command

        return parse_command(sys.stdin, sys.stdout)
    if command == "check":
        from bot.checking import check_command

        return check_command(sys.stdin, sys.stdout)
    if command == "run":
        from bot.runner import run_command

        return run_command()
    print(f"unknown command: {command!r}; use: python -m bot [run|parse|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
