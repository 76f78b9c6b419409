"""Command-line entry points behind `python -m bot`; heavy imports stay inside each command."""

from __future__ import annotations

import json
from typing import TextIO


def parse_command(stdin: TextIO, stdout: TextIO) -> int:
    """Print the license claims found in stdin as a JSON list; needs no settings or network."""
    from bot.licensing.parser import parse_claims

    # Read bytes where we can, so a stray invalid byte in a paste cannot stop the command.
    buffer = getattr(stdin, "buffer", None)
    text = buffer.read().decode("utf-8", "replace") if buffer is not None else stdin.read()
    claims = parse_claims(text)
    stdout.write(json.dumps([claim.to_json() for claim in claims], ensure_ascii=False) + "\n")
    stdout.flush()
    return 0
