"""A typed reason kept in a text column: `code {json values}`, read back to its code and values.
Text stored before reasons were typed does not read back, and is shown as it is."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def encode(code: str, values: Mapping[str, object]) -> str:
    return f"{code} {json.dumps(dict(values), ensure_ascii=False, sort_keys=True)}"


def decode(stored: str, codes: Mapping[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """(the member of `codes` named by the code, its values), or None for free text."""
    code, _, rest = stored.partition(" ")
    if code not in codes:
        return None
    try:
        values = json.loads(rest)
    except ValueError:
        return None
    return (codes[code], values) if isinstance(values, dict) else None
