"""The `summary.json` format: statistics per metric and group, and paired differences.

Other people's scripts and notebooks read this file, so its shape is the contract: the models
here build it, read it back, and generate its JSON Schema (`summary.schema.json`, beside this
module). Every field's docstring is its documentation there.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SUMMARY_FORMAT: Final = "ttx-batch-summary/1"
PAIRED_T: Final = "paired t-interval"
PAIRED_PROPORTIONS: Final = "Newcombe hybrid score interval (1998, method 10); exact McNemar test"

Interval = tuple[float, float]
"""A 95 % interval: low, high."""
Scalar = float | int | str | bool | None


class Document(BaseModel):
    """Base of the batch's files: unknown keys are errors, docstrings become schema docs, and
    the schema of the files as written requires every field (each one is always written)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        json_schema_serialization_defaults_required=True,
    )


def first_problem(error: ValidationError) -> str:
    """The first thing wrong with a file read back, on one line: where, and what."""
    problem = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
    return f"{where}: {problem['msg']}"


class NumericStats(Document):
    """A numeric metric in one group: mean, spread, quantiles and a Student-t interval."""

    kind: Literal["numeric"] = "numeric"
    """Tells the three kinds of statistics apart."""
    n: int
    """Replications with a finite value."""
    missing: int
    """Replications with NaN or null (for example the time of a use that never happened)."""
    mean: float | None = None
    """`math.fsum(values) / n`, kept within [min, max]; null when n is 0."""
    sd: float | None = None
    """Sample standard deviation (n - 1); null when n < 2."""
    min: float | None = None
    """Least finite value; null when n is 0."""
    max: float | None = None
    """Greatest finite value; null when n is 0."""
    quantiles: dict[str, float] | None = None
    """`p05` ... `p95`: the smallest observed x with F(x) >= q; null when n is 0."""
    ci95: Interval | None = None
    """Student-t interval of the mean; null when n < 2."""


class ProportionStats(Document):
    """A yes/no metric in one group: the share of true values and its Wilson interval."""

    kind: Literal["proportion"] = "proportion"
    """Tells the three kinds of statistics apart."""
    n: int
    """Replications with a known value."""
    missing: int
    """Replications with null."""
    successes: int
    """Replications where the value is true."""
    proportion: float | None
    """successes / n; null when n is 0."""
    ci95: Interval
    """Wilson score interval ([0, 1] when n is 0)."""


class Category(Document):
    """One value of a categorical metric."""

    count: int
    """Replications with this value."""
    proportion: float
    """count / n."""
    ci95: Interval
    """Wilson score interval of the proportion."""


class CategoricalStats(Document):
    """A text metric in one group: each value's count and share."""

    kind: Literal["categorical"] = "categorical"
    """Tells the three kinds of statistics apart."""
    n: int
    """Replications with a value."""
    missing: int
    """Replications with null."""
    categories: dict[str, Category]
    """Per value, in sorted order."""


GroupStats = Annotated[
    NumericStats | ProportionStats | CategoricalStats, Field(discriminator="kind")
]


class PairedTest(Document):
    """What every paired difference says of its test, raw and adjusted."""

    significant: bool
    """The 95 % interval excludes 0."""
    p_holm: float | None = None
    """`p_value` Holm-Bonferroni adjusted over every p-value in the summary."""
    significant_holm: bool = False
    """`p_holm` < the summary's `multiple_comparisons.alpha`."""


class PairedDifference(PairedTest):
    """A numeric metric compared between two groups over replications with the same seed."""

    method: Literal["paired t-interval"] = PAIRED_T
    """How the interval and p-value are computed."""
    n: int
    """Pairs where both values are finite."""
    difference: float | None
    """Mean of other - baseline; null when n is 0."""
    ci95: Interval | None
    """Paired t-interval; null when n < 2."""
    p_value: float | None
    """Two-sided paired t-test; null when n < 2."""


class Discordant(Document):
    """The pairs where the two groups disagree."""

    baseline_only: int
    """True in the baseline, false in the other group."""
    other_only: int
    """False in the baseline, true in the other group."""


class ProportionDifference(PairedTest):
    """A yes/no metric compared between two groups over replications with the same seed."""

    method: Literal["Newcombe hybrid score interval (1998, method 10); exact McNemar test"] = (
        PAIRED_PROPORTIONS
    )
    """How the interval and p-value are computed."""
    n: int
    """Pairs where both values are known."""
    discordant: Discordant
    """The pairs behind the McNemar test."""
    difference: float | None
    """Proportion in the other group minus the baseline's; null when n is 0."""
    ci95: Interval | None
    """Newcombe's interval for paired proportions; null when n is 0."""
    p_value: float | None
    """Exact McNemar test on the discordant pairs; null when n is 0."""


Difference = Annotated[PairedDifference | ProportionDifference, Field(discriminator="method")]


class ScenarioHeading(Document):
    """What the scenario calls itself."""

    id: str
    """The scenario's `meta.id`."""
    title: str
    """The scenario's `meta.title`."""
    banner: str
    """The classification line every chart and table carries."""


class FirstFailure(Document):
    """A group's first failed replication."""

    replication: int
    """Index of the replication (its seed's spawn key)."""
    error: str
    """The exception, as `Type: message`."""


class GroupSummary(Document):
    """One course of action at one sweep point."""

    group: int
    """Index of the group: its position in `groups` and in every metric's list."""
    label: str
    """The policy and sweep values, as charts and tables show them."""
    policy: str
    """Name of the course of action (`default` without `--policy`)."""
    point: int
    """Index of the sweep point."""
    params: dict[str, Scalar]
    """Swept path and value at this point."""
    runs: int
    """Replications in this group."""
    failures: int
    """Replications that raised (their metrics are null)."""
    first_failure: FirstFailure | None
    """The first of them, so the summary can say why; null when none failed."""


class Comparison(Document):
    """Two groups compared metric by metric over the same seeds."""

    baseline: str
    """Label of the baseline group."""
    other: str
    """Label of the group compared with it."""
    baseline_group: int
    """Index of the baseline group in `groups`."""
    other_group: int
    """Index of the other group in `groups`."""
    metrics: dict[str, Difference]
    """Per numeric or yes/no metric: other minus baseline."""
    significant: list[str]
    """Metrics whose raw 95 % interval excludes 0."""
    significant_holm: list[str]
    """Metrics still significant after the Holm adjustment."""


class MultipleComparisons(Document):
    """How p-values are adjusted for the number of tests in the summary."""

    method: Literal["holm"] = "holm"
    """Holm-Bonferroni step-down adjustment."""
    family_size: int
    """p-values adjusted together: every metric of every comparison that has one."""
    alpha: float
    """The level `significant_holm` uses."""


class BatchSummary(Document):
    """`summary.json`: per metric and group, statistics with 95 % intervals, and paired
    differences between courses of action and between sweep points run on the same seeds."""

    format: Literal["ttx-batch-summary/1"] = SUMMARY_FORMAT
    """Name and version of this format."""
    scenario: ScenarioHeading
    """The scenario the batch ran."""
    labels: dict[str, str]
    """A readable label per metric column."""
    headline: list[str]
    """The metrics a reader looks at first, in order."""
    seed: int
    """Root seed: replication i uses numpy SeedSequence(entropy=seed, spawn_key=(i,))."""
    runs_per_group: int
    """Replications per group."""
    replications: int
    """runs_per_group times the number of groups."""
    failures: int
    """Replications that raised, over every group."""
    groups: list[GroupSummary]
    """Every course of action at every sweep point, policy-major."""
    metrics: dict[str, list[GroupStats]]
    """Per metric column of `runs.parquet`, its statistics in each group (in `groups` order)."""
    comparisons: list[Comparison]
    """Each course of action against the first at every sweep point, and each sweep point
    against the first for every course of action."""
    confidence: float
    """Confidence level of every interval."""
    multiple_comparisons: MultipleComparisons
    """How `p_holm` is adjusted."""
    notes: str
    """How each statistic is computed."""
