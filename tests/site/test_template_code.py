"""The package's templates compiled at setup (``template_code.json``): current, used when the
template's text and the fingerprint match, ignored otherwise, and never holding a filter's result."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, cast

import pytest
from jinja2 import Environment

from generator.site.template_code import CODE_FILE, ShippedCode, fingerprint, template_code
from generator.site.templating import PACKAGE_TEMPLATES, Templates

NAMES = sorted(p.name for p in PACKAGE_TEMPLATES.glob("*.j2"))


def _source(name: str) -> str:
    return (PACKAGE_TEMPLATES / name).read_text(encoding="utf-8")


def _stored() -> dict[str, Any]:
    # `make unit`, `make site` and `make bench` write the file first (`make template-code`).
    assert CODE_FILE.is_file(), "no template_code.json: run `make template-code`"
    return cast(dict[str, Any], json.loads(CODE_FILE.read_text(encoding="utf-8")))


def test_the_stored_code_is_what_jinja_compiles_now() -> None:
    shipped = Templates().shipped
    stored = _stored()["templates"]
    assert sorted(stored) == NAMES, "template_code.json is out of date: run `make template-code`"
    for name in NAMES:
        compiled = shipped.compile(_source(name), name, raw=True)
        assert stored[name]["code"] == compiled, f"{name}: run `make template-code`"


def test_the_stored_file_is_what_the_writer_writes_now() -> None:
    # `make test` writes the file first (the Makefile's TEMPLATE_CODE rule): a template edited
    # since, or a pytest run without make, shows here.
    stored = _stored()
    fresh = template_code(Templates().shipped, PACKAGE_TEMPLATES)
    assert stored == fresh, "template_code.json is out of date: run `make template-code`"


@pytest.mark.parametrize("name", NAMES)
def test_every_package_template_is_read_from_the_stored_code(name: str) -> None:
    environment = Templates().shipped
    bucket = ShippedCode().get_bucket(environment, name, None, _source(name))
    assert bucket.code is not None


def test_the_plain_environment_runs_the_stored_code(tmp_path: Path) -> None:
    # Stored code that differs from what Jinja would write shows which one rendered the page.
    stored = _stored()
    entry = stored["templates"]["tags.md.j2"]
    entry["code"] = entry["code"].replace("yield '", "yield 'from the stored code ", 1)
    path = tmp_path / "template_code.json"
    path.write_text(json.dumps(stored), encoding="utf-8")
    templates = Templates()
    templates.shipped.bytecode_cache = ShippedCode(path)
    assert "from the stored code" in templates.get_template("tags.md.j2").render(front_matter="")
    assert "from the stored code" not in Templates().get_template("tags.md.j2").render(
        front_matter=""
    )


def test_an_edited_template_is_compiled_again() -> None:
    environment = Templates().shipped
    edited = _source("home.md.j2") + "\nedited\n"
    assert ShippedCode().get_bucket(environment, "home.md.j2", None, edited).code is None


def test_a_template_the_file_does_not_name_is_compiled() -> None:
    environment = Templates().shipped
    bucket = ShippedCode().get_bucket(environment, "extra.md.j2", None, "{{ x }}")
    assert bucket.code is None


def test_code_from_another_jinja_or_generator_is_not_used(tmp_path: Path) -> None:
    stored = _stored()
    stored["fingerprint"] = "0" * 64
    path = tmp_path / "template_code.json"
    path.write_text(json.dumps(stored), encoding="utf-8")
    environment = Templates().shipped
    bucket = ShippedCode(path).get_bucket(environment, "home.md.j2", None, _source("home.md.j2"))
    assert bucket.code is None


def test_the_sandbox_never_loads_the_stored_code() -> None:
    # Code written for the plain environment calls macros and operators without the sandbox's
    # checks: a repository's page must be compiled by the sandbox itself.
    sandboxed = Templates().sandboxed
    assert fingerprint(sandboxed) != fingerprint(Templates().shipped)
    bucket = ShippedCode().get_bucket(sandboxed, "home.md.j2", None, _source("home.md.j2"))
    assert bucket.code is None


def _tags_entry(code: Any) -> dict[str, Any]:
    return {"source": hashlib.sha256(_source("tags.md.j2").encode()).hexdigest(), "code": code}


@pytest.mark.parametrize(
    "templates",
    [
        ["not", "a", "mapping"],
        {"tags.md.j2": "not an entry"},
        {"tags.md.j2": {"code": "x = 1"}},  # no source digest
        {"tags.md.j2": _tags_entry(None)},
        {"tags.md.j2": _tags_entry("def broken(:")},
    ],
)
def test_a_damaged_file_means_compiling(tmp_path: Path, templates: Any) -> None:
    stored = _stored()
    stored["templates"] = templates
    path = tmp_path / "template_code.json"
    path.write_text(json.dumps(stored), encoding="utf-8")
    templates = Templates()
    templates.shipped.bytecode_cache = ShippedCode(path)
    damaged = templates.get_template("tags.md.j2").render(front_matter="")
    assert damaged == Templates().get_template("tags.md.j2").render(front_matter="")


def test_an_unreadable_file_means_compiling(tmp_path: Path) -> None:
    path = tmp_path / "template_code.json"
    path.write_text("{not json", encoding="utf-8")
    environment = Templates().shipped
    bucket = ShippedCode(path).get_bucket(environment, "home.md.j2", None, _source("home.md.j2"))
    assert bucket.code is None


def test_the_fingerprint_follows_the_settings_and_the_filters() -> None:
    shipped = Templates().shipped
    plain = fingerprint(shipped)
    assert fingerprint(shipped.overlay(trim_blocks=False)) != plain
    assert fingerprint(Environment(autoescape=True)) != plain
    with_filter = shipped.overlay()
    with_filter.filters = {**shipped.filters, "extra": str}
    assert fingerprint(with_filter) != plain


def test_a_filter_run_while_compiling_is_refused(tmp_path: Path) -> None:
    # Jinja folds a filter called on constants into the code: its result is no input the
    # fingerprint covers, so such a template cannot be stored.
    (tmp_path / "folded.md.j2").write_text('{{ "done"|badge("workflow") }}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"folded\.md\.j2.*'badge'"):
        template_code(Templates().shipped, tmp_path)
