"""Entry point: `python -m bot [command]`; heavy imports stay inside each command."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = "Telegram support bot that verifies 1C-Bitrix module licenses."
EPILOG = "Settings come from the environment or .env; `python -m bot COMMAND --help` for more."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=DESCRIPTION, epilog=EPILOG)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    commands.add_parser(
        "run",
        help="run the bot (long polling); the default without a command",
        description="Run the bot until SIGTERM or Ctrl-C. Needs BOT_TOKEN and LICENSE_API_URL.",
    )
    commands.add_parser(
        "parse",
        help="stdin → the license claims found, as JSON (offline)",
        description="Print the license claims found in stdin as JSON; no settings, no network.",
    )
    commands.add_parser(
        "check",
        help="stdin → claims verified with the license backend, as JSON",
        description="Verify the claims in stdin with the backend (LICENSE_API_URL); exit 1 "
        "when a verdict could not be had.",
    )
    commands.add_parser(
        "doctor",
        help="check settings, Telegram, backend, support chat and database",
        description="Check every part the bot depends on, one line each (✓ ok, ! warning, "
        "✗ failure); exit 1 on any failure. Safe while the bot runs (the database is "
        "opened read-only).",
    )
    export = commands.add_parser(
        "export",
        help="write every chat with its licenses as CSV or JSON",
        description="Write every chat with its licenses, read-only from DATABASE_PATH; days "
        "left are counted from today in TIMEZONE.",
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")
    export.add_argument(
        "--output", metavar="FILE", default="-", help="write to FILE (default: stdout)"
    )
    export.add_argument(
        "--bom", action="store_true", help="start CSV with a UTF-8 BOM (for Excel)"
    )
    helper = commands.add_parser("help", help="show this help, or a command's help")
    helper.add_argument("topic", nargs="?", metavar="COMMAND")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    command = args.command or "run"
    if command == "help":
        if args.topic:
            return main([args.topic, "--help"])
        parser.print_help()
        return 0
    if command == "parse":
        from bot.cli import parse_command

        return parse_command(sys.stdin, sys.stdout)
    if command == "check":
        from bot.checking import check_command

        return check_command(sys.stdin, sys.stdout)
    if command == "doctor":
        from bot.doctor import doctor_command

        return doctor_command(sys.stdout)
    if command == "export":
        from bot.export import export_command

        return export_command(args.format, args.output, sys.stdout, bom=args.bom)
    from bot.runner import run_command

    return run_command()


if __name__ == "__main__":
    sys.exit(main())
