# The bot in one container: `docker compose up -d` (see compose.yaml and the README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/bot.sqlite3

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

# No HEALTHCHECK yet: the bot has no /healthz endpoint. When it does, add e.g.
# HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9100/healthz')"

# SIGTERM (docker stop) ends the bot cleanly; while Telegram is unreachable it waits and retries.
CMD ["python", "-m", "bot"]
