"""Building blocks shared by every scenario model: the base config and the identifier type."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""A lower-case identifier (`bg_estonia`, `alliance`): letters, digits and underscores.

Identifiers appear inside condition expressions (`alert.nato`, `vars.tension`), so they follow
expression-language naming rules.
"""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """The first control character other than tab and newline in `text`, if any: shown on a
    console, an escape sequence from a file would retitle, recolour or rewrite the terminal."""
    found = _CONTROL.search(text)
    return None if found is None else found.group()


def plain_text(value: str) -> str:
    """Refuse text with a control character other than tab and newline (`control_character`)."""
    found = control_character(value)
    if found is not None:
        raise ValueError(
            f"control character U+{ord(found):04X} is not allowed in text (tab and newline are)"
        )
    return value


Text = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(plain_text)]
"""Free text as people read it: up to 20,000 characters, no control characters but tab and
newline."""


class Model(BaseModel):
    """Base for every scenario model: unknown keys are errors and docstrings become schema docs."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        validate_default=True,
    )
