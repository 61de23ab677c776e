"""Finding articles: typo-tolerant, fast, ranked like the best search engines rank."""
