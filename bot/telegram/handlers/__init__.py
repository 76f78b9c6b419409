"""Routers, one module each, assembled in priority order by bot.telegram.routers."""
