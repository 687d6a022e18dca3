"""Writing new YAML that reads well in review (records, DataId list headers), and atomic writes.

Editing an existing record goes through ``generator.writing.roundtrip`` instead, which keeps the
file's comments and formatting.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from generator.loading.yamlsafe import parse_yaml_text, plain

SCHEMA_COMMENT = "# yaml-language-server: $schema={schema}\n"


class _Dumper(yaml.SafeDumper):
    """Multi-line text as ``|`` blocks (they read well in review, also inside ``#`` comments)."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    printable = value.replace("\n", "").isprintable()
    if "\n" in value and value == value.strip() and printable:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if not printable or "\n" in value:  # tabs, NEL, control characters: escaped, never folded
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    # PyYAML quotes by YAML 1.1 rules; our loader reads YAML 1.2 (``0o17`` is a number there),
    # so quote whatever our own loader would not read back as this very text.
    read_back, _ = parse_yaml_text(value, "") if value and len(value) < 200 else (value, [])
    style = "'" if read_back != value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_yaml(data: Any, *, width: int = 100) -> str:
    """YAML that ``generator.loading.yamlsafe`` reads back to exactly ``data``."""
    return yaml.dump(
        plain(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=width,
        default_flow_style=False,
    )


def dump_record(data: dict[str, Any], schema_path: str) -> str:
    return SCHEMA_COMMENT.format(schema=schema_path) + dump_yaml(data)


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
