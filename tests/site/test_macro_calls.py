"""Macro calls in the package's templates take a shorter way than Jinja's ``Context.call``
(``templating._ShippedContext``) when every argument is given by position; every kind of call
gives the text, or the error, that Jinja's own environment gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jinja2 import Environment, StrictUndefined, TemplateRuntimeError, UndefinedError
from jinja2.runtime import Macro

from generator.site.templating import FILTERS, Templates

MACROS = """\
{% macro link(title, url) %}<a href="{{ url }}">{{ title }}</a>{% endmacro %}
{% macro greet(name, greeting="Hello") %}{{ greeting }}, {{ name }}{% endmacro %}
{% macro wrap() %}<div>{{ caller() }}</div>{% endmacro %}
{% macro wrap_twice(a, b="2") %}{{ a }}{{ caller() }}{{ b }}{{ caller() }}{% endmacro %}
{% macro named_caller(caller=none) %}[{{ caller() }}]{% endmacro %}
{% macro wrap_with(tag) %}<{{ tag }}>{{ caller(tag) }}</{{ tag }}>{% endmacro %}
{% macro all_args() %}{{ varargs|join(",") }}|{{ kwargs|dictsort|join(",") }}{% endmacro %}
{% macro stop() %}{{ items|next_item }}{% endmacro %}
"""

CALLS = [
    "{{ link('<b>', 'https://example.org/?a=1&b=2') }}",
    "{{ link(title='kw', url='u') }}",
    "{{ link('pos', url='kw') }}",
    "{{ greet('Ana') }}",
    "{{ greet('Ana', 'Hi') }}",
    "{{ greet('Ana', greeting='<Hey>') }}",
    "{% call wrap() %}inside <i>{% endcall %}",
    "{% call(t) wrap_with('p') %}tag {{ t }}{% endcall %}",
    "{% call wrap_twice('<1>') %}x{% endcall %}",
    "{% call wrap_twice('1', '<3>') %}y{% endcall %}",
    "{% call named_caller() %}z{% endcall %}",
    "{% call wrap() %}{% call wrap() %}nested{% endcall %}{% endcall %}",
    "{{ all_args(1, 2, x=3) }}",
    "{{ all_args() }}",
    "{% for x in ['a', '<b>'] %}{{ link(x, x) }}{% if loop.last %}.{% endif %}{% endfor %}",
    "{% autoescape false %}{{ link('<raw>', '&') }}{% endautoescape %}",
    "{{ link('a', 'b')|length }}",
    "{% set text = link('<s>', 'x') %}{{ text }}",
    "{{ greet }}",
]

ERRORS = [
    "{{ link('a', 'b', 'c') }}",
    "{{ link('a', nope='b') }}",
    "{{ link('a') }}",
    "{{ wrap() }}",
    "{{ wrap(caller=none) }}",
    "{% call wrap('extra') %}x{% endcall %}",
]


def _jinja_environment() -> Environment:
    environment = Environment(
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(FILTERS)
    return environment


def _next_item(items: Iterator[Any]) -> Any:
    return next(items)  # StopIteration when empty: Context.call turns it into an undefined


def _render(environment: Environment, call: str) -> str:
    environment.filters["next_item"] = _next_item
    return environment.from_string(MACROS + call).render(items=iter(()))


@pytest.mark.parametrize("call", CALLS)
def test_a_macro_call_gives_what_jinja_gives(call: str) -> None:
    assert _render(Templates().shipped, call) == _render(_jinja_environment(), call)


@pytest.mark.parametrize("call", ERRORS)
def test_a_wrong_macro_call_fails_as_in_jinja(call: str) -> None:
    errors = (TypeError, UndefinedError, TemplateRuntimeError)
    with pytest.raises(errors) as jinja_error:
        _render(_jinja_environment(), call)
    with pytest.raises(errors) as shipped_error:
        _render(Templates().shipped, call)
    assert type(shipped_error.value) is type(jinja_error.value)
    assert str(shipped_error.value) == str(jinja_error.value)


def test_a_macro_that_stops_iteration_is_undefined_as_in_jinja() -> None:
    call = "{{ stop() is undefined }}"
    assert _render(Templates().shipped, call) == _render(_jinja_environment(), call)


def test_a_call_by_position_goes_straight_to_the_macro(monkeypatch: pytest.MonkeyPatch) -> None:
    # The short way is taken (Macro.__call__ is not), for plain calls and {% call %} blocks.
    def refused(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("Macro.__call__ was used")

    monkeypatch.setattr(Macro, "__call__", refused)
    calls = "{{ link('a', 'b') }}{{ greet('Ana', 'Hi') }}{% call wrap() %}in{% endcall %}"
    assert _render(Templates().shipped, calls) == ('<a href="b">a</a>Hi, Ana<div>in</div>')
