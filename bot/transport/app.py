"""Builds the bot from settings and runs it: the same factory serves `python -m bot` and tests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.clock import Clock
from bot.config import OFFICIAL_TELEGRAM_API, Settings
from bot.handlers import get_routers
from bot.handlers.context import AgentFlagMiddleware, ChatLanguageMiddleware
from bot.handlers.desk_relay import CustomerRelay
from bot.handlers.quota import LookupQuota
from bot.i18n import ChatLanguages, Translator
from bot.licensing.backend import LicenseBackend
from bot.licensing.reminders import ReminderScheduler
from bot.licensing.retry import RetryWorker
from bot.licensing.service import VerificationService
from bot.metrics import Metrics, UpdateCounter
from bot.observe import CountedReminderSender, ObservedVerification
from bot.ocr.reader import OcrReader
from bot.outbound.alerts import OperatorAlerts
from bot.outbound.announce import Announcer
from bot.outbound.delivery import Delivery
from bot.outbound.desk import SupportDesk
from bot.outbound.desk_notes import DeskNotes
from bot.outbound.outbox import Outbox
from bot.outbound.relay import Courier
from bot.outbound.status_board import StatusBoard
from bot.outbound.support_chat import SupportChat
from bot.outbound.throttle import FloodControlMiddleware, FloodLimits
from bot.outbound.topics import TopicKeeper
from bot.transport.desk_setup import DeskSetup
from bot.transport.inbox import UpdateInbox
from bot.transport.polling import DurablePolling
from bot.transport.profile import set_profile
from bot.transport.response_types import KeepResponseTypes
from bot.transport.servers import Servers
from bot.transport.startup import wait_for_telegram
from bot.transport.webhook import DurableWebhook
from storage.db import Database
from storage.repository import Repository

logger = logging.getLogger(__name__)


def create_bot(
    settings: Settings,
    *,
    flood_limits: FloodLimits | None = None,
    metrics: Metrics | None = None,
) -> Bot:
    session = AiohttpSession()
    if settings.telegram_api_url != OFFICIAL_TELEGRAM_API:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    hook = metrics.on_retry_after if metrics is not None else None
    session.middleware(FloodControlMiddleware(flood_limits, on_retry_after=hook))
    session.middleware(KeepResponseTypes())
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


@dataclass
class BotApp:
    """Every app-lifetime object, built once; handlers receive them as Dispatcher data."""

    settings: Settings
    clock: Clock
    bot: Bot
    dp: Dispatcher
    db: Database
    repo: Repository
    backend: LicenseBackend
    service: VerificationService
    inbox: UpdateInbox
    polling: DurablePolling
    worker: RetryWorker
    scheduler: ReminderScheduler
    metrics: Metrics
    servers: Servers
    ocr: OcrReader | None = None
    outbox: Outbox | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Poll (or serve the webhook) until `stop` is set; then finish what runs, close all."""
        background: list[asyncio.Task[None]] = []
        try:
            await self.servers.start()
            if not await wait_for_telegram(self.bot, stop):
                return  # stopped while Telegram was still unreachable
            await self.servers.connect(self.bot, self.dp)
            await self.dp.emit_startup(bot=self.bot, **self.dp.workflow_data)
            await self.inbox.replay()
            background.append(asyncio.create_task(self.worker.run(), name="retry-worker"))
            background.append(asyncio.create_task(self.scheduler.run(), name="reminders"))
            if self.outbox is not None:
                background.append(asyncio.create_task(self.outbox.run(), name="desk-outbox"))
            if self.settings.webhook_mode:
                await stop.wait()
            else:
                await self.polling.run(stop)
        finally:
            logger.info("stopping: finishing %s running update(s)", self.inbox.running)
            await self.servers.stop("webhook")
            await self.inbox.drain()
            await self.servers.stop()
            for task in background:
                task.cancel()
            for task in background:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await self.dp.emit_shutdown(bot=self.bot, **self.dp.workflow_data)


async def on_startup(bot: Bot, i18n: Translator, settings: Settings) -> None:
    # Russian for everyone, English for people whose Telegram is in English; agents' menus.
    await set_profile(bot, i18n, settings)


async def on_shutdown(
    bot: Bot, backend: LicenseBackend, db: Database, ocr_reader: OcrReader | None
) -> None:
    if ocr_reader is not None:
        await ocr_reader.close()  # the worker process ends with the bot
    await backend.aclose()
    await db.close()
    await bot.session.close()


async def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    retry_base: float = 2.0,
    poll_timeout: int = 25,
    scheduler_interval: float = 60.0,
    album_wait: float = 1.0,
    flood_limits: FloodLimits | None = None,
    backend_options: dict[str, Any] | None = None,
    ocr_options: dict[str, Any] | None = None,
) -> BotApp:
    """`flood_limits`, `backend_options` (LicenseBackend timeouts, breaker) and `ocr_options`
    (OcrReader: worker command, timeouts) are for tests."""
    clock = clock or Clock(settings.tz)
    i18n = Translator()  # a broken catalog stops the start here
    metrics = Metrics()
    backend = LicenseBackend(
        settings.license_api_url, settings.license_api_token, **(backend_options or {})
    )
    backend.on_result = metrics.on_backend_result
    bot = create_bot(settings, flood_limits=flood_limits, metrics=metrics)
    db = Database(settings.database_path)
    try:
        await db.connect()
    except BaseException:
        # Nothing may keep the process alive after a failed start (aiosqlite's thread).
        await db.close()
        await backend.aclose()
        await bot.session.close()
        raise
    repo = Repository(db)
    languages = ChatLanguages(i18n, repo)
    delivery = Delivery(bot, repo)
    alerts = OperatorAlerts(delivery, settings.support_chat_id, languages)
    backend.circuit_listener = alerts.backend_circuit
    service = ObservedVerification(
        repo,
        backend,
        clock,
        metrics=metrics,
        alert_operator=alerts.backend_misconfigured,
        reminder_days=settings.reminder_days,
        retry_base=retry_base,
    )
    board = StatusBoard(bot, repo, clock, delivery, languages)
    # The worker process itself starts with the first picture and stops when idle.
    ocr_reader = OcrReader(**(ocr_options or {})) if settings.ocr else None
    if ocr_reader is not None:
        reader = ocr_reader  # read on every scrape
        metrics.ocr_queue.set_function(lambda: reader.queue_length)
    # The support desk: on once the start-up check finds SUPPORT_CHAT_ID to be a forum.
    desk = SupportDesk(chat_id=settings.support_chat_id)
    topics = TopicKeeper(bot, repo, desk, clock, i18n)
    outbox = Outbox(
        repo,
        desk,
        clock,
        Courier(bot, repo, desk, topics, languages),
        album_wait=album_wait,
        retry_base=retry_base,
    )
    # The desk's tools: alerts and the digest in the Alerts topic, notes in customers' topics.
    support_chat = SupportChat(bot, delivery, desk, repo, languages, settings.support_chat_id)
    alerts.support_chat = support_chat
    desk_notes = DeskNotes(outbox, desk, repo, languages)
    board.after_refresh = topics.refresh  # a status change shows in the topic's card and name
    dp = Dispatcher(
        i18n=i18n,
        settings=settings,
        clock=clock,
        db=db,
        repo=repo,
        backend=backend,
        service=service,
        board=board,
        delivery=delivery,
        quota=LookupQuota.from_settings(settings, clock),
        ocr_reader=ocr_reader,
        desk=desk,
        topics=topics,
        outbox=outbox,
        desk_notes=desk_notes,
    )
    dp.update.outer_middleware(UpdateCounter(metrics))
    dp.update.outer_middleware(AgentFlagMiddleware())
    ChatLanguageMiddleware(i18n).setup(dp)
    CustomerRelay().setup(dp)  # customers' private messages are on disk before handling
    dp.include_routers(*get_routers())
    dp.startup.register(on_startup)
    dp.startup.register(DeskSetup(bot, desk, repo, languages, support_chat).run)
    dp.shutdown.register(on_shutdown)
    inbox = UpdateInbox(bot, dp, repo)
    polling = DurablePolling(bot, dp, inbox, poll_timeout=poll_timeout)
    secret = settings.webhook_secret.get_secret_value()
    webhook = DurableWebhook(dp, bot, inbox, secret) if settings.webhook_mode else None
    announcer = Announcer(delivery, board, clock, languages)
    announcer.notes = desk_notes
    worker = RetryWorker(service, announcer)
    scheduler = ReminderScheduler(
        repo,
        service,
        CountedReminderSender(
            repo,
            board,
            delivery,
            languages,
            settings.support_chat_id,
            metrics=metrics,
            support_chat=support_chat,
            notes=desk_notes,
        ),
        clock,
        reminder_days=settings.reminder_days,
        digest_enabled=settings.support_chat_id is not None,
        interval=scheduler_interval,
    )
    servers = Servers(settings, polling, webhook, repo=repo, backend=backend, metrics=metrics)
    return BotApp(
        settings,
        clock,
        bot,
        dp,
        db,
        repo,
        backend,
        service,
        inbox,
        polling,
        worker,
        scheduler,
        metrics,
        servers,
        ocr_reader,
        outbox,
    )
