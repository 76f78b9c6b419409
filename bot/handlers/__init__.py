"""Telegram handlers, one router module each, assembled here in priority order."""

from aiogram import Router

from bot.handlers import (
    agents,
    common,
    desk_rating,
    desk_relay,
    desk_topics,
    errors,
    fallback,
    membership,
    paste,
    picture,
)


def get_routers() -> list[Router]:
    """Every router of the bot, most specific first."""
    return [
        errors.get_router(),
        membership.get_router(),
        desk_relay.get_router(),  # agents' messages in customers' topics go to the customer
        desk_topics.get_router(),  # the forum's topic commands, before the general ones
        desk_rating.get_router(),
        agents.get_router(),
        agents.get_refusal_router(),
        common.get_router(),
        paste.get_router(),  # a caption holding a Request ID wins over the picture
        picture.get_router(),
        fallback.get_router(),
    ]
