"""Which outbox items travel together in one copyMessages call."""

from __future__ import annotations

from bot.outbound.relay import MAX_BATCH, batch_of
from storage.outbox import TO_CUSTOMER, TO_TOPIC, OutboxItem


def copy(message_id: int, *, album: str | None = None, **payload: object) -> OutboxItem:
    return OutboxItem(
        7, TO_TOPIC, "copy", source_message_id=message_id, media_group_id=album, payload=payload
    )


def ids(items: list[OutboxItem]) -> list[int | None]:
    return [i.source_message_id for i in items]


def test_consecutive_plain_copies_go_together():
    assert ids(batch_of([copy(1), copy(2), copy(5)])) == [1, 2, 5]


def test_a_reply_goes_alone_and_ends_a_batch():
    assert ids(batch_of([copy(1, reply_to=9), copy(2)])) == [1]
    assert ids(batch_of([copy(1), copy(2, reply_to=9), copy(3)])) == [1]


def test_other_kinds_and_directions_end_a_batch():
    note = OutboxItem(7, TO_TOPIC, "note", payload={"text": "x"})
    back = OutboxItem(7, TO_CUSTOMER, "copy", source_message_id=3)
    assert ids(batch_of([copy(1), note, copy(2)])) == [1]
    assert ids(batch_of([copy(1), back])) == [1]
    assert batch_of([note, copy(1)]) == [note]


def test_ids_must_increase():
    assert ids(batch_of([copy(5), copy(3)])) == [5]


def test_a_batch_is_capped_but_never_splits_an_album():
    items = [copy(i) for i in range(1, 8)] + [copy(i, album="a") for i in range(8, 14)]
    assert ids(batch_of(items)) == list(range(1, 8))  # the album goes next, whole
    album = [copy(i, album="a") for i in range(1, 11)] + [copy(11)]
    assert len(batch_of(album)) == MAX_BATCH
