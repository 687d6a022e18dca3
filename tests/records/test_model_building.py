"""The model built from records: workflows made by ``records.filled`` (no ``__init__``) are the
dataclasses ``__init__`` makes, and stay frozen."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.loading.repository import load_repository
from generator.model.records import Link, Workflow, filled

REPOSITORY = Path(__file__).resolve().parents[2]


def test_every_workflow_of_the_examples_is_what_init_makes() -> None:
    repository = load_repository(REPOSITORY)
    workflows = [w for c in repository.campaigns.values() for w in c.workflows]
    assert len(workflows) > 10
    names = [f.name for f in dataclasses.fields(Workflow)]
    for workflow in workflows:
        assert list(vars(workflow)) == names  # every field, in the order declared
        made = Workflow(**{name: getattr(workflow, name) for name in names})
        assert made == workflow
        assert repr(made) == repr(workflow)


def test_a_filled_dataclass_is_still_frozen() -> None:
    link = filled(Link, {"title": "t", "url": "https://example.org", "kind": "other"})
    assert link == Link("t", "https://example.org")
    with pytest.raises(dataclasses.FrozenInstanceError):
        link.title = "changed"  # type: ignore[misc]


def test_workflows_need_nothing_their_init_would_do_besides_setting_fields() -> None:
    # `filled` sets the fields and nothing else: a __post_init__, a default_factory or slots
    # added to Workflow later would be skipped silently, so they fail here first.
    assert not hasattr(Workflow, "__post_init__")
    assert not hasattr(Workflow, "__slots__")
    for f in dataclasses.fields(Workflow):
        assert f.default_factory is dataclasses.MISSING, f.name
