"""Sending outside a reply: delivery, flood limits, the pinned status, reminders, alerts."""
