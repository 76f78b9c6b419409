"""The rules that pick Request IDs out of recognised text boxes, checked without any image."""

from __future__ import annotations

import pytest

from bot.licensing.ocr_text import (
    OcrReading,
    ReadId,
    TextBox,
    boxes_holding,
    confirmed,
    label_end,
    read_request_ids,
    uuids_in,
)

RID = "3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6b"
OTHER = "9e8d7c6b-5a49-4382-b1a0-ffeeddccbbaa"


def box(text: str, x: float = 10, y: float = 10, conf: float = 0.99) -> TextBox:
    """A box 9 px per character wide and 20 px high with its top-left corner at (x, y)."""
    width = 9 * len(text)
    return TextBox(text, ((x, y), (x + width, y), (x + width, y + 20), (x, y + 20)), conf)


def ids(*boxes: TextBox) -> list[str]:
    return read_request_ids(boxes).request_ids


def test_the_id_after_its_label_is_read_and_marked_as_labelled() -> None:
    reading = read_request_ids([box("Лицензия модуля активна"), box(f"Request ID: {RID}", y=40)])
    assert reading == OcrReading((ReadId(RID, near_label=True),))


def test_label_and_id_in_separate_boxes_on_one_line_are_joined_left_to_right() -> None:
    assert ids(box(RID, x=140, y=41), box("Request ID:", x=10, y=40)) == [RID]


@pytest.mark.parametrize(
    "label", ["Request lD:", "Reguest ID", "Request 1D:", "Requesl ID", "RequestID"]
)
def test_a_misread_label_still_counts(label: str) -> None:
    assert read_request_ids([box(f"{label} {RID}")]).ids == (ReadId(RID, near_label=True),)


def test_words_that_are_not_the_label_are_not_taken_for_it() -> None:
    assert label_end("Срок активности до 07.08.2026") is None
    assert label_end("Requirements list") is None


@pytest.mark.parametrize(
    ("seen", "meant"),
    [
        ("3f2a9c1e-Ob7d-4e5f-8a6b-1c2d3e4f5a6b", RID),
        ("3f2a9c1e-0b7d-4e5f-8a6b-lc2d3e4f5a6b", RID),
        ("3f2a9c1e-0b7d-4e5f-8a6b-Ic2d3e4f5a6b", RID),
        ("3f2a9cie-0b7d-4e5f-8a6b-1c2d3e4f5a6b", RID),
        ("3f2a9c1e-0b7d-4eSf-8a6b-1c2d3e4f5a6b", RID),
        ("3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6b".upper(), RID),
        ("3f2a9c1e–0b7d—4e5f−8a6b一1c2d3e4f5a6b", RID),
        ("3f2a9c1e - 0b7d-4e5f-8a6b-1c2d3e4f5a6b", RID),
        ("3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6b.", RID),
        ("«3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6b»", RID),
        ("2z9g0000-0000-4000-8000-00000000000s", "22990000-0000-4000-8000-000000000005"),
    ],
)
def test_look_alikes_become_hex_only_inside_an_exact_run(seen: str, meant: str) -> None:
    assert ids(box(f"Request ID: {seen}")) == [meant]


@pytest.mark.parametrize(
    "seen",
    [
        "3f2a9c1e0b7d4e5f8a6b1c2d3e4f5a6b",  # an md5 or any 32-hex checksum
        "3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6",  # one digit short
        "3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6bc",  # one too many
        "3f2a9c1ee-0b7d-4e5f-8a6b-1c2d3e4f5a6b",
        "3f2a9c1e-0b7d-4e5f-8a6b1c2d3e4f5a6b",  # a dash missing
        "3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6b-77",  # part of a longer run
        "3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5x6b",  # a character no table maps
        "3f2a9c1e-0b7d-4e5f-8a6b-1c2d 3e4f5a6b",  # a space inside a group
    ],
)
def test_anything_but_an_exact_8_4_4_4_12_run_is_refused(seen: str) -> None:
    assert ids(box(f"Request ID: {seen}")) == []


def test_look_alikes_outside_a_run_are_left_alone() -> None:
    # «Sloboda» has S, l, o, b, o... but sits in no 8-4-4-4-12 run, so nothing is read.
    assert ids(box("ООО Sloboda-Golf Lab 0ld-B0SS")) == []


def test_a_uuid_wrapped_after_a_dash_is_joined() -> None:
    first, second = RID[:19], RID[19:]
    assert ids(box(f"Request ID: {first}"), box(second, y=34)) == [RID]


def test_a_uuid_wrapped_inside_a_group_is_joined() -> None:
    first, second = RID[:30], RID[30:]
    assert ids(box("Request ID:"), box(first, y=34), box(second, y=58)) == [RID]


def test_lines_far_apart_are_not_joined() -> None:
    assert ids(box(f"Request ID: {RID[:19]}"), box(RID[19:], y=300)) == []


def test_the_id_on_the_line_under_the_label_is_taken() -> None:
    reading = read_request_ids([box("Request ID:"), box(RID, y=34)])
    assert reading.ids == (ReadId(RID, near_label=True),)


def test_the_labelled_id_wins_over_a_decoy_uuid_and_an_md5() -> None:
    page = [
        box(f"Order {OTHER}", y=10),
        box("md5: 3f2a9c1e0b7d4e5f8a6b1c2d3e4f5a6b", y=40),
        box(f"Request ID: {RID}", y=70),
        box(f"session {OTHER}", y=100),
    ]
    assert ids(*page) == [RID]


def test_two_different_ids_with_equal_claim_give_none() -> None:
    assert ids(box("Request ID:"), box(RID, y=34), box(OTHER, x=400, y=34)) == []


def test_two_uuids_and_no_label_give_none() -> None:
    assert ids(box(RID), box(OTHER, y=40)) == []


def test_the_only_uuid_with_no_label_is_read_but_marked_unlabelled() -> None:
    assert read_request_ids([box(RID)]).ids == (ReadId(RID, near_label=False),)


def test_every_labelled_widget_on_one_page_is_read_once() -> None:
    page = [
        box(f"Request ID: {RID}"),
        box(f"Request ID: {OTHER}", y=100),
        box(f"Request ID: {RID}", y=200),
    ]
    assert ids(*page) == [RID, OTHER]


def test_a_doubtful_reading_is_refused() -> None:
    assert ids(box("Request ID:"), box(RID, x=140, conf=0.3)) == []


def test_slightly_tilted_boxes_still_form_one_line() -> None:
    label = TextBox("Request ID:", ((10, 14), (110, 10), (110, 30), (10, 34)), 0.99)
    value = TextBox(RID, ((120, 10), (440, 0), (440, 20), (120, 30)), 0.99)
    assert ids(label, value) == [RID]


def test_a_uuid_with_its_own_other_label_is_not_taken_without_a_request_id_label() -> None:
    assert ids(box(f"ID сессии: {RID}")) == []
    assert ids(box("Order:"), box(RID, x=100)) == []


def test_no_boxes_no_ids() -> None:
    assert read_request_ids([]) == OcrReading()


def test_a_second_opinion_keeps_only_the_ids_it_also_read() -> None:
    first = read_request_ids([box(f"Request ID: {RID}"), box(f"Request ID: {OTHER}", y=100)])
    assert confirmed(first, {RID}).ids == (ReadId(RID, near_label=True),)
    assert confirmed(first, set()) == OcrReading()


def test_every_uuid_counts_for_a_second_opinion_label_or_not() -> None:
    page = [box(f"ID сессии: {OTHER}"), box(f"Request lD: {RID[:19]}", y=40), box(RID[19:], y=64)]
    assert uuids_in(page) == {RID, OTHER}


def test_the_boxes_holding_an_id_are_found_also_when_it_wraps() -> None:
    label, head, tail = box("Request ID:"), box(RID[:30], y=34), box(RID[30:], y=58)
    decoy, date = box(OTHER, y=90), box("07.08.2026", y=120)
    found = boxes_holding(RID, [label, head, tail, decoy, date])
    assert found == [head, tail]
    assert boxes_holding(RID, [box("3f2a9cIe-Ob7d")]) != []
