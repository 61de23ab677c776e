"""Getting messages to Telegram: pacing under flood limits, and what each error means."""
