"""Help, the greeting in a new group, and the command menu."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _


def help_text(*, private: bool, agent: bool) -> str:
    """/start and /help: where the license text is, which versions have it, the commands."""
    text = _(
        "I check the licenses of the «МойСклад» modules for 1C-Bitrix and pin the term of "
        "technical support in this chat.\n\n"
        "<b>How to share a license</b>\n"
        "1. In 1C-Bitrix open: Control panel → Settings → Modules → [your module] → "
        "Settings.\n"
        "2. In the license block press «Скопировать информацию о лицензии» (Copy license "
        "information).\n"
        "3. Paste the copied text here. Once is enough: the support term stays pinned in "
        "the chat.\n\n"
        "The license block is in these versions:\n"
        "• МойСклад: Синхронизация товаров по API — 3.2.0 and later\n"
        "• МойСклад: Гибкий обмен заказами по API — 2.3.0 and later\n"
        "• МойСклад: Обмен контрагентами по API — 1.1.0 and later\n"
        "If there is no such block, update the module: support is given only for these "
        "versions and newer.\n\n"
        "/license — the support term in this chat."
    )
    if not private:
        text += "\n\n" + _(
            "<b>In a group</b>: make the bot an administrator with the right «Pin messages» — "
            "then it sees the pasted text and pins the status."
        )
    if agent:
        text += "\n\n" + _(
            "<b>For support agents</b>\n"
            "/license &lt;Request ID&gt; — find a license and the chats that hold it\n"
            "/recheck — check this chat's licenses again\n"
            "/forget &lt;Request ID&gt; — remove a license from this chat\n"
            "/expiring [days] — licenses that end soon\n"
            "/language ru|en — the language of this chat"
        )
    return text


def group_welcome(*, can_pin: bool) -> str:
    """What a group hears when the bot is added to it."""
    text = _(
        "Hello! I will pin here how long technical support lasts under the license of your "
        "«МойСклад» module. Send the text from the module's license block (/help shows "
        "where to find it)."
    )
    if not can_pin:
        text += "\n\n" + _(
            "To see the text you send and pin the status, make me an administrator with the "
            "right «Pin messages»."
        )
    return text


def command_menu() -> list[tuple[str, str]]:
    """The commands customers see in Telegram's menu, with their descriptions."""
    return [
        ("license", _("Support term in this chat")),
        ("help", _("How to send the license information")),
    ]


def agent_command_menu() -> list[tuple[str, str]]:
    """The menu in an agent's private chat and in the support chat: the agent commands too."""
    return [
        ("license", _("Support term here, or find a license by Request ID")),
        ("recheck", _("Check this chat's licenses again")),
        ("forget", _("Remove a license from this chat by Request ID")),
        ("expiring", _("Licenses that end soon")),
        ("language", _("The language of this chat: ru or en")),
        ("help", _("How to send the license information")),
    ]


def bot_description() -> str:
    """The bot's description, shown in an empty chat before /start (up to 512 characters)."""
    return _(
        "I check the licenses of the «МойСклад» modules for 1C-Bitrix and pin the term of "
        "technical support in the chat.\n\n"
        "In 1C-Bitrix open the module's settings, press «Скопировать информацию о лицензии» "
        "(Copy license information) in the license block and paste the text here. "
        "Add me to your support group to pin the term there."
    )


def bot_short_description() -> str:
    """The bot's short description, on its profile and in shared links (up to 120 characters)."""
    return _("Checks «МойСклад» module licenses for 1C-Bitrix: paste the license information.")


def copy_howto_button() -> str:
    return _("How to copy the license information")


def copy_howto_text() -> str:
    """The steps behind the /help button, from the admin panel to the pasted text."""
    return _(
        "<b>How to copy the license information</b>\n"
        "1. Sign in to your site's 1C-Bitrix administrative panel.\n"
        "2. Open Settings → Modules and find the «МойСклад» module in the list.\n"
        "3. Open the module's Settings page: the license block is at the top.\n"
        "4. Press «Скопировать информацию о лицензии» (Copy license information). The text "
        "goes to the clipboard; it starts with «Лицензия модуля» and holds a Request ID.\n"
        "5. Come back here and paste it into the message field (long press → Paste, or "
        "Ctrl+V), then send it.\n\n"
        "Several modules? Copy and send each one's text. There is no license block? Update "
        "the module: the block is in the versions listed in /help."
    )
