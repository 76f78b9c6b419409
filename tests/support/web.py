"""Talking HTTP to the bot's own servers: /healthz, /metrics and the webhook."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.transport.app import BotApp
from bot.transport.webhook import SECRET_HEADER


async def base_url(app: BotApp, server: str = "metrics") -> str:
    """The URL of one of the app's servers, once it listens."""
    await asyncio.wait_for(app.servers.listening.wait(), timeout=10)
    host, port = app.servers.addresses[server]
    return f"http://{host}:{port}"


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def post_update(url: str, update: dict[str, Any], secret: str | None) -> tuple[int, str]:
    """POST an update as Telegram does (with its secret header when `secret` is given)."""
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        return response.status, await response.text()


def samples(text: str) -> dict[str, float]:
    """Every sample of a /metrics page as {'name{label="v"}': value}."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


async def wait_metrics(
    url: str,
    predicate: Callable[[dict[str, float]], bool],
    timeout: float = 10.0,  # noqa: ASYNC109
) -> dict[str, float]:
    """Scrape /metrics until `predicate` holds: counters move after handlers return."""
    async with asyncio.timeout(timeout):
        while True:
            status, text = await get(url + "/metrics")
            found = samples(text) if status == 200 else {}
            if found and predicate(found):
                return found
            # A scrape is the only way to see the counters; there is no event to await.
            await asyncio.sleep(0.05)


async def wait_healthy(url: str, timeout: float = 10.0) -> str:  # noqa: ASYNC109
    """Poll /healthz until it answers 200 (the first getUpdates may still be on its way)."""
    async with asyncio.timeout(timeout):
        while True:
            status, text = await get(url + "/healthz")
            if status == 200:
                return text
            await asyncio.sleep(0.05)
