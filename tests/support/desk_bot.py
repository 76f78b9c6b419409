"""`python -m tests.support.desk_bot`: the test launcher (tests.support.run_bot) with the
support desk on from the start whenever SUPPORT_CHAT_ID is set, as the start-up check turns
it on for a forum. For process tests of the desk that must not depend on that check."""

from __future__ import annotations

import os
import sys
from typing import Any

from tests.support import run_bot


def enable_desk() -> None:
    from bot.outbound.desk import SupportDesk

    plain_init = SupportDesk.__init__

    def init(self: SupportDesk, *args: Any, **kwargs: Any) -> None:
        plain_init(self, *args, **kwargs)
        if self.chat_id is not None:
            self.enabled = True

    SupportDesk.__init__ = init  # type: ignore[method-assign]  # the one seam, test-only


def main() -> int:
    run_bot.install_clock(os.environ)
    run_bot.install_flood_scale(os.environ)
    enable_desk()
    from bot.__main__ import main as bot_main

    return bot_main(None)


if __name__ == "__main__":
    sys.exit(main())
