"""Building blocks shared by every scenario model: the base config and the identifier type."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""A lower-case identifier (`bg_estonia`, `alliance`): letters, digits and underscores.

Identifiers appear inside condition expressions (`alert.nato`, `vars.tension`), so they follow
expression-language naming rules.
"""

Text = Annotated[str, StringConstraints(max_length=20_000)]


class Model(BaseModel):
    """Base for every scenario model: unknown keys are errors and docstrings become schema docs."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        validate_default=True,
    )
