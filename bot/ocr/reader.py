"""The bot's side of OCR: a bounded queue in front of one worker process, restarted on death."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from dataclasses import dataclass, field
from typing import Any

from bot.ocr.outcome import MAX_BYTES, OcrKind, OcrOutcome, failed
from bot.ocr.protocol import HEADER, encode

logger = logging.getLogger(__name__)

WORKER_COMMAND = (sys.executable, "-m", "bot.ocr.worker")


class WorkerDied(Exception):
    """The worker process ended or broke the protocol; a fresh one is started."""


@dataclass
class _Job:
    data: bytes
    future: asyncio.Future[OcrOutcome] = field(repr=False)


class OcrReader:
    """`await reader.read(image_bytes)`: one picture at a time in a separate process."""

    def __init__(
        self,
        *,
        queue_size: int = 32,
        image_timeout: float = 60.0,
        start_timeout: float = 120.0,
        idle_seconds: float = 300.0,
        command: tuple[str, ...] = WORKER_COMMAND,
    ) -> None:
        self._queue: asyncio.Queue[_Job] = asyncio.Queue(maxsize=queue_size)
        self._image_timeout = image_timeout
        self._start_timeout = start_timeout
        self._idle_seconds = idle_seconds
        self._command = command
        self._process: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task[None] | None = None
        self._current: _Job | None = None
        self.busy = False
        self.worker_pid: int | None = None
        self.worker_starts = 0
        self.peak_rss_kb = 0
        self.last_seconds = 0.0
        self.last_cpu_seconds = 0.0
        self.last_texts: list[str] = []

    @property
    def queue_length(self) -> int:
        """Pictures waiting for the worker (the one being read is not counted)."""
        return self._queue.qsize()

    async def read(self, image: bytes) -> OcrOutcome:
        """Every Request ID in the picture, or why there is none; never raises for a bad file."""
        if len(image) > MAX_BYTES:
            return OcrOutcome(OcrKind.TOO_LARGE, reason=f"{len(image)} bytes")
        future: asyncio.Future[OcrOutcome] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait(_Job(image, future))
        except asyncio.QueueFull:
            logger.warning("OCR queue full (%s waiting); picture refused", self.queue_length)
            return failed("busy")
        logger.info("OCR queue length %s", self.queue_length)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="ocr-reader")
        return await future

    async def close(self) -> None:
        """Stop the queue's task and the worker; pictures still waiting get a failure."""
        current = self._current
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        waiting = [self._queue.get_nowait() for _ in range(self._queue.qsize())]
        for job in [current, *waiting]:
            if job is not None and not job.future.done():
                job.future.set_result(failed("shutting down"))
        # A worker in the middle of a picture would not notice its input closing.
        await (self._kill_worker() if current is not None else self._stop_worker())

    async def _run(self) -> None:
        while True:
            idle = self._idle_seconds if self._process is not None else None
            try:
                job = await asyncio.wait_for(self._queue.get(), idle)
            except TimeoutError:
                logger.info("OCR worker idle for %ss; stopping it", self._idle_seconds)
                await self._stop_worker()
                continue
            if job.future.done():  # the caller gave up while it waited
                continue
            self.busy, self._current = True, job
            try:
                outcome = await self._read_with_restart(job.data)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                # Starting the worker failed, or its reply made no sense: a clear failure.
                logger.exception("OCR could not read a picture")
                outcome = failed(f"error: {type(exc).__name__}")
            finally:
                self.busy, self._current = False, None
            if not job.future.done():
                job.future.set_result(outcome)

    async def _read_with_restart(self, data: bytes) -> OcrOutcome:
        for attempt in (1, 2):
            try:
                process = await self._ensure_worker()
                reply = await asyncio.wait_for(self._exchange(process, data), self._image_timeout)
            except TimeoutError:
                logger.warning("OCR timed out after %ss; killing the worker", self._image_timeout)
                await self._kill_worker()
                return failed("timeout")
            except WorkerDied as exc:
                logger.warning("OCR worker died (attempt %s): %s", attempt, exc)
                await self._kill_worker()
                continue
            self.peak_rss_kb = max(self.peak_rss_kb, int(reply.get("peak_rss_kb", 0)))
            self.last_seconds = float(reply.get("seconds", 0.0))
            self.last_cpu_seconds = float(reply.get("cpu_seconds", 0.0))
            self.last_texts = [str(text) for text in reply.get("texts", [])]
            outcome = OcrOutcome.from_wire(reply["outcome"])
            logger.info("OCR read %s in %.2fs", outcome.kind.value, self.last_seconds)
            return outcome
        return failed("worker crashed")

    async def _ensure_worker(self) -> asyncio.subprocess.Process:
        if self._process is not None and self._process.returncode is None:
            return self._process
        self._process = await asyncio.create_subprocess_exec(
            *self._command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        self.worker_starts += 1
        try:
            ready = await asyncio.wait_for(_read_reply(self._process), self._start_timeout)
        except TimeoutError as exc:
            raise WorkerDied(f"not ready within {self._start_timeout}s") from exc
        self.worker_pid = self._process.pid
        self.peak_rss_kb = max(self.peak_rss_kb, int(ready.get("peak_rss_kb", 0)))
        logger.info("OCR worker %s started", self.worker_pid)
        return self._process

    async def _exchange(self, process: asyncio.subprocess.Process, data: bytes) -> dict[str, Any]:
        assert process.stdin is not None
        try:
            process.stdin.write(encode(data))
            await process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise WorkerDied(f"cannot send: {exc}") from exc
        return await _read_reply(process)

    async def _stop_worker(self) -> None:
        """Close the worker's input so it ends by itself; kill it if it does not."""
        process = self._process
        if process is None:
            return
        if process.stdin is not None and not process.stdin.is_closing():
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 5)
        except TimeoutError:
            process.kill()
            await process.wait()
        self._process, self.worker_pid = None, None

    async def _kill_worker(self) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            process.kill()
        if process is not None:
            await process.wait()
        self._process, self.worker_pid = None, None


async def _read_reply(process: asyncio.subprocess.Process) -> dict[str, Any]:
    assert process.stdout is not None
    try:
        header = await process.stdout.readexactly(HEADER.size)
        (size,) = HEADER.unpack(header)
        payload = await process.stdout.readexactly(size)
    except asyncio.IncompleteReadError as exc:
        raise WorkerDied(f"output ended (exit code {process.returncode})") from exc
    try:
        reply: dict[str, Any] = json.loads(payload)
    except ValueError as exc:
        raise WorkerDied("unreadable reply") from exc
    return reply
