"""``CampaignSubmission.check`` (what the site asks of every workflow but the first) refuses
exactly what ``submit_file`` refuses, with the same message, and accepts what it makes."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.bps.submitconfig import CampaignSubmission, Origin, SubmitConfigError
from generator.loading.repository import load_repository
from tests.bps.conftest import DEMO

REPO = Path(__file__).parent / "repo"
RECORD = f"campaigns/{DEMO}.yaml"

MUTATIONS = [
    ("", ""),  # as it is: every workflow can be submitted
    ("repo: /repo/main", "repo: /repo/{main}"),
    ("repo: /repo/main", "repo: ${REPO}/main"),
    ("- instrument = 'LSSTCam'", "- instrument = '{camera}'"),
    ("- instrument = 'LSSTCam'", '- instrument = "LSSTCam"'),
    ("- day_obs >= 20260401 OR", "- day_obs >= '{d}' OR"),
    ("query: [exposure >= 2026040100000", "query: [exposure >= '\\\\x'"),
    ('value: "False"', 'value: "{operator}"'),
    ("pipelines/LSSTCam/DRP.yaml", "pipelines/{LSSTCam}/DRP.yaml"),
    ('    site: SLAC\n    run_id: "1001"', "    site: '{SLAC}'\n    run_id: \"1001\""),
    ("operators: [Kwame Mensah]\n    notes:", "operators: ['{op}']\n    notes:"),
    ("include: [dataids/visits.yaml]", "include: [dataids/missing.yaml]"),
    ("exclude: [dataids/exclusions.ecsv]", "exclude: [dataids/missing.ecsv]"),
]


@pytest.mark.parametrize(("old", "new"), MUTATIONS, ids=lambda value: value[:40])
@pytest.mark.parametrize("where_max_length", [10_000, 120])
def test_check_refuses_what_submit_file_refuses(
    tmp_path: Path, old: str, new: str, where_max_length: int
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    record = root / RECORD
    text = record.read_text(encoding="utf-8")
    assert old in text
    record.write_text(text.replace(old, new, 1), encoding="utf-8")
    config = root / "notebook.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"where_max_length: {where_max_length}\n",
        encoding="utf-8",
    )
    repository = load_repository(root)
    campaign = repository.campaigns[DEMO]
    shared = CampaignSubmission(repository, campaign, Origin(campaign.path), table_dir="s")
    outcomes = set()
    for workflow in campaign.workflows:
        made: str | None = None
        checked: str | None = None
        try:
            shared.submit_file(workflow)
        except SubmitConfigError as refusal:
            made = f"{refusal.message} | {refusal.hint}"
        try:
            shared.check(workflow)
        except SubmitConfigError as refusal:
            checked = f"{refusal.message} | {refusal.hint}"
        assert checked == made, workflow.name
        outcomes.add(made)
    if not new and where_max_length == 10_000:
        assert outcomes == {None}
    elif where_max_length == 10_000 and "${" not in new:
        assert outcomes != {None}, "the mutation is refused somewhere"


def test_a_brace_in_a_workflow_name_is_refused_by_both() -> None:
    """The schema refuses such a name; a model built by other code may still hold one."""
    repository = load_repository(REPO)
    campaign = repository.campaigns[DEMO]
    shared = CampaignSubmission(repository, campaign, Origin(campaign.path))
    workflow = replace(campaign.workflows[0], name="step{1}")
    with pytest.raises(SubmitConfigError) as made:
        shared.submit_file(workflow)
    with pytest.raises(SubmitConfigError) as checked:
        shared.check(workflow)
    assert "butler contains" in made.value.message
    assert checked.value.message == made.value.message
