# The bot in one container: `docker compose up -d` (see compose.yaml and the README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/bot.sqlite3 \
    METRICS_LISTEN=0.0.0.0:9100

# A fixed, unprivileged user; /data (the SQLite file) is the only place it writes.
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --no-create-home --home-dir /nonexistent bot \
    && mkdir -p /data \
    && chown bot:bot /data

WORKDIR /app
COPY pyproject.toml ./
COPY bot ./bot
COPY storage ./storage
RUN pip install --no-cache-dir .

USER 10001:10001
VOLUME ["/data"]

# /healthz and /metrics (Prometheus) on METRICS_LISTEN; in webhook mode also WEBHOOK_LISTEN.
EXPOSE 9100
# Healthy while Telegram answers (or the webhook is served) and the database answers; a 503
# or no answer makes urlopen raise, so the check fails. No curl in slim: Python asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('METRICS_LISTEN', ':9100').rpartition(':')[2]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

# SIGTERM (docker stop) ends the bot cleanly; while Telegram is unreachable it waits and retries.
CMD ["python", "-m", "bot"]
