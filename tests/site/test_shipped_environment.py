"""The plain environment of the package's templates gives a page the same globals and variables
as Jinja's own (``templating._ShippedTemplate.new_context`` copies the globals as one dict)."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from generator.site.templating import Templates

TEMPLATES = {
    "page": "{{ a }} {{ b }} {{ c }} {{ range(2)|list }} {% include 'part' %}",
    "part": "{{ a }} {{ b }} {{ c }}{% import 'macros' as m %} {{ m.d() }}",
    "macros": "{% macro d() %}{{ a }} {{ b is defined }}{% endmacro %}",
}


def _render(environment: Environment) -> str:
    environment.globals.update(a="env a", b="env b", c="env c")
    template = environment.get_template("page", globals={"b": "template b"})
    return template.render(c="value c")


def test_globals_and_variables_take_precedence_as_in_jinja() -> None:
    shipped = Templates().shipped.overlay(loader=DictLoader(TEMPLATES), bytecode_cache=None)
    jinja = Environment(autoescape=True, loader=DictLoader(TEMPLATES))
    assert type(shipped.get_template("page")).__name__ == "_ShippedTemplate"
    expected = "env a template b value c [0, 1] env a template b value c env a True"
    assert _render(jinja) == expected
    assert _render(shipped) == expected
