"""Building what the bot sends: Telegram HTML within Telegram's limits, and inline keyboards."""
