"""`campaigns diff` on real git repositories: every kind of change, as a reviewer reads it."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.diff.conftest import RecordsRepo

RERUN = "campaigns/dr1-mini-drp-rerun-20261103-t5hw.yaml"
NIGHTLY = "campaigns/nightly-20261123-k9rm.yaml"
CaptureFixture = pytest.CaptureFixture[str]


def markdown_of(repo: RecordsRepo, capsys: CaptureFixture, *args: str) -> str:
    code, out, err = repo.diff(capsys, "--base", "HEAD~1", *args)
    assert code == 0, err
    assert err == ""
    return out


def test_no_change_says_so(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    records_repo.commit("nothing")
    out = markdown_of(records_repo, capsys)
    assert out.startswith("## Campaign records: what this change does\n")
    assert "**no record changes**" in out


def test_campaign_added(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    new = "campaigns/nightly-20261124-b3xz.yaml"
    shutil.copy(records_repo.root / NIGHTLY, records_repo.root / new)
    records_repo.replace(new, "id: nightly-20261123-k9rm", "id: nightly-20261124-b3xz")
    records_repo.replace(
        new,
        "name: Alert reprocessing, night 2026-11-22",
        "name: Alert reprocessing, night 2026-11-23",
    )
    records_repo.commit("add a night")
    out = markdown_of(records_repo, capsys)
    assert "**campaign: 1 added**" in out
    assert "### Campaigns added\n\n| Campaign | Name | Production | Kind | Status |\n" in out
    assert (
        "| `nightly-20261124-b3xz` | Alert reprocessing, night 2026-11-23 | `alert-production` "
        "| `nightly` | `completed` |" in out
    )


def test_campaign_removed(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    (records_repo.root / NIGHTLY).unlink()
    records_repo.commit("drop a night")
    out = markdown_of(records_repo, capsys)
    assert "### Campaigns removed" in out
    assert "| `nightly-20261123-k9rm` | Alert reprocessing, night 2026-11-22 |" in out


def test_fields_status_workflows_and_journal(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    repo = records_repo
    repo.replace(RERUN, "\nstatus: running\n", "\nstatus: paused\n")
    repo.replace(RERUN, "software:\n  version: w_2026_44\n", "software:\n  version: w_2026_46\n")
    repo.replace(RERUN, "tags: [lsstcam, dr1, psf, rerun]", "tags: [lsstcam, dr1, psf]")
    repo.replace(
        RERUN, "    status: running\n", "    status: failed\n    finished: 2026-11-24T02:00Z\n"
    )
    repo.replace(
        RERUN,
        "  - name: step4\n    step: step4\n    status: planned\n    system: panda\n    site: SLAC\n",
        "",
    )
    repo.replace(
        RERUN,
        "journal:\n",
        "  - name: step3-rescue1\n    step: step3\n    status: planned\n    rescue_of: step3\njournal:\n",
    )
    repo.replace(
        RERUN,
        "    text: step3 submitted.\n",
        "    text: step3 submitted.\n  - date: 2026-11-24T08:00Z\n    author: Kwame Mensah\n"
        "    text: step3 failed on 12 quanta; rescue planned, campaign paused.\n",
    )
    repo.commit("step3 failed")
    out = markdown_of(repo, capsys)
    assert "**campaign: 1 changed**" in out
    assert "#### `dr1-mini-drp-rerun-20261103-t5hw` — DR1 mini-DRP rerun with PSF fix\n" in out
    assert "**Status:** `running` → `paused`\n" in out
    assert "| Field | Before | After |\n|---|---|---|\n" in out
    assert '| `tags` | `["lsstcam", "dr1", "psf", "rerun"]` | `["lsstcam", "dr1", "psf"]` |' in out
    assert "| `software.version` | `w_2026_44` | `w_2026_46` |" in out
    assert (
        "- `step3`: status `running` → `failed`; `finished` *(none)* → `2026-11-24T02:00Z`\n" in out
    )
    assert "- removed `step4` (was `planned`)\n" in out
    assert "- added `step3-rescue1` (`planned`)\n" in out
    assert "**Journal:** 1 entry added\n" in out
    assert (
        "- 2026-11-24T08:00Z, Kwame Mensah: step3 failed on 12 quanta; rescue planned, campaign paused.\n"
        in out
    )
    assert "edited or removed" not in out


def test_journal_entry_edited_is_flagged(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    records_repo.replace(
        RERUN, "    text: step3 submitted.\n", "    text: step3 submitted with 4000 quanta.\n"
    )
    records_repo.commit("rewrite history")
    out = markdown_of(records_repo, capsys)
    assert "**Journal:** 1 entry added" in out
    assert (
        "⚠️ **1 journal entry edited or removed** (the journal is meant to be append-only):" in out
    )
    assert "- 2026-11-23T09:05Z, Kwame Mensah: step3 submitted.\n" in out


def test_problem_introduced_then_fixed(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    records_repo.replace(NIGHTLY, "production: alert-production", "production: alert-prod")
    records_repo.commit("break it")
    out = markdown_of(records_repo, capsys)
    assert "⚠️ 1 new validation problem" in out
    assert "⚠️ This change introduces 1 new problem:\n\n| Where | Severity | Problem |\n" in out
    assert f"| `{NIGHTLY}:4:13` | error | production 'alert-prod' does not exist" in out
    assert "| `production` | `alert-production` | `alert-prod` |" in out

    records_repo.replace(NIGHTLY, "production: alert-prod", "production: alert-production")
    records_repo.commit("fix it")
    out = markdown_of(records_repo, capsys)
    assert "✅ It fixes 1 problem." in out
    assert "new validation problem" not in out


def test_problem_moving_lines_is_not_new(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    records_repo.replace(NIGHTLY, "production: alert-production", "production: alert-prod")
    records_repo.commit("break it")
    records_repo.replace(
        NIGHTLY,
        "id: nightly-20261123-k9rm\n",
        "id: nightly-20261123-k9rm\n# a comment moves every line\n",
    )
    records_repo.commit("shift lines")
    out = markdown_of(records_repo, capsys)
    assert "introduces" not in out and "new validation problem" not in out
    assert "✅ No new problems.\n" in out
    assert "already on the base, still present</summary>" in out
    assert f"| `{NIGHTLY}:5:13` | error | production 'alert-prod' does not exist" in out


def test_production_and_site_configuration(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    records_repo.replace(
        "campaigns/productions/dr1.yaml", "name: Data Release 1", "name: Data Release One"
    )
    records_repo.replace("notebook.yaml", "stale_after_days: 7", "stale_after_days: 10")
    records_repo.commit("settings")
    out = markdown_of(records_repo, capsys)
    assert "**1 production touched · site configuration changed**" in out
    assert (
        "### Production `dr1` changed\n\n| Field | Before | After |\n|---|---|---|\n| `name` | `Data Release 1` | `Data Release One` |"
        in out
    )
    assert (
        "### Site configuration (`notebook.yaml`) changed\n\n| Field | Before | After |\n|---|---|---|\n| `stale_after_days` | `7` | `10` |"
        in out
    )


def test_moved_campaign_is_the_same_campaign(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    (records_repo.root / "campaigns/2026").mkdir()
    records_repo.git("mv", NIGHTLY, "campaigns/2026/")
    records_repo.commit("file by year")
    out = markdown_of(records_repo, capsys)
    assert "Campaigns added" not in out and "Campaigns removed" not in out
    assert f"Moved from `{NIGHTLY}` to `campaigns/2026/nightly-20261123-k9rm.yaml`." in out


def test_record_text_cannot_inject_markup(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    records_repo.replace(
        NIGHTLY,
        "name: Alert reprocessing, night 2026-11-22",
        'name: "<img src=x onerror=alert(1)> [click](javascript:alert(1)) | @team"',
    )
    records_repo.replace(NIGHTLY, "definer: Mei Chen", 'definer: "Mei `Chen` | x"')
    records_repo.commit("hostile text")
    out = markdown_of(records_repo, capsys)
    # Outside code spans, markup is escaped; inside them (the field table), it is inert.
    assert out.count("<img") == 1
    assert (
        "| `name` | `Alert reprocessing, night 2026-11-22` | `<img src=x onerror=alert(1)> [click](javascript:alert(1)) \\| @team` |"
        in out
    )
    assert (
        "#### `nightly-20261123-k9rm` — &lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:alert(1)) \\| \\@team"
        in out
    )
    assert "| `definer` | `Mei Chen` | ``Mei `Chen` \\| x`` |" in out


def test_json_format(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    records_repo.replace(RERUN, "\nstatus: running\n", "\nstatus: paused\n")
    records_repo.replace(NIGHTLY, "production: alert-production", "production: alert-prod")
    records_repo.commit("change")
    document: dict[str, Any] = records_repo.diff_json(capsys, "--base", "HEAD~1")
    assert set(document) == {
        "base",
        "head",
        "summary",
        "campaigns",
        "productions",
        "config",
        "dataid_lists",
        "completed_campaign_lists",
        "problems",
    }
    assert document["head"] == "working tree"
    assert document["base"].startswith("HEAD~1 (")
    changed = {c["id"]: c for c in document["campaigns"]["changed"]}
    assert changed["dr1-mini-drp-rerun-20261103-t5hw"]["old_status"] == "running"
    assert changed["dr1-mini-drp-rerun-20261103-t5hw"]["new_status"] == "paused"
    assert changed["nightly-20261123-k9rm"]["fields"] == [
        {"path": "production", "old": "alert-production", "new": "alert-prod"}
    ]
    [problem] = document["problems"]["introduced"]
    assert problem["path"] == NIGHTLY and problem["line"] == 4 and problem["rule"] == "reference"


def test_head_ref_compares_two_commits(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    records_repo.replace(RERUN, "\nstatus: running\n", "\nstatus: paused\n")
    records_repo.commit("pause")
    records_repo.replace(RERUN, "\nstatus: paused\n", "\nstatus: running\n")  # uncommitted
    out = markdown_of(records_repo, capsys, "--head", "HEAD")
    assert "**Status:** `running` → `paused`" in out
    out = markdown_of(records_repo, capsys)
    assert "**no record changes**" in out


def test_default_base_is_the_merge_base_with_main(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    records_repo.git("checkout", "--quiet", "-b", "pause-rerun")
    records_repo.replace(RERUN, "\nstatus: running\n", "\nstatus: paused\n")
    records_repo.commit("pause")
    records_repo.git("checkout", "--quiet", "main")
    records_repo.replace("notebook.yaml", "stale_after_days: 7", "stale_after_days: 10")
    records_repo.commit("meanwhile on main")
    records_repo.git("checkout", "--quiet", "pause-rerun")
    code, out, err = records_repo.diff(capsys)
    assert code == 0, err
    assert "Compared merge base with main (" in out
    assert "**Status:** `running` → `paused`" in out
    assert "stale_after_days" not in out  # main's own later change is not this branch's


def test_default_base_falls_back_to_origin_main(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    # As in a CI checkout: no local main, only the remote-tracking branch.
    records_repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    records_repo.git("branch", "-m", "main", "feature")
    records_repo.replace(RERUN, "\nstatus: running\n", "\nstatus: paused\n")
    records_repo.commit("pause")
    code, out, err = records_repo.diff(capsys)
    assert code == 0, err
    assert "**Status:** `running` → `paused`" in out


def test_no_main_branch_is_a_clear_error(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    records_repo.git("branch", "-m", "main", "trunk")
    code, out, err = records_repo.diff(capsys)
    assert (code, out) == (2, "")
    assert err == (
        "campaigns: error: no branch 'main' or 'origin/main' to compare with "
        "(hint: pass --base REF (in a shallow CI checkout, fetch with fetch-depth: 0))\n"
    )


def test_unknown_base_is_a_clear_error(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    code, out, err = records_repo.diff(capsys, "--base", "no-such-branch")
    assert (code, out) == (2, "")
    assert err.startswith(
        "campaigns: error: 'no-such-branch' is not a commit in this repository (hint: "
    )


def test_outside_git_is_a_clear_error(tmp_path: Any, capsys: CaptureFixture) -> None:
    from tests.diff.conftest import copy_examples

    copy_examples(tmp_path)
    repo = RecordsRepo(tmp_path)
    code, out, err = repo.diff(capsys, "--base", "HEAD")
    assert (code, out) == (2, "")
    assert "is not inside a git repository (hint: campaigns diff compares git commits)" in err


def test_records_in_a_subfolder_of_the_git_repository(
    tmp_path: Any, capsys: CaptureFixture
) -> None:
    from tests.diff.conftest import copy_examples

    (tmp_path / "notebook").mkdir()
    copy_examples(tmp_path / "notebook")
    repo = RecordsRepo(tmp_path)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.commit("records in a subfolder")
    records = RecordsRepo(tmp_path / "notebook")
    records.replace(RERUN, "\nstatus: running\n", "\nstatus: paused\n")
    out = markdown_of(records, capsys, "--base", "HEAD")
    assert "**campaign: 1 changed**" in out
    assert "**Status:** `running` → `paused`" in out


ECSV_HEADER = """\
# %ECSV 1.0
# ---
# datatype:
# - {name: exposure, datatype: uint64}
# - {name: reason, datatype: string}
# schema: astropy-2.0
exposure reason
"""
EXCLUSIONS = "campaigns/dataids/lsstcam-exclusions.ecsv"


def write_rows(repo: RecordsRepo, path: str, rows: list[tuple[int, str]]) -> None:
    lines = [f'{exposure} "{reason}"' for exposure, reason in sorted(rows)]
    (repo.root / path).write_text(ECSV_HEADER + "\n".join(lines) + "\n", encoding="utf-8")


def test_dataid_list_rows_counted_per_reason(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    base = [(2026041800600, "donuts"), (2026041800601, "messy PSF"), (2026041800602, "trailed")]
    write_rows(records_repo, EXCLUSIONS, base)
    records_repo.commit("known exclusions")
    added = [(2026050100000 + i, "donuts") for i in range(10)] + [
        (2026050200000 + i, "trailed") for i in range(2)
    ]
    head = [(2026041800600, "donuts"), (2026041800602, "tracking stopped"), *added]
    write_rows(records_repo, EXCLUSIONS, head)
    records_repo.commit("exclude the night of 2026-05-01")
    out = markdown_of(records_repo, capsys)
    assert "**1 DataId list changed · ⚠️ changes lists of 1 completed campaign**" in out
    line = next(line for line in out.splitlines() if line.startswith(f"- `{EXCLUSIONS}`"))
    assert line.startswith(f"- `{EXCLUSIONS}` (exclusion list, used by `")
    assert "`dr1-mini-drp-20261006-q8nc`" in line
    assert line.endswith(
        "): **+12 excluded exposures**: donuts 10, trailed 2; **−1 excluded exposure**: messy PSF 1; "
        "1 exposure with a new reason"
    )
    [change] = records_repo.diff_json(capsys, "--base", "HEAD~1")["dataid_lists"]  # type: ignore[misc]
    assert change["added_by_reason"] == {"donuts": 10, "trailed": 2}
    assert (change["added"], change["removed"], change["reason_changed"]) == (12, 1, 1)


def test_new_list_named_by_a_campaign(records_repo: RecordsRepo, capsys: CaptureFixture) -> None:
    write_rows(
        records_repo,
        "campaigns/dataids/night-exclusions.ecsv",
        [(2026112200001, "satellite"), (2026112200002, "satellite")],
    )
    records_repo.replace(
        NIGHTLY, "selection:\n", "selection:\n  exclude: [dataids/night-exclusions.ecsv]\n"
    )
    records_repo.commit("exclude satellites")
    out = markdown_of(records_repo, capsys)
    assert '| `selection.exclude` | *(none)* | `["dataids/night-exclusions.ecsv"]` |' in out
    assert (
        "- `campaigns/dataids/night-exclusions.ecsv` (exclusion list, used by `nightly-20261123-k9rm`): "
        "new list: **+2 excluded exposures**: satellite 2\n" in out
    )


def test_unreadable_list_points_at_validation(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    (records_repo.root / EXCLUSIONS).write_text(
        "# %ECSV 1.0\n# ---\n# datatype: [\n", encoding="utf-8"
    )
    records_repo.commit("break the list")
    out = markdown_of(records_repo, capsys)
    assert f"- `{EXCLUSIONS}` (" in out
    assert "): changed, but could not be read (see the validation problems)" in out
    assert "This change introduces" in out


def test_a_campaign_that_no_longer_loads_is_broken_not_removed(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    records_repo.replace(NIGHTLY, "status: completed", "status: done")
    records_repo.commit("not a status")
    out = markdown_of(records_repo, capsys)
    assert "**campaign: 1 broken · ⚠️ 1 new validation problem**" in out
    assert "Campaigns removed" not in out
    assert "### Campaigns that no longer load\n" in out
    assert "| `nightly-20261123-k9rm` | Alert reprocessing, night 2026-11-22 |" in out
    assert f"| `{NIGHTLY}:6:9` | error | " in out


COMPLETED = "campaigns/dr1-mini-drp-20261006-q8nc.yaml"


def test_changing_a_list_of_a_completed_campaign_warns_with_the_commit_it_used(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    records_repo.replace(COMPLETED, "\nstatus: completed", "\nstatus: running")
    records_repo.commit("mini-DRP still running")
    records_repo.replace(COMPLETED, "\nstatus: running", "\nstatus: completed")
    records_repo.commit("mini-DRP completed")
    completed_at = records_repo.git("rev-parse", "HEAD").strip()
    records_repo.append(COMPLETED, "# a later edit that keeps it completed\n")
    records_repo.commit("comment")
    write_rows(records_repo, EXCLUSIONS, [(2026041800600, "donuts")])
    records_repo.commit("replace the exclusions")
    out = markdown_of(records_repo, capsys)
    assert "### ⚠️ Lists used by completed campaigns" in out
    assert (
        f"- `{EXCLUSIONS}` is used by completed campaign `dr1-mini-drp-20261006-q8nc`; as the "
        f"campaign used it, the list is at commit `{completed_at[:10]}` (2026-11-20, when the "
        f"campaign became completed): `git show {completed_at[:10]}:{EXCLUSIONS}`"
    ) in out
    [use] = records_repo.diff_json(capsys, "--base", "HEAD~1")["completed_campaign_lists"]  # type: ignore[misc]
    assert use == {
        "list_path": EXCLUSIONS,
        "campaign": "dr1-mini-drp-20261006-q8nc",
        "campaign_path": COMPLETED,
        "commit": completed_at,
        "commit_date": "2026-11-20",
    }


def test_changing_a_list_only_running_campaigns_use_does_not_warn(
    records_repo: RecordsRepo, capsys: CaptureFixture
) -> None:
    records_repo.replace(COMPLETED, "exclude: [dataids/lsstcam-exclusions.ecsv]\n", "")
    records_repo.commit("the completed campaign no longer names the list")
    write_rows(records_repo, EXCLUSIONS, [(2026041800600, "donuts")])
    records_repo.commit("replace the exclusions")
    out = markdown_of(records_repo, capsys)
    assert "completed" not in out.split("### Validation")[0].split("**")[1]
    assert "Lists used by completed campaigns" not in out
