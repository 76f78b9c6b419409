"""What the bot says: message texts, rendering of verdicts, inline keyboards."""
