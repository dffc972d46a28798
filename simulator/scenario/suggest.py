"""The one did-you-mean: every "unknown X" message in scenario, policy and expression errors."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: object, choices: Iterable[str], prefix: str = "") -> str:
    """`; did you mean 'high'?` for the closest choice (difflib ratio at least 0.6), else ``."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {prefix + close[0]!r}?" if close else ""
