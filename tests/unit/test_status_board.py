"""The pinned status: sent and pinned once, edited in place, sent again when it is gone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat

from bot.i18n import ChatLanguages
from bot.licensing.models import LicenseCheck
from bot.licensing.records import StoredLicense
from bot.outbound.status_board import StatusBoard
from tests.support.board_fakes import FakeChats, FakeRepo, telegram_error
from tests.support.catalog import translator
from tests.support.clocks import DEFAULT_DAY, DEFAULT_START, fixed_clock

CHAT = -1001000000001
MODULE = "МойСклад: Синхронизация товаров по API"


def licensed(repo: FakeRepo, chat_id: int = CHAT, days: int = 30) -> None:
    check = LicenseCheck(
        "24c5934b-7b86-48bd-a1d6-5bfb6950c17a",
        "active",
        license_id="L-1",
        expires_on=DEFAULT_DAY + timedelta(days=days),
        module_name=MODULE,
    )
    repo.licenses[chat_id] = [StoredLicense(chat_id, check, DEFAULT_START, None, None, None)]


@pytest.fixture
def chats() -> FakeChats:
    return FakeChats()


@pytest.fixture
def repo() -> FakeRepo:
    repo = FakeRepo()
    repo.add_chat(CHAT)
    licensed(repo)
    return repo


@pytest.fixture
def board(chats: FakeChats, repo: FakeRepo) -> StatusBoard:
    languages = ChatLanguages(translator(), repo)
    return StatusBoard(chats, repo, fixed_clock(), chats, languages)  # type: ignore[arg-type]  # fakes


async def test_first_status_is_sent_pinned_and_remembered(board, chats, repo) -> None:
    await board.refresh(CHAT)
    [status] = chats.sent_to(CHAT)
    assert MODULE in status and "осталось 30 дней" in status
    message_id = repo.chats[CHAT].status_message_id
    assert chats.pinned[CHAT] == message_id
    assert repo.refreshed[CHAT] == DEFAULT_DAY


async def test_later_refreshes_edit_the_same_message(board, chats, repo) -> None:
    await board.refresh(CHAT)
    first = repo.chats[CHAT].status_message_id
    licensed(repo, days=29)
    await board.refresh(CHAT)
    assert chats.edits == [(CHAT, first)]
    assert len(chats.sent_to(CHAT)) == 1
    assert "осталось 29 дней" in chats.messages[(CHAT, first)]


async def test_not_modified_is_fine(board, chats, repo) -> None:
    await board.refresh(CHAT)
    chats.fail_edit.append(telegram_error(TelegramBadRequest, "message is not modified"))
    await board.refresh(CHAT)
    assert len(chats.sent_to(CHAT)) == 1


@pytest.mark.parametrize(
    "error", ["Bad Request: message to edit not found", "Bad Request: MESSAGE_ID_INVALID"]
)
async def test_a_deleted_status_is_sent_again_and_pinned(board, chats, repo, error) -> None:
    await board.refresh(CHAT)
    first = repo.chats[CHAT].status_message_id
    chats.fail_edit.append(telegram_error(TelegramBadRequest, error))
    await board.refresh(CHAT)
    second = repo.chats[CHAT].status_message_id
    assert second != first
    assert chats.pinned[CHAT] == second
    assert MODULE in chats.messages[(CHAT, second)]


async def test_another_bad_request_is_not_hidden(board, chats) -> None:
    await board.refresh(CHAT)
    chats.fail_edit.append(telegram_error(TelegramBadRequest, "Bad Request: can't parse"))
    with pytest.raises(TelegramBadRequest):
        await board.refresh(CHAT)


async def test_no_pin_rights_is_explained_once_and_pinned_when_granted(board, chats, repo):
    no_rights = "Bad Request: not enough rights to manage pinned messages in the chat"
    chats.fail_pin.append(telegram_error(TelegramBadRequest, no_rights))
    await board.refresh(CHAT)
    assert len(chats.sent_to(CHAT)) == 2  # the status and one explanation
    assert repo.chats[CHAT].pin_problem_notified and CHAT not in chats.pinned

    chats.fail_pin.append(telegram_error(TelegramBadRequest, no_rights))
    await board.refresh(CHAT)  # still no rights: tried again, not explained again
    assert len(chats.sent_to(CHAT)) == 2

    await board.refresh(CHAT)  # the right was granted
    assert chats.pinned[CHAT] == repo.chats[CHAT].status_message_id
    assert not repo.chats[CHAT].pin_problem_notified


async def test_unknown_inactive_and_empty_chats_get_nothing(board, chats, repo) -> None:
    repo.add_chat(-5, active=False)
    licensed(repo, chat_id=-5)
    repo.add_chat(-6)  # known, no license
    for chat_id in (-4, -5, -6):
        await board.refresh(chat_id)
    assert chats.messages == {} and chats.pinned == {}


async def test_a_chat_that_blocked_the_bot_is_marked_gone(board, chats) -> None:
    await board.refresh(CHAT)
    chats.fail_edit.append(telegram_error(TelegramForbiddenError, "Forbidden: bot was kicked"))
    await board.refresh(CHAT)
    assert chats.gone == [CHAT]


async def test_a_migrated_group_gets_its_status_under_the_new_id(board, chats, repo) -> None:
    new = -1009000000009
    await board.refresh(CHAT)
    chats.fail_edit.append(
        telegram_error(TelegramMigrateToChat, "migrated", migrate_to_chat_id=new)
    )
    repo.add_chat(new)  # storage after Delivery.chat_migrated: the licenses moved along
    licensed(repo, chat_id=new)
    await board.refresh(CHAT)
    assert chats.migrated == [(CHAT, new)]
    [status] = chats.sent_to(new)
    assert MODULE in status
    assert chats.pinned[new] == repo.chats[new].status_message_id


async def test_a_first_paste_is_answered_by_the_status_itself(board, chats, repo) -> None:
    assert await board.answer(CHAT, reply_to=7)
    [status] = chats.sent_to(CHAT)
    message_id = repo.chats[CHAT].status_message_id
    assert MODULE in status and chats.replies_to[message_id] == 7
    assert chats.pinned[CHAT] == message_id


async def test_a_chat_with_a_status_is_not_answered_by_a_new_one(board, chats, repo) -> None:
    await board.refresh(CHAT)
    assert not await board.answer(CHAT, reply_to=7)
    assert len(chats.sent_to(CHAT)) == 1 and chats.edits == []


async def test_no_status_answers_for_unknown_inactive_and_empty_chats(board, chats, repo):
    repo.add_chat(-5, active=False)
    licensed(repo, chat_id=-5)
    repo.add_chat(-6)  # known, no license
    for chat_id in (-4, -5, -6):
        assert not await board.answer(chat_id, reply_to=7)
    assert chats.messages == {} and chats.pinned == {}
