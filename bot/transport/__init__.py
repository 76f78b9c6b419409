"""Getting updates from Telegram and wiring the app together: polling, start-up, shutdown."""
