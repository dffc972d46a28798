"""The shape of a CEL expression: a small parser that gives each part its place in the source.

The CEL runtime compiles and evaluates expressions but exposes no syntax tree, and the engine
needs one to see *which* comparisons an expression makes: `readiness.bg >= 0.9` inside
`... && ...` is a crossing the engine can schedule exactly, while `readiness.bg * 2.0 > 1.0`
only looks like one to a regular expression. The grammar is CEL's (cel-spec `langdef.md`):

    Expr     = Or ["?" Or ":" Expr]
    Or       = And {"||" And}          And = Relation {"&&" Relation}
    Relation = Sum {("<"|"<="|">="|">"|"=="|"!="|"in") Sum}
    Sum      = Product {("+"|"-") Product}
    Product  = Unary {("*"|"/"|"%") Unary}
    Unary    = {"!"} Member | {"-"} Member       (an even run of one sign cancels out)
    Member   = Primary {"." IDENT ["(" args ")"] | "[" Expr "]" | "{" fields "}"}
    Primary  = ["."] IDENT ["(" args ")"] | "(" Expr ")" | "[" list "]" | "{" map "}" | LITERAL

Only expressions the CEL runtime has already accepted are parsed here, so the parser may be
lenient; anything it cannot read raises `CelSyntaxError` and callers fall back to treating the
expression as opaque.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

RELATIONS = ("<", "<=", ">=", ">", "==", "!=", "in")
MAX_DEPTH = 200
"""Nesting deeper than this is refused rather than risking Python's recursion limit."""


class CelSyntaxError(ValueError):
    """The text is not an expression this parser can read."""


@dataclass(frozen=True, slots=True)
class Node:
    """A part of an expression and where it stands in the source (`source[start:end]`)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A number, string, bytes, bool or null literal, as written."""

    kind: str
    """`int`, `uint`, `double`, `string`, `bytes`, `bool` or `null`."""
    text: str


@dataclass(frozen=True, slots=True)
class Name(Node):
    """An identifier: a state name such as `t`, or a namespace such as `readiness`."""

    name: str


@dataclass(frozen=True, slots=True)
class Select(Node):
    """`operand.field`."""

    operand: Node
    field: str


@dataclass(frozen=True, slots=True)
class Call(Node):
    """`function(args)` or `target.function(args)` (macros such as `exists` included)."""

    target: Node | None
    function: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Index(Node):
    """`operand[index]`."""

    operand: Node
    index: Node


@dataclass(frozen=True, slots=True)
class Collection(Node):
    """A list, map or message literal; its parts in order (map keys and values alternate)."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Unary(Node):
    """`!operand` or `-operand`."""

    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    """`left op right` for arithmetic, relations, `in`, `&&` and `||`."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Conditional(Node):
    """`test ? then : otherwise`."""

    test: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    """`name`, `number`, `string`, `op` or `end`."""
    text: str
    start: int
    end: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*)
  | (?P<string>(?:[rR][bB]?|[bB][rR]?)?(?:'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"
        |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"))
  | (?P<number>0[xX][0-9a-fA-F]+[uU]?
        |(?:[0-9]+\.[0-9]+|\.[0-9]+)(?:[eE][+-]?[0-9]+)?
        |[0-9]+[eE][+-]?[0-9]+
        |[0-9]+[uU]?)
  | (?P<name>[_a-zA-Z][_a-zA-Z0-9]*)
  | (?P<op>\|\||&&|<=|>=|==|!=|[<>?:+\-*/%!.\[\](){},])
    """,
    re.VERBOSE,
)


def _tokens(source: str) -> Iterator[_Token]:
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise CelSyntaxError(f"unexpected character at {position}")
        kind = match.lastgroup or ""
        if kind != "space":
            yield _Token(kind, match.group(), match.start(), match.end())
        position = match.end()
    yield _Token("end", "", len(source), len(source))


def _number_kind(text: str) -> str:
    lowered = text.lower()
    if lowered.endswith("u"):
        return "uint"
    if lowered.startswith("0x"):
        return "int"
    return "double" if any(c in lowered for c in ".e") else "int"


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = list(_tokens(source))
        self.at = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def accept(self, text: str) -> bool:
        token = self.token
        if token.text == text and token.kind in ("op", "name"):
            self.at += 1
            return True
        return False

    def expect(self, text: str) -> _Token:
        token = self.token
        if token.text != text or token.kind not in ("op", "name"):
            raise CelSyntaxError(f"expected {text!r} at {token.start}")
        self.at += 1
        return token

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CelSyntaxError("expression nested too deeply")
        test = self.binary(0)
        if self.accept("?"):
            then = self.binary(0)
            self.expect(":")
            otherwise = self.expression()
            test = Conditional(test.start, otherwise.end, test, then, otherwise)
        self.depth -= 1
        return test

    # Binary levels from loosest to tightest; each is left-associative.
    _LEVELS: tuple[tuple[str, ...], ...] = (
        ("||",),
        ("&&",),
        RELATIONS,
        ("+", "-"),
        ("*", "/", "%"),
    )

    def binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        ops = self._LEVELS[level]
        while self.token.text in ops and self.token.kind in ("op", "name"):
            op = self.take().text
            right = self.binary(level + 1)
            left = Binary(left.start, right.end, op, left, right)
        return left

    def unary(self) -> Node:
        token = self.token
        if token.kind != "op" or token.text not in ("!", "-"):
            return self.member()
        count = 0
        while self.token.kind == "op" and self.token.text == token.text:
            self.take()
            count += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CelSyntaxError("expression nested too deeply")
        operand = self.unary()
        self.depth -= 1
        # As in CEL's own parser, an even run of the same sign cancels out (`!!x` is `x`).
        if count % 2 == 0:
            return replace(operand, start=token.start)
        return Unary(token.start, operand.end, token.text, operand)

    def member(self) -> Node:
        node = self.primary()
        while True:
            if self.accept("."):
                field = self.take()
                if field.kind != "name":
                    raise CelSyntaxError(f"expected a field name at {field.start}")
                if self.accept("("):
                    args, end = self.arguments(")")
                    node = Call(node.start, end, node, field.text, args)
                else:
                    node = Select(node.start, field.end, node, field.text)
            elif self.accept("["):
                index = self.expression()
                end = self.expect("]").end
                node = Index(node.start, end, node, index)
            elif self.token.text == "{" and isinstance(node, Name | Select):
                self.take()
                items, end = self.entries()
                node = Collection(node.start, end, items)
            else:
                return node

    def arguments(self, closing: str) -> tuple[tuple[Node, ...], int]:
        args: list[Node] = []
        while not self.accept(closing):
            if args:
                self.expect(",")
                if self.accept(closing):
                    break
            args.append(self.expression())
        return tuple(args), self.tokens[self.at - 1].end

    def entries(self) -> tuple[tuple[Node, ...], int]:
        """Map entries `key: value` (or message fields), after the opening brace."""
        items: list[Node] = []
        while not self.accept("}"):
            if items:
                self.expect(",")
                if self.accept("}"):
                    break
            items.append(self.expression())
            self.expect(":")
            items.append(self.expression())
        return tuple(items), self.tokens[self.at - 1].end

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return Literal(token.start, token.end, _number_kind(token.text), token.text)
        if token.kind == "string":
            bytes_literal = "b" in token.text.split("'")[0].split('"')[0].lower()
            kind = "bytes" if bytes_literal else "string"
            return Literal(token.start, token.end, kind, token.text)
        if token.kind == "name":
            if token.text in ("true", "false"):
                return Literal(token.start, token.end, "bool", token.text)
            if token.text == "null":
                return Literal(token.start, token.end, "null", token.text)
            if self.accept("("):
                args, end = self.arguments(")")
                return Call(token.start, end, None, token.text, args)
            return Name(token.start, token.end, token.text)
        if token.text == ".":
            return self.primary()
        if token.text == "(":
            inner = self.expression()
            closing = self.expect(")")
            return replace(inner, start=token.start, end=closing.end)
        if token.text == "[":
            items, end = self.arguments("]")
            return Collection(token.start, end, items)
        if token.text == "{":
            items, end = self.entries()
            return Collection(token.start, end, items)
        raise CelSyntaxError(f"unexpected {token.text or 'end of expression'!r} at {token.start}")


def parse(source: str) -> Node:
    """The syntax tree of a CEL expression; `CelSyntaxError` if it cannot be read."""
    parser = _Parser(source)
    try:
        tree = parser.expression()
    except RecursionError:
        raise CelSyntaxError("expression nested too deeply") from None
    if parser.token.kind != "end":
        raise CelSyntaxError(f"unexpected {parser.token.text!r} at {parser.token.start}")
    return tree


def children(node: Node) -> tuple[Node, ...]:
    """The direct parts of a node, in source order."""
    if isinstance(node, Select):
        return (node.operand,)
    if isinstance(node, Call):
        return node.args if node.target is None else (node.target, *node.args)
    if isinstance(node, Index):
        return node.operand, node.index
    if isinstance(node, Collection):
        return node.items
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return node.left, node.right
    if isinstance(node, Conditional):
        return node.test, node.then, node.otherwise
    return ()


MACROS = ("all", "exists", "exists_one", "map", "filter")


def bound_name(node: Node) -> str | None:
    """The variable a comprehension macro binds (`x` in `list.exists(x, x > 1)`), if any."""
    if (
        isinstance(node, Call)
        and node.target is not None
        and node.function in MACROS
        and node.args
        and isinstance(node.args[0], Name)
    ):
        return node.args[0].name
    return None
