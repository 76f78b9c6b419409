"""The license domain: parsing pasted texts, backend checks and verdicts. No Telegram here."""
