"""Answers to callback queries and inline queries."""

from __future__ import annotations

from fakeapi.backend import Backend
from fakeapi.errors import QUERY_TOO_OLD, bad_request
from fakeapi.limits import check_callback_answer_text, check_inline_results
from fakeapi.models import CallbackAnswer, InlineAnswer
from fakeapi.params import Params


async def answer_callback_query(b: Backend, p: Params) -> bool:
    query = b.state.callbacks.get(p.get_str("callback_query_id") or "")
    text = check_callback_answer_text(p.raw("text"))
    if query is None or query.answer is not None:
        raise bad_request(QUERY_TOO_OLD)
    query.answer = CallbackAnswer(
        query_id=query.id,
        text=text,
        show_alert=p.get_bool("show_alert"),
        url=p.get_str("url"),
        cache_time=p.get_int("cache_time"),
        at=b.state.clock(),
    )
    b.state.tick()
    return True


async def answer_inline_query(b: Backend, p: Params) -> bool:
    query = b.state.inline_queries.get(p.get_str("inline_query_id") or "")
    results = check_inline_results(p.raw("results"))
    next_offset = p.get_str("next_offset") or ""
    if len(next_offset.encode("utf-8")) > 64:
        raise bad_request("NEXT_OFFSET_INVALID")
    button = p.get_json("button", "can't parse InlineQueryResultsButton JSON object")
    if query is None or query.answer is not None:
        raise bad_request(QUERY_TOO_OLD)
    query.answer = InlineAnswer(
        query_id=query.id,
        results=tuple(results),
        next_offset=next_offset,
        cache_time=p.get_int("cache_time", 300),
        is_personal=p.get_bool("is_personal"),
        button=button if isinstance(button, dict) else None,
        at=b.state.clock(),
    )
    b.state.tick()
    return True
