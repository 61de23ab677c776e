"""Extractive article summaries."""

from bot.summaries.extractive import summarize, summarize_sentences
from bot.summaries.sentences import iter_sentences, split_sentences

__all__ = ["iter_sentences", "split_sentences", "summarize", "summarize_sentences"]
