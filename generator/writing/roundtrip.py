"""The one round-trip editor for record files: change values, keep everything else as written.

Commands that edit records (``campaigns new --from``, ``campaigns bps sync --write-records``)
go through this module so that a reviewer's diff shows only the lines that changed: comments,
blank lines, block scalars (``|``/``>``), flow lists (``[a, b]``), key order, quoting and the
file's indentation style are kept. It is ruamel.yaml's round-trip mode with three project rules:

- scalars are resolved exactly as ``generator.loading.yamlsafe`` reads them (YAML 1.2 core, no
  timestamps): ``2026-10-01`` and ``NO`` stay text, and text such as ``'0o17'`` or ``'true'``
  is quoted when written, so the project's loader reads back what was set;
- no line is re-wrapped (the line width is unlimited);
- the text is checked by the project's strict loader before it is loaded and after it is
  dumped (the dumped text must read back as exactly the edited data), and files are written
  atomically.

Usage::

    from generator.writing.roundtrip import RecordEdit

    edit = RecordEdit.load(Path("campaigns/dr1-mini-drp-20261006-q8nc.yaml"))
    edit.set(("workflows", 0, "status"), "succeeded")
    edit.set(("workflows", 0, "finished"), "2026-11-24T10:00Z", after="started")
    edit.append(("workflows",), {"name": "step2", "step": "step2", "status": "running"})
    edit.delete(("journal",))
    print(edit.document["status"])  # ``document`` is the ruamel CommentedMap, for reading
    edit.write()  # atomic; or edit.text() for the new file content

Paths are tuples of mapping keys and sequence indexes. Plain ``dict``/``list`` values become
block-style YAML; multi-line text becomes a ``|`` block. Comments that stood before a deleted
key stay with the key that follows it.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from generator.errors import UserError
from generator.loading.yamlsafe import CORE_IMPLICIT_RESOLVERS, parse_yaml_text, plain
from generator.reporting import format_text
from generator.writing.newfiles import write_atomically

PathPart = str | int
EditPath = tuple[PathPart, ...]
UNLIMITED_WIDTH = 1_000_000_000


class _ProjectResolver(VersionedResolver):
    """Resolve plain scalars by the very rules of ``generator.loading.yamlsafe`` (YAML 1.2 core)."""

    @property
    def versioned_resolver(self) -> Any:
        return CORE_IMPLICIT_RESOLVERS


@functools.lru_cache(maxsize=4096)
def _reads_back_plain(text: str) -> bool:
    """Would the project's loader read ``text`` written plain as this text, in block and flow?"""
    if len(text) > 200:
        return True  # the emitter's own analysis suffices; long text is prose
    block, _ = parse_yaml_text(f"k: {text}", "")
    if block != {"k": text}:
        return False
    if any(indicator in text for indicator in ",[]{}"):
        return True  # the emitter never writes these plain inside a flow list
    flow, _ = parse_yaml_text(f"[{text}]", "")
    return bool(flow == [text])


class _Representer(RoundTripRepresenter):
    """Quote new text wherever ruamel would write it plain but our loader would misread it."""

    def represent_project_str(self, data: str) -> Any:
        if not data.replace("\n", "").isprintable():  # NEL, tabs, controls: escaped, never folded
            return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        if "\n" not in data and not _reads_back_plain(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return self.represent_str(data)


_Representer.add_representer(str, _Representer.represent_project_str)


def _yaml(mapping_indent: int, sequence_offset: int) -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _ProjectResolver
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = UNLIMITED_WIDTH
    yaml.allow_duplicate_keys = False
    yaml.indent(
        mapping=mapping_indent,
        sequence=sequence_offset + 2,  # the item's text starts after the dash and a space
        offset=sequence_offset,
    )
    return yaml


_KEY_LINE = re.compile(r"^( *)[^\s#-][^:#]*:\s*(?:#.*)?$")  # ``key:`` opening a block value
_ENTRY_LINE = re.compile(r"^( *)(- )?\S")
_BLOCK_SCALAR = re.compile(r"^( *)(?:- )?[^#]*:\s*[|>][-+0-9]*\s*(?:#.*)?$")  # ``key: |``


def _structure_lines(text: str) -> list[str]:
    """The lines that carry structure: no blank lines, comments or block scalar text."""
    kept: list[str] = []
    block_indent: int | None = None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue  # text of a | or > block (Markdown lists in it are not YAML lists)
            block_indent = None
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        block = _BLOCK_SCALAR.match(line)
        if block:
            block_indent = indent
        kept.append(line)
    return kept


def guess_indentation(text: str) -> tuple[int, int]:
    """``(mapping indent, dash offset)`` as the file uses them; ``(2, 2)`` when it does not say.

    ``operators:\\n  - name: x`` has offset 2, ``operators:\\n- name: x`` offset 0.
    """
    mapping_indent: int | None = None
    offset: int | None = None
    for previous, line in itertools.pairwise(_structure_lines(text)):
        opener = _KEY_LINE.match(previous)
        entry = _ENTRY_LINE.match(line)
        if not opener or not entry:
            continue
        depth = len(entry.group(1)) - len(opener.group(1))
        if entry.group(2) and offset is None and depth >= 0:
            offset = depth
        elif not entry.group(2) and mapping_indent is None and depth > 0:
            mapping_indent = depth
        if mapping_indent is not None and offset is not None:
            break
    return mapping_indent or 2, 2 if offset is None else offset


def _strict_check(text: str, display_path: str) -> Any:
    data, problems = parse_yaml_text(text, display_path)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise UserError(
            "cannot edit a record that does not load: " + format_text(errors[0]),
            hint="fix it by hand first ('campaigns validate' lists every problem)",
        )
    return data


class RecordEdit:
    """One record file loaded for editing. ``document`` is the top-level ``CommentedMap``."""

    def __init__(self, text: str, path: Path | None = None, display_path: str = "") -> None:
        self.path = path
        self.display_path = display_path or (str(path) if path else "<record>")
        self.original_text = text
        data = _strict_check(text, self.display_path)
        if not isinstance(data, dict):
            raise UserError(f"{self.display_path}: a record must be a mapping of fields")
        self._yaml = _yaml(*guess_indentation(text))
        try:
            document = self._yaml.load(text)
        except YAMLError as error:  # the strict loader accepted it, so this is rare
            raise UserError(f"{self.display_path}: cannot edit this file: {error}") from None
        self.document: CommentedMap = document

    @classmethod
    def load(cls, path: Path, display_path: str = "") -> RecordEdit:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"cannot read {display_path or path}: {error}") from None
        return cls(text, path, display_path)

    @classmethod
    def from_text(cls, text: str, display_path: str = "<record>") -> RecordEdit:
        return cls(text, None, display_path)

    # -- reading ---------------------------------------------------------------------------

    def get(self, path: EditPath, default: Any = None) -> Any:
        node: Any = self.document
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return default
        return node

    # -- editing ---------------------------------------------------------------------------

    def set(
        self, path: EditPath, value: Any, *, after: str | None = None, before: str | None = None
    ) -> None:
        """Set the value at ``path``, creating missing mappings on the way.

        A new key goes after the key ``after`` (or before ``before``) when that key exists,
        else at the end of its mapping. An existing key keeps its place and its comments.
        """
        parent = self._container(path[:-1], create=True)
        key = path[-1]
        new_value = to_yaml_value(value)
        if isinstance(parent, CommentedSeq):
            if not isinstance(key, int) or not -len(parent) <= key < len(parent):
                raise KeyError(f"no item {key!r} at {_show(path[:-1])}")
            parent[key] = new_value
            return
        if not isinstance(key, str):
            raise KeyError(f"{_show(path[:-1])} is a mapping; {key!r} is not a key")
        if key in parent:
            parent[key] = new_value
            return
        keys = list(parent)
        position = len(keys)
        if after is not None and after in parent:
            position = keys.index(after) + 1
        elif before is not None and before in parent:
            position = keys.index(before)
        following = ""
        if (
            position > 0
        ):  # comments after the previous entry introduce the next one: keep them there
            following = _take_following(parent, keys[position - 1])
        parent.insert(position, key, new_value)
        if following:
            _put_following(parent, key, following)

    def delete(self, path: EditPath) -> bool:
        """Remove the key or item at ``path``; False when there was nothing to remove.

        Comments that introduce the next entry are kept; the comment lines that stood right
        before the deleted key (describing it) go with it.
        """
        parent = self._container(path[:-1], create=False)
        key = path[-1]
        if parent is None:
            return False
        if isinstance(parent, CommentedSeq):
            if not isinstance(key, int) or not -len(parent) <= key < len(parent):
                return False
            index = key % len(parent)
            following = _take_following(parent, index)
            previous: PathPart | None = index - 1 if index > 0 else None
            del parent[index]  # ruamel moves the later items' comments down with them
        else:
            if key not in parent:
                return False
            keys = list(parent)
            index = keys.index(key)
            following = _take_following(parent, key)
            previous = keys[index - 1] if index > 0 else None
            del parent[key]
        if previous is not None:
            _take_following(parent, previous)  # the comment that introduced the deleted entry
            if following:
                _put_following(parent, previous, following)
        return True

    def append(self, path: EditPath, value: Any) -> None:
        """Append ``value`` to the sequence at ``path`` (created, block style, when missing)."""
        sequence = self.get(path)
        if sequence is None:
            self.set(path, [value])
            return
        if not isinstance(sequence, CommentedSeq):
            raise KeyError(f"{_show(path)} is not a list")
        following = _take_following(sequence, len(sequence) - 1) if sequence else ""
        sequence.append(to_yaml_value(value))
        if following:
            _put_following(sequence, len(sequence) - 1, following)

    def _container(self, path: EditPath, *, create: bool) -> Any:
        node: Any = self.document
        for depth, part in enumerate(path):
            if isinstance(node, CommentedMap) and isinstance(part, str):
                if part not in node:
                    if not create:
                        return None
                    node[part] = CommentedMap()
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int):
                if not -len(node) <= part < len(node):
                    if not create:
                        return None
                    raise KeyError(f"no item {part} at {_show(path[:depth])}")
                node = node[part]
            else:
                if not create:
                    return None
                raise KeyError(f"{_show(path[:depth])} is not a mapping or list")
        if not isinstance(node, CommentedMap | CommentedSeq):
            if not create:
                return None
            raise KeyError(f"{_show(path)} is not a mapping or list")
        return node

    # -- output ----------------------------------------------------------------------------

    def text(self) -> str:
        """The file's new content; checked to read back as exactly the edited data."""
        stream = io.StringIO()
        self._yaml.dump(self.document, stream)
        text = stream.getvalue()
        data = _strict_check(text, self.display_path)
        if data != plain(self.document):
            raise AssertionError(  # a bug in this module or ruamel.yaml, never a user error
                f"{self.display_path}: edited YAML does not read back as the edited data"
            )
        return text

    def changed(self) -> bool:
        return self.text() != self.original_text

    def write(self, path: Path | None = None) -> Path:
        """Write atomically (to the file it came from unless ``path`` is given)."""
        target = path or self.path
        if target is None:
            raise ValueError("no path to write to")
        text = self.text()
        write_atomically(target, text)
        self.original_text = text
        return target


def to_yaml_value(value: Any) -> Any:
    """Plain Python data → ruamel nodes: block-style mappings/lists, ``|`` for multi-line text."""
    if isinstance(value, CommentedMap | CommentedSeq):
        return value
    if isinstance(value, Mapping):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[str(key)] = to_yaml_value(item)
        return mapping
    if isinstance(value, list | tuple):
        sequence = CommentedSeq()
        sequence.extend(to_yaml_value(item) for item in value)
        return sequence
    if (
        type(value) is str
        and "\n" in value
        and value == value.strip()
        and value.replace("\n", "").isprintable()
    ):
        return LiteralScalarString(value)
    return value


def _show(path: Sequence[PathPart]) -> str:
    return ".".join(str(part) for part in path) or "the top level"


# -- comments ------------------------------------------------------------------------------
# ruamel.yaml keeps the comment lines *after* an entry (up to the next entry) in the comment
# token of the last scalar of that entry. Seen by a reader those lines introduce the *next*
# entry, so when entries are inserted or deleted the "following" lines move with the next one.


def _last_leaf(container: Any, key: PathPart) -> tuple[Any, PathPart]:
    """The (container, key) whose comment token holds the lines after ``container[key]``."""
    value = container[key]
    while isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        container, key = (
            value,
            (list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1),
        )
        value = container[key]
    return container, key


def _slot(container: Any) -> int:
    return 0 if isinstance(container, CommentedSeq) else 2


def _take_following(container: Any, key: PathPart) -> str:
    """Remove and return the comment lines after the entry's own line (keeping its eol comment)."""
    owner, owner_key = _last_leaf(container, key)
    entry = owner.ca.items.get(owner_key)
    slot = _slot(owner)
    if not entry or entry[slot] is None:
        return ""
    token = entry[slot]
    value: str = token.value
    own_line, newline, following = value.partition("\n")
    if not following:
        return ""
    if own_line.strip():
        token.value = own_line + newline
    else:
        entry[slot] = None
    return following


def _put_following(container: Any, key: PathPart, following: str) -> None:
    owner, owner_key = _last_leaf(container, key)
    slot = _slot(owner)
    entry = owner.ca.items.setdefault(owner_key, [None, None, None, None])
    token = entry[slot]
    if token is None:
        entry[slot] = CommentToken("\n" + following, CommentMark(0), None)
    else:
        own_line = token.value.partition("\n")[0]
        token.value = own_line + "\n" + following
