"""/healthz and /metrics over HTTP (aiohttp), on METRICS_LISTEN and on the webhook server."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiohttp import web
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.config import parse_listen
from bot.licensing.backend import LicenseBackend
from bot.metrics import Metrics
from storage.repository import Repository

logger = logging.getLogger(__name__)

DB_TIMEOUT = 3.0  # seconds a health check waits for SELECT 1

TransportProblem = Callable[[], str | None]
"""Why the transport (polling or the webhook server) is not alive, or None when it is."""


class Health:
    """Answers /healthz and /metrics from the app's own objects."""

    def __init__(
        self,
        repo: Repository,
        backend: LicenseBackend,
        metrics: Metrics,
        transport_problem: TransportProblem,
    ) -> None:
        self.repo = repo
        self.backend = backend
        self.metrics = metrics
        self.transport_problem = transport_problem

    async def problem(self) -> str | None:
        """Why the bot is not healthy, or None."""
        problem = self.transport_problem()
        if problem is not None:
            return problem
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                await self.repo.db.ping()
        except TimeoutError:
            return f"the database did not answer within {DB_TIMEOUT:g} s"
        except Exception as exc:  # any database failure is the answer, not a crash
            return f"the database failed: {type(exc).__name__}: {exc}"
        return None

    async def healthz(self, request: web.Request) -> web.Response:
        problem = await self.problem()
        if problem is None:
            return web.Response(text="ok\n")
        logger.warning("health check failed: %s", problem)
        return web.Response(status=503, text=f"unhealthy: {problem}\n")

    async def metrics_page(self, request: web.Request) -> web.Response:
        """Gauges read at scrape time, then every metric in the text format."""
        self.metrics.circuit_open.set(1 if self.backend.circuit_open else 0)
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                pending = await self.repo.pending_count()
                inbox = await self.repo.inbox_size()
        except Exception as exc:  # the other metrics are still worth serving
            logger.warning("metrics: could not count pending checks: %s", exc)
        else:
            self.metrics.pending_checks.set(pending)
            self.metrics.inbox.set(inbox)
        return web.Response(
            body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_page)


async def serve(app: web.Application, listen: str) -> web.AppRunner:
    """Start serving `app` on "host:port"; the caller cleans the runner up."""
    host, port = parse_listen(listen)
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=2.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError:
        await runner.cleanup()
        raise
    logger.info("serving %s on %s:%s", ", ".join(_paths(app)), host, port)
    return runner


def _paths(app: web.Application) -> list[str]:
    return sorted({r.resource.canonical for r in app.router.routes() if r.resource is not None})
