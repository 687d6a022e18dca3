"""The package's own templates, compiled at setup: Jinja's Python code for each, checked at load.

Turning the templates into Python is about a quarter of a second of every build, though they
change only with the package. ``template_code.json`` holds the code Jinja writes for each of them
(by the plain environment of ``templating``), with the SHA-256 of the template's text and a
fingerprint of what else the code depends on: the Jinja and markupsafe versions, the
environment's class and settings, its code generator's source and how each filter and test is
called. A template is
read from that file only when both match; else Jinja compiles it as usual, so an edited
template, another Jinja or a changed generator never runs stale code, it only costs the
compilation again (as does an installation without the file).

The file is written at setup, as Python writes its ``.pyc`` files, never by a build: the
Makefile's ``site``, ``serve``, ``unit`` and ``bench`` targets run ``write_template_code``, which
rewrites it only when what it would write differs. It is not in git, because another Jinja writes
other code; a test fails while it is out of date.

The code Jinja writes can also hold results of filters it ran while compiling (a filter called
on constants is folded into the code), which no fingerprint covers: writing the file refuses a
template in which a filter or test would run at compile time.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import inspect
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

__all__ = ["CODE_FILE", "ShippedCode", "fingerprint", "template_code"]

CODE_FILE = Path(__file__).parent / "template_code.json"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _callables(functions: Mapping[str, Any]) -> list[tuple[str, str]]:
    # Jinja's compiler asks only how a filter or test is called (context, environment, ...).
    return sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in functions.items())


def fingerprint(environment: Environment) -> str:
    """What Jinja's code for a template depends on, besides the template's text."""
    settings = {
        name: repr(getattr(environment, name))
        for name in (
            "block_start_string",
            "block_end_string",
            "variable_start_string",
            "variable_end_string",
            "comment_start_string",
            "comment_end_string",
            "line_statement_prefix",
            "line_comment_prefix",
            "trim_blocks",
            "lstrip_blocks",
            "newline_sequence",
            "keep_trailing_newline",
            "optimized",
            "undefined",
            "finalize",
            "autoescape",
            "is_async",
        )
    }
    parts = {
        "jinja": jinja2.__version__,
        # Jinja escapes constant output while compiling: markupsafe's escaping is in the code.
        "markupsafe": importlib.metadata.version("markupsafe"),
        # The sandbox's code calls through it (environment.call, intercepted operators): code
        # written for the plain environment must never load there, nor the reverse.
        "environment": f"{type(environment).__module__}.{type(environment).__qualname__}",
        "sandboxed": environment.sandboxed,
        "intercepted": sorted(getattr(environment, "intercepted_binops", ()))
        + sorted(getattr(environment, "intercepted_unops", ())),
        "settings": settings,
        "extensions": sorted(environment.extensions),
        "code_generator": inspect.getsource(environment.code_generator_class),
        "filters": _callables(environment.filters),
        "tests": _callables(environment.tests),
    }
    return _digest(json.dumps(parts, sort_keys=True))


@functools.cache
def _stored(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


class ShippedCode(BytecodeCache):
    """A read-only bytecode cache of the package's templates for the plain environment: the
    stored code when the template's text and the fingerprint match, else none (Jinja compiles
    the template itself and nothing is written)."""

    def __init__(self, path: Path = CODE_FILE) -> None:
        self.path = path
        self._codes: dict[str, Any] | None = None

    def _entries(self, environment: Environment) -> dict[str, Any]:
        if self._codes is None:
            stored = _stored(self.path)
            try:
                current = stored.get("fingerprint") == fingerprint(environment)
            except OSError:  # the code generator's source is not installed: compile
                current = False
            templates = stored.get("templates") if current else None
            self._codes = templates if isinstance(templates, dict) else {}
        return self._codes

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        bucket = Bucket(environment, name, "")
        if environment.sandboxed:  # the package's code is for the plain environment only
            return bucket
        entry: Any = self._entries(environment).get(name)
        try:
            if entry["source"] == _digest(source):
                bucket.code = _compiled(entry["code"], filename or "<template>")
        except (LookupError, TypeError, ValueError, SyntaxError):
            pass  # no entry, or a damaged one: Jinja compiles the template
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        """Nothing is written while building: only ``write_template_code`` writes the file."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """Unused: ``get_bucket`` reads the stored code itself."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Unused: nothing is written while building."""


def _compiled(code: str, filename: str) -> CodeType:
    return compile(code, filename, "exec")


def _recording(functions: Mapping[str, Any], calls: list[str]) -> dict[str, Any]:
    def wrap(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)  # keeps jinja_pass_arg
        def recorded(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return function(*args, **kwargs)

        return recorded

    return {name: wrap(name, function) for name, function in functions.items()}


def template_code(environment: Environment, folder: Path) -> dict[str, Any]:
    """The stored form of every template in ``folder`` as ``environment`` compiles it."""
    calls: list[str] = []
    recording = environment.overlay()
    recording.filters = _recording(environment.filters, calls)
    recording.tests = _recording(environment.tests, calls)
    templates = {}
    for path in sorted(folder.glob("*.j2")):
        source = path.read_text(encoding="utf-8")
        code = recording.compile(source, path.name, raw=True)
        if calls:
            raise ValueError(
                f"{path.name}: the filter or test {calls[0]!r} runs while compiling (on "
                "constant values), so its result would be stored; give it a variable instead"
            )
        templates[path.name] = {"source": _digest(source), "code": code}
    return {"fingerprint": fingerprint(environment), "templates": templates}
