"""The Telegram adapter: aiogram routers, sending, pinning and polling on top of the domain."""
