"""Daily digests: when each is due, what goes in it, and delivering it exactly once."""
