"""Alerts: articles on the words and topics a reader follows, sent as they arrive."""
