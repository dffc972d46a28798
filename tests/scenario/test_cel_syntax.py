"""The CEL syntax tree groups an expression exactly as the CEL runtime does.

The property: print the parsed tree back with every operation in parentheses; the CEL runtime
must give that text the same value as the original on random states. Any mistake in precedence
or associativity (`a - b - c`, `!x == y`, `a || b && c`, nested `? :`) changes some value.
"""

from __future__ import annotations

import math

import hypothesis.strategies as st
import pytest
from hypothesis import assume, given, settings

from simulator.scenario.cel_runtime import cel
from simulator.scenario.cel_syntax import (
    Binary,
    Call,
    CelSyntaxError,
    Collection,
    Conditional,
    Index,
    Literal,
    Name,
    Node,
    Select,
    Unary,
    parse,
)


def parenthesised(node: Node, source: str) -> str:
    if isinstance(node, Literal | Name):
        return source[node.start : node.end]
    if isinstance(node, Unary):
        return f"{node.op}({parenthesised(node.operand, source)})"
    if isinstance(node, Binary):
        return f"({parenthesised(node.left, source)} {node.op} {parenthesised(node.right, source)})"
    if isinstance(node, Conditional):
        parts = (parenthesised(p, source) for p in (node.test, node.then, node.otherwise))
        return "(({}) ? ({}) : ({}))".format(*parts)
    if isinstance(node, Select):
        return f"{parenthesised(node.operand, source)}.{node.field}"
    if isinstance(node, Call):
        args = ", ".join(parenthesised(a, source) for a in node.args)
        target = "" if node.target is None else parenthesised(node.target, source) + "."
        return f"{target}{node.function}({args})"
    if isinstance(node, Index):
        return f"{parenthesised(node.operand, source)}[{parenthesised(node.index, source)}]"
    assert isinstance(node, Collection)
    return source[node.start : node.end]


NUMBERS = st.sampled_from(["x", "y", "1.5", "2.0", "0.5", "-3.0", "v.a", "(x)"])
BOOLS = st.sampled_from(["b", "c", "true", "false"])


def numeric() -> st.SearchStrategy[str]:
    return st.recursive(
        NUMBERS,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(" ".join),
            inner.map(lambda e: f"-{e}" if not e.startswith("-") else e),
            st.tuples(boolean_leaf(), inner, inner).map(lambda p: f"{p[0]} ? {p[1]} : {p[2]}"),
        ),
        max_leaves=3,
    )


def boolean_leaf() -> st.SearchStrategy[str]:
    relation = st.tuples(NUMBERS, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), NUMBERS)
    return st.one_of(BOOLS, relation.map(" ".join))


def boolean() -> st.SearchStrategy[str]:
    relation = st.tuples(numeric(), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), numeric())
    return st.recursive(
        st.one_of(BOOLS, relation.map(" ".join)),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["&&", "||", "==", "!="]), inner).map(" ".join),
            inner.map(lambda e: f"!{e}"),
            st.tuples(inner, inner, inner).map(lambda p: f"{p[0]} ? {p[1]} : {p[2]}"),
            inner.map(lambda e: f"({e})"),
        ),
        max_leaves=5,
    )


STATE = st.fixed_dictionaries(
    {
        "x": st.sampled_from([-2.0, 0.0, 0.5, 1.5, 3.0]),
        "y": st.sampled_from([-1.0, 0.5, 2.0]),
        "b": st.booleans(),
        "c": st.booleans(),
    }
)


def value_of(source: str, state: dict[str, object]) -> object:
    context = cel.Context(variables=state | {"v": {"a": 1.5}})
    try:
        value = cel.compile(source).execute(context)
    except (ValueError, TypeError, RuntimeError, ZeroDivisionError) as error:
        return type(error).__name__
    return "nan" if isinstance(value, float) and math.isnan(value) else value


@settings(max_examples=300, deadline=None)
@given(st.one_of(boolean(), numeric()), STATE)
def test_the_tree_groups_operations_as_the_cel_runtime_does(source: str, state: dict) -> None:  # type: ignore[type-arg]
    try:
        cel.compile(source)
    except ValueError:
        assume(False)  # the runtime refuses it (a `? :` inside a then-branch): nothing to match
    tree = parse(source)
    assert value_of(parenthesised(tree, source), state) == value_of(source, state)


def test_spans_cover_the_text_of_each_part() -> None:
    source = "readiness.bg >= 0.9 && !(t < 24.0 * 3.0) || [1, 2].exists(d, d > day)"
    tree = parse(source)
    assert isinstance(tree, Binary) and tree.op == "||"
    assert source[tree.left.start : tree.left.end] == "readiness.bg >= 0.9 && !(t < 24.0 * 3.0)"
    assert source[tree.right.start : tree.right.end] == "[1, 2].exists(d, d > day)"


@pytest.mark.parametrize(
    "source",
    [
        "'a' + \"b\" + '''c''' + r'\\d' + b'e' == 'x'",
        "{'k': [1, 2,], 'j': {}}['k'][0] >= 1",
        "m.f(1, 2).g // a comment\n > 0x1F",
        "1u + 2u > 0u && .x == 1e3",
    ],
)
def test_literals_collections_calls_and_comments_parse(source: str) -> None:
    parse(source)


@pytest.mark.parametrize("source", ["a +", "(a", "a ? b", "1 2", "@"])
def test_text_that_is_not_an_expression_is_refused(source: str) -> None:
    with pytest.raises(CelSyntaxError):
        parse(source)


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(CelSyntaxError):
        parse("(" * 5000 + "1" + ")" * 5000)
