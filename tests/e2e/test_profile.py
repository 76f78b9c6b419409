"""End to end: the bot's profile in Telegram — menus per scope and language, descriptions."""

from __future__ import annotations

import logging

from tests import factories as f
from tests.support.bots import AGENT_ID

CUSTOMER = ["license", "help"]
AGENT = ["license", "recheck", "forget", "expiring", "language", "help"]


def menu(telegram, scope: dict | None, language: str | None) -> list[str] | None:
    commands = telegram.commands.get(
        telegram.commands_key({"scope": scope, "language_code": language})
    )
    return None if commands is None else [c["command"] for c in commands]


def chat_scope(chat_id: int) -> dict:
    return {"type": "chat", "chat_id": chat_id}


async def test_customers_agents_and_the_support_chat_get_their_menus_in_both_languages(
    telegram, start_bot
):
    agents = f.supergroup("Support desk")
    telegram.set_chat(agents)
    await start_bot(support_chat_id=agents["id"])
    await telegram.wait_for(lambda: menu(telegram, chat_scope(agents["id"]), "en"))

    for language in (None, "en"):
        assert menu(telegram, None, language) == CUSTOMER
        assert menu(telegram, chat_scope(AGENT_ID), language) == AGENT
        assert menu(telegram, chat_scope(agents["id"]), language) == AGENT
    ru = telegram.commands[telegram.commands_key({"scope": chat_scope(AGENT_ID)})]
    en = telegram.commands[
        telegram.commands_key({"scope": chat_scope(AGENT_ID), "language_code": "en"})
    ]
    assert ru[1] == {"command": "recheck", "description": "Перепроверить лицензии этого чата"}
    assert en[1] == {"command": "recheck", "description": "Check this chat's licenses again"}
    # Only these scopes: a customer's private chat keeps the default menu.
    assert len(telegram.calls_to("setMyCommands")) == 6


async def test_a_menu_telegram_refuses_is_logged_and_the_bot_runs_on(
    telegram, backend, start_bot, caplog
):
    telegram.fail_next(
        "setMyCommands",
        error_code=400,
        description="Bad Request: chat not found",
        chat_id=AGENT_ID,
    )
    caplog.set_level(logging.WARNING)
    await start_bot()
    await telegram.wait_for(lambda: menu(telegram, chat_scope(AGENT_ID), "en"))

    assert menu(telegram, None, None) == CUSTOMER
    assert menu(telegram, chat_scope(AGENT_ID), None) is None
    assert f"could not set the ru command menu for chat {AGENT_ID}" in caplog.text
    person = f.user("Alex", language_code="ru")
    telegram.send_text(f.private_chat(person), person, "/help")
    [answer] = await telegram.wait_sent(person["id"], 1)
    assert "Скопировать информацию о лицензии" in answer.plain_text


async def test_descriptions_say_what_the_bot_does_and_what_to_paste_in_both_languages(
    telegram, start_bot
):
    await start_bot()
    await telegram.wait_for(lambda: telegram.descriptions.get(("short_description", "en")))

    ru, en = telegram.descriptions["description", ""], telegram.descriptions["description", "en"]
    assert "Скопировать информацию о лицензии" in ru and "вставьте" in ru
    assert "paste the text here" in en
    assert "1С-Битрикс" in telegram.descriptions["short_description", ""]
    assert telegram.descriptions["short_description", "en"].startswith("Checks «МойСклад»")
