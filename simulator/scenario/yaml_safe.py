"""Untrusted YAML read into plain Python data, with the line and column of every node.

The document is built directly from the parser's event stream, so nothing is ever constructed
from a tag and aliases are counted before anything is expanded. Scalars follow the YAML 1.2 core
schema: `NO`, `yes` and `on` stay strings, dates stay strings (Pydantic parses them).

Every rejection is a `ScenarioError` with one positioned issue. Policy files and journals reuse
this reader, so nothing here knows about scenarios.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
)
from ruamel.yaml.reader import ReaderError

from simulator.scenario.errors import ScenarioError, ScenarioIssue

try:
    from ruamel.yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # the optional C parser (ruamel.yaml[libyaml]) is not installed
    _CParser = None

LIBYAML = _CParser is not None
"""Whether the libyaml parser is available to speed up reading."""

MAX_BYTES = 5 * 1024 * 1024
MAX_ALIASES = 100
MAX_ALIAS_NODES = 10_000
MAX_DEPTH = 64

DataPath = tuple[str | int, ...]
Position = tuple[int, int]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null")}
_COLLECTION_TAGS = {f"{_CORE}map", f"{_CORE}seq"}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^([-+]?)\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


@dataclass(frozen=True)
class YamlDocument:
    """A YAML mapping as plain data, and where each of its values and keys sits in the file."""

    path: str
    data: dict[Any, Any]
    raw: bytes
    values: dict[DataPath, Position] = field(repr=False)
    keys: dict[DataPath, Position] = field(repr=False)

    def resolve(self, loc: Sequence[str | int]) -> DataPath:
        """The longest data path spelled by `loc`, skipping parts that name no node.

        Pydantic locations carry union member labels and discriminator tags between the real
        keys; skipping what the document does not contain removes them. A tag can equal a real
        key (a trigger's `at`), so every way of skipping is kept and the path that matches the
        most parts, and the later ones, wins.
        """
        best: dict[DataPath, int] = {(): -1}
        for index, part in enumerate(loc):
            for path in list(best):
                candidate = (*path, part)
                if candidate in self.values:
                    best[candidate] = max(best.get(candidate, -1), index)
        return max(best, key=lambda p: (len(p), best[p]))

    def locate(self, loc: Sequence[str | int], *, key: bool = False) -> Position:
        """(line, column), 1-based, of the node at `loc`, or of its nearest existing parent.

        With `key=True` a mapping entry is located by its key rather than its value.
        """
        path = self.resolve(loc)
        if key and path in self.keys:
            return self.keys[path]
        return self.values[path]


def show_path(path: Sequence[str | int]) -> str:
    """`injects[3].trigger.at` for the data path ('injects', 3, 'trigger', 'at')."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def read_yaml(path: str | Path) -> YamlDocument:
    """Read a YAML file whose top level is a mapping; raise ScenarioError if it is unsafe."""
    name = str(path)
    try:
        with Path(path).open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _error(name, 0, 0, "file not found") from None
    except IsADirectoryError:
        raise _error(name, 0, 0, "is a directory, not a file") from None
    except OSError as error:
        raise _error(name, 0, 0, f"cannot read file: {error.strerror or error}") from None
    return read_yaml_bytes(raw, name)


def read_yaml_text(text: str, path: str = "<string>") -> YamlDocument:
    """Like `read_yaml` for text already in memory."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise _error(
            path, *_text_position(text, error.start), "text is not valid Unicode"
        ) from None
    return read_yaml_bytes(raw, path)


def read_yaml_bytes(raw: bytes, path: str = "<string>") -> YamlDocument:
    """Like `read_yaml` for the bytes of a file."""
    if len(raw) > MAX_BYTES:
        raise _error(
            path, 1, 1, f"file is too large (over {MAX_BYTES // (1024 * 1024)} MB, the limit)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        raise _error(
            path, line, column, f"the file is not UTF-8: byte 0x{raw[error.start]:02x} is invalid"
        ) from None
    text = text.removeprefix("\ufeff")
    builder = _fast_build(text, path)
    if builder is None:
        builder = _Builder(path)
        try:
            for event in YAML(typ="safe", pure=True).parse(text):
                builder.feed(event)
        except ReaderError as error:
            line, column = _text_position(text, error.position)
            raise _error(path, line, column, f"invalid YAML: {_reader_problem(error)}") from None
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = error.problem or error.context or "syntax error"
            raise _error(path, line, column, f"invalid YAML: {problem}{_hint(problem)}") from None
        except YAMLError as error:
            raise _error(path, 1, 1, f"invalid YAML: {error}") from None
    return builder.document(raw)


def _fast_build(text: str, path: str) -> _Builder | None:
    """Build with libyaml's parser when installed (`ruamel.yaml[libyaml]`), about 15x faster.

    libyaml follows YAML 1.1 in a few corners (a `:` inside a flow-style plain scalar), so any
    syntax error it raises sends the text to the pure-Python parser, the reference for what is
    accepted and for every syntax message. The safety guards run on either event stream.
    """
    if _CParser is None:
        return None
    builder = _Builder(path)
    try:
        parser = _CParser(text)
        while parser.check_event():
            builder.feed(parser.get_event())
    except YAMLError:
        return None
    return builder


def _error(path: str, line: int, column: int, message: str) -> ScenarioError:
    return ScenarioError([ScenarioIssue(path, line, column, "error", message)])


def _byte_position(raw: bytes, offset: int) -> Position:
    start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[start:offset].decode("utf-8", "replace")) + 1


def _text_position(text: str, offset: int) -> Position:
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


_LAYOUT_HINTS = (
    ("'\\t'", "YAML does not allow tabs: indent with spaces"),
    ("mapping values are not allowed", "check the indentation, or quote a value containing ': '"),
    ("expected <block end>", "check this line's indentation against the line above"),
    ("could not find expected ':'", "a key needs ': ' after it, or a long text needs quotes"),
    ("found character '@'", "quote text that starts with @ or `"),
    ("found character '`'", "quote text that starts with @ or `"),
)


def _hint(problem: str) -> str:
    """A fix for the syntax slips trainers make most, after the parser's own words."""
    for fragment, hint in _LAYOUT_HINTS:
        if fragment in problem:
            return f" ({hint})"
    return ""


def _reader_problem(error: ReaderError) -> str:
    character = error.character
    code = ord(character) if isinstance(character, str) else character
    if isinstance(code, int):
        return f"control character #x{code:04x} is not allowed"
    return str(error.reason)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


@dataclass
class _Node:
    """A mapping or sequence being built, and what is known about its entries so far."""

    value: dict[Any, Any] | list[Any]
    path: DataPath
    anchor: str | None
    size: int = 1
    key: Any = None
    awaiting_key: bool = True


class _Builder:
    """Turns parser events into plain data while enforcing the safety limits."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.stack: list[_Node] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.values: dict[DataPath, Position] = {}
        self.keys: dict[DataPath, Position] = {}
        self.documents = 0
        self.aliases = 0
        self.alias_nodes = 0
        self.root: Any = None
        self.root_seen = False

    def fail(self, event: Event, message: str) -> ScenarioError:
        mark = event.start_mark
        return _error(self.path, mark.line + 1, mark.column + 1, message)

    def document(self, raw: bytes) -> YamlDocument:
        if not self.root_seen or self.root is None:
            raise _error(self.path, 1, 1, "the file is empty: expected a YAML mapping")
        if not isinstance(self.root, dict):
            kind = "a list" if isinstance(self.root, list) else "a single value"
            line, column = self.values[()]
            raise _error(self.path, line, column, f"the top level must be a mapping, not {kind}")
        return YamlDocument(self.path, self.root, raw, self.values, self.keys)

    def feed(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(event, "a file holds one YAML document; found a second one here")
        elif isinstance(event, ScalarEvent):
            self._scalar(event)
        elif isinstance(event, CollectionStartEvent):
            self._start(event)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            node = self.stack.pop()
            self._add(event, node.value, node.size, node.anchor, node.path)
        elif isinstance(event, AliasEvent):
            self._alias(event)

    def _child_path(self, event: Event) -> DataPath:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        return (*parent.path, parent.key)

    def _start(self, event: CollectionStartEvent) -> None:
        tag = event.tag
        if tag is not None and tag not in _COLLECTION_TAGS:
            raise self.fail(event, f"tag {_short_tag(tag)!r} is not allowed: use plain YAML values")
        if self.stack and self.stack[-1].awaiting_key and isinstance(self.stack[-1].value, dict):
            raise self.fail(event, "mapping keys must be plain values, not a mapping or a list")
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(event, f"nesting is deeper than {MAX_DEPTH} levels")
        path = self._child_path(event)
        self.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        value: dict[Any, Any] | list[Any] = {} if isinstance(event, MappingStartEvent) else []
        self.stack.append(_Node(value, path, event.anchor))

    def _scalar(self, event: ScalarEvent) -> None:
        value = self._resolve(event)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.awaiting_key:
            self._key(event, parent, value)
            return
        path = self._child_path(event)
        self.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self._add(event, value, 1, event.anchor, path)

    def _key(self, event: ScalarEvent, parent: _Node, key: Any) -> None:
        assert isinstance(parent.value, dict)
        if key == "<<" and not event.style:
            raise self.fail(event, "merge keys ('<<') are not supported: write the keys out")
        position = (event.start_mark.line + 1, event.start_mark.column + 1)
        if key in parent.value:
            first = self.keys[(*parent.path, key)][0]
            raise self.fail(event, f"duplicate key {key!r} (first defined on line {first})")
        self.keys[(*parent.path, key)] = position
        parent.key, parent.awaiting_key = key, False

    def _alias(self, event: AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise self.fail(event, f"too many aliases: at most {MAX_ALIASES} are allowed")
        if event.anchor not in self.anchors:
            raise self.fail(event, f"alias '*{event.anchor}' has no anchor defined before it")
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.awaiting_key:
            raise self.fail(event, "an alias cannot be a mapping key")
        value, size = self.anchors[event.anchor]
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise self.fail(
                event, f"aliases expand to more than {MAX_ALIAS_NODES} values; write them out"
            )
        path = self._child_path(event)
        self.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self._add(event, value, size, None, path)

    def _add(self, event: Event, value: Any, size: int, anchor: str | None, path: DataPath) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root, self.root_seen = value, True
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.value, list):
            parent.value.append(value)
        else:
            parent.value[parent.key] = value
            parent.awaiting_key = True

    def _resolve(self, event: ScalarEvent) -> Any:
        text: str = event.value
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _SCALAR_TAGS:
            raise self.fail(event, f"tag {_short_tag(tag)!r} is not allowed: use plain YAML values")
        if tag == "!" or tag == f"{_CORE}str" or (tag is None and bool(event.style)):
            return text
        value = _core_value(text)
        if tag is None:
            return value
        expected = {"int": int, "float": float, "bool": bool, "null": type(None)}[
            tag.removeprefix(_CORE)
        ]
        if tag == f"{_CORE}float" and type(value) is int:
            return float(value)
        if type(value) is not expected:
            raise self.fail(event, f"{text!r} is not a valid {_short_tag(tag)}")
        return value


def _core_value(text: str) -> Any:
    """The YAML 1.2 core-schema value of a plain scalar."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    try:
        if _INT.match(text):
            return int(text)
        if _OCT.match(text):
            return int(text[2:], 8)
        if _HEX.match(text):
            return int(text[2:], 16)
    except ValueError:
        return text  # more digits than Python converts; validation reports the type
    if _FLOAT.match(text):
        return float(text)
    if match := _INF.match(text):
        return -math.inf if match.group(1) == "-" else math.inf
    if _NAN.match(text):
        return math.nan
    return text
