"""Reading Request IDs from pictures in a worker process, away from the bot's event loop."""
