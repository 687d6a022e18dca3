"""The package's templates write ``{{ value }}`` through ``escape_output``: the same text as
Jinja's autoescaping (``markupsafe.escape``), for every kind of value; the sandbox keeps Jinja's."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup, escape

from generator.site.templating import Templates, escape_output


class _Html:
    def __html__(self) -> str:
        return "<b>declared safe</b>"


class _Text(str):
    pass


HOSTILE: list[Any] = [
    "",
    "plain",
    "<script>alert('x')</script> & \"quoted\"",
    "line\nbreak\ttab \x00 \u2028",
    Markup("<em>already safe</em>"),
    Markup("").join(["<i>", "x"]),
    _Text("<str subclass> &"),
    _Html(),
    None,
    42,
    3.5,
    True,
    ["<list>"],
    {"<key>": "&"},
]
IDS = [f"{index}-{type(value).__name__}" for index, value in enumerate(HOSTILE)]


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_escape_output_writes_what_autoescaping_writes(value: Any) -> None:
    assert escape_output(value) == str(escape(value))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_package_and_sandbox_templates_write_the_same(value: Any) -> None:
    templates = Templates(None)
    source = (
        '<p title="{{ value }}">{{ value }}{{ value|text }}{% if 1 %}{{ value }}{% endif %}</p>'
    )
    shipped = templates.shipped.from_string(source).render(value=value)
    sandboxed = templates.sandboxed.from_string(source).render(value=value)
    assert shipped == sandboxed
    assert "<script>" not in shipped


def test_only_the_package_environment_compiles_to_escape_output() -> None:
    templates = Templates(None)
    shipped = templates.shipped.compile("{{ value }}", raw=True)
    sandboxed = templates.sandboxed.compile("{{ value }}", raw=True)
    assert "environment.escape_output(" in shipped
    assert "environment.escape_output(" not in sandboxed
    assert "escape(" in sandboxed
