"""End to end: the /help button «How to copy the license information» and its answer."""

from __future__ import annotations

import pytest

from tests import factories as f

BUTTON = {
    "ru": "Как скопировать информацию о лицензии",
    "en": "How to copy the license information",
}
STEP = {
    "ru": "Нажмите «Скопировать информацию о лицензии»",
    "en": "Press «Скопировать информацию о лицензии» (Copy license information)",
}


@pytest.mark.parametrize(("code", "language"), [("ru", "ru"), ("en-GB", "en")])
async def test_help_button_answers_and_sends_the_steps_in_the_persons_language(
    telegram, start_bot, code, language
):
    await start_bot()
    person = f.user("Alex", language_code=code)
    chat = f.private_chat(person)
    telegram.send_text(chat, person, "/help")
    [help_message] = await telegram.wait_sent(chat["id"], 1)
    assert [b["text"] for b in help_message.buttons] == [BUTTON[language]]
    [data] = help_message.button_data

    query_id = telegram.press_button(chat, person, help_message.message_id, data, check=True)
    [_, steps] = await telegram.wait_sent(chat["id"], 2)
    assert steps.plain_text.startswith(BUTTON[language])
    assert STEP[language] in steps.plain_text
    assert [a["callback_query_id"] for a in telegram.callback_answers] == [query_id]


async def test_help_button_in_a_group_sends_the_steps_to_the_group(telegram, start_bot):
    await start_bot()
    group = f.supergroup("Shop and support")
    telegram.set_chat(group)
    person = f.user("Olga", language_code="ru")
    telegram.send_text(group, person, "/help")
    [help_message] = await telegram.wait_sent(group["id"], 1)
    [data] = help_message.button_data

    someone_else = f.user("Ivan", language_code="ru")
    telegram.press_button(group, someone_else, help_message.message_id, data, check=True)
    [_, steps] = await telegram.wait_sent(group["id"], 2)
    assert STEP["ru"] in steps.plain_text
    await telegram.wait_for(lambda: len(telegram.callback_answers) == 1)
