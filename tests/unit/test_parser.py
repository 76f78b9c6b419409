"""The license-text parser: a corpus of real-looking pastes plus robustness checks."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.licensing.ids import canonical_request_id
from bot.licensing.models import Claim, ClaimedStatus
from bot.licensing.parser import parse_claims
from tests.support.parser_corpus import ACTIVE, CORPUS, DEMO, EXPIRED, U1, U2

INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u2067"]


def _as_tuples(claims: list[Claim]) -> list[tuple[str, str, str | None]]:
    return [(c.request_id, c.status.value, c.to_json()["expires_on"]) for c in claims]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in CORPUS])
def test_corpus(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert _as_tuples(parse_claims(text)) == expected


def test_corpus_ids_are_unique_and_many() -> None:
    ids = [case_id for case_id, _, _ in CORPUS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 80


def test_returns_typed_claims() -> None:
    (claim,) = parse_claims(f"{ACTIVE}\nRequest ID: {U1.upper()}")
    assert claim == Claim(U1, ClaimedStatus.ACTIVE, date(2026, 8, 7))
    assert claim.to_json() == {"request_id": U1, "status": "active", "expires_on": "2026-08-07"}


def test_found_ids_are_in_the_one_canonical_form() -> None:
    ids = [claim.request_id for _, text, _ in CORPUS for claim in parse_claims(text)]
    assert len(ids) >= 80
    assert all(canonical_request_id(request_id) == request_id for request_id in ids)


def test_an_id_broken_at_hyphens_with_look_alike_letters_is_canonical() -> None:
    # Upper case, Cyrillic С, В and А for c, b and a, a line break and spaces at hyphens.
    mangled = "24С5934В-7B86 -\n48BD - A1D6-5BFB6950С17А"
    (claim,) = parse_claims(f"Request ID: {mangled}")
    assert claim.request_id == U1
    assert canonical_request_id(U1.upper()) == claim.request_id


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\ud800", id="lone-high-surrogate"),
        pytest.param("\udfff Request ID: \ud800", id="lone-surrogates-with-label"),
        pytest.param("\x00" * 1000, id="nul"),
        pytest.param("Request ID:" * 5000, id="labels-only"),
        pytest.param("Request ID: " + "-" * 100_000, id="dashes"),
        pytest.param("1." * 50_000, id="dotted-digits"),
        pytest.param("<" * 50_000 + "b" + ">" * 50_000, id="angle-brackets"),
        pytest.param("&" * 100_000, id="ampersands"),
        pytest.param("Request ID: 24c5934b" + " - 7b86" * 20_000, id="endless-groups"),
        pytest.param("до " * 30_000 + "7 августа", id="until-without-year"),
        pytest.param("\u0301" * 10_000 + "ё" * 10_000, id="combining-marks"),
        pytest.param("\U0010ffff\U000e0001" * 1000, id="astral-and-tags"),
    ],
)
def test_odd_inputs_give_no_claims(text: str) -> None:
    assert parse_claims(text) == []


def test_large_text_with_blocks_far_apart() -> None:
    filler = "Просто переписка о доставке, без дат и номеров. " * 1000
    text = f"{filler}\n{ACTIVE}\nRequest ID: {U1}\n{filler}\n{EXPIRED}\nRequest ID: {U2}\n{filler}"
    assert len(text) > 100_000
    assert _as_tuples(parse_claims(text)) == [
        (U1, "active", "2026-08-07"),
        (U2, "expired", "2025-03-01"),
    ]


def test_long_single_line_message() -> None:
    text = f"{'шум ' * 900}{ACTIVE} Request ID: {U1} {'ещё шум ' * 100}"[:4096]
    assert len(text) == 4096
    assert _as_tuples(parse_claims(text)) == [(U1, "active", "2026-08-07")]


def test_many_blocks_keep_order() -> None:
    ids = [str(uuid.UUID(int=n * 7919 + 1)) for n in range(200)]
    text = "\n".join(f"{ACTIVE}\nRequest ID: {rid}" for rid in ids)
    assert [claim.request_id for claim in parse_claims(text)] == ids


# fmt: off
PIECES = [
    "Request ID", "Request ID:", "ID запроса", " ", "\n", "> ", "`", "**", "<b>", "</p>",
    "&nbsp;", "\u200b", "\ud800", "\x00", "-", "—", "24c5934b", "7b86", "5bfb6950c17a",
    "активна", "истекла", "демо", "до", "07.08.2026", "31.02.2026", "7 августа 2026", ".",
]
# fmt: on
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=[])),
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_never_raises_on_any_text(text: str) -> None:
    for claim in parse_claims(text):
        assert isinstance(claim, Claim)


@settings(max_examples=200, deadline=None)
@given(
    st.uuids(),
    st.lists(st.sampled_from(INVISIBLES), max_size=6),
    st.randoms(use_true_random=False),
    st.text(alphabet="абвгд эюя\n,!?", max_size=60),
)
def test_invisible_characters_anywhere_keep_the_claim(
    request_id: uuid.UUID, noise: list[str], rnd, chatter: str
) -> None:
    text = list(f"Request ID: {str(request_id).upper()}")
    for char in noise:
        text.insert(rnd.randrange(len(text) + 1), char)
    pasted = f"{chatter}\n{ACTIVE}\n{''.join(text)}\n{chatter}"
    assert _as_tuples(parse_claims(pasted)) == [(str(request_id), "active", "2026-08-07")]


STATUS_TEXTS = {"active": (ACTIVE, "2026-08-07"), "expired": (EXPIRED, "2025-03-01")}
STATUS_TEXTS["demo"] = (DEMO, "2026-06-15")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.uuids(), st.sampled_from(sorted(STATUS_TEXTS))),
        min_size=1,
        max_size=5,
        unique_by=lambda item: item[0],
    ),
    st.sampled_from(["\n", " ", "\n\n", "\n--\n", "\nСпасибо!\n"]),
)
def test_blocks_in_any_number_keep_their_own_status(
    blocks: list[tuple[uuid.UUID, str]], between: str
) -> None:
    text = between.join(
        f"{STATUS_TEXTS[status][0]}\nRequest ID: {request_id}" for request_id, status in blocks
    )
    assert _as_tuples(parse_claims(text)) == [
        (str(request_id), status, STATUS_TEXTS[status][1]) for request_id, status in blocks
    ]
