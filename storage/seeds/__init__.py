"""Seed files: raw scraped news text read into article records and loaded into the store."""
