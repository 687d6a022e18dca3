"""The hostile corpus: one notebook repository in which every field that reaches a page carries
attacks, built once with real `mkdocs build` and loaded in Chromium by test_hostile.py.

Every payload that would run sets ``window.__pwned`` and opens a dialog; the browser test asserts
that neither happens. Payload families (issue 10): event-handler attributes, javascript:/data:
URLs, attribute and link breakouts, code-span and fence confusion, raw <script>/<svg>/<iframe>/
<details ontoggle>, Markdown reference links, HTML entities, diagram keywords, `|` and newlines in
config values, \\x1e/\\x1f/NUL in git metadata (real commits), and what the workflow system says
(run names, task labels, submit paths, operators: a real `campaigns bps sync` through the test
plugin of tests/bps, which answers with hostile runs).

What `campaigns validate` refuses is taken out of the build, file by file, and reported: the test
then checks that the refusal is an error naming the file (the other half of "Done when").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.pipeline import validate

REPO_ROOT = Path(__file__).resolve().parents[2]
JS = "window.__pwned=1;alert(1)"

# One-line payloads: names, titles, values. Each fits the 80-character name limit.
LINE_PAYLOADS = [
    f"<script>{JS}</script>",
    f"<img src=x onerror={JS}>",
    "<svg onload=window.__pwned=1>",
    '<iframe src="javascript:parent.__pwned=1">',
    "<details open ontoggle=window.__pwned=1>",
    '" onmouseover="window.__pwned=1" x="',
    "' onfocus='window.__pwned=1' autofocus x='",
    "](javascript:window.__pwned=1) [x](javascript:window.__pwned=1)",
    '*x*{: onclick="window.__pwned=1" }',
    "`</code><img src=x onerror=window.__pwned=1>`",
    "&lt;img src=x onerror=window.__pwned=1&gt; &#60;svg onload=x&#62;",
    "| <b>cell</b> | \\| `|` |",
    'click c0 href "javascript:window.__pwned=1"',
    '%%{init: {"securityLevel": "loose"}}%% ; # : classDef end',
    "$(touch /tmp/cn-pwned) `touch /tmp/cn-pwned` ' \" ;rm",
    "section x :done, t1, 2026-01-01, 1d",
    "[r]: javascript:window.__pwned=1",
    "\\`<img src=x onerror=window.__pwned=1>`",
]
# Three payloads per campaign (joined in every field without a length limit; the name, limited
# to 80 characters, starts with the first): six campaign pages carry all of them.
PAYLOADS_PER_CAMPAIGN = 3

MARKDOWN_PAYLOAD = f"""\
Honest **bold** and `code` and a [good link](https://example.org/ok).

<script>{JS}</script>
<img src=x onerror="{JS}"> <svg onload=window.__pwned=1> <iframe src="javascript:parent.__pwned=1"></iframe>
<details open ontoggle=window.__pwned=1><summary>s</summary></details>
<a href="javascript:window.__pwned=1">a</a> <div markdown="1">**inside div**</div>

[js](javascript:window.__pwned=1) [JS](JaVaScRiPt:window.__pwned=1) [data](data:text/html,<script>window.__pwned=1</script>)
[entity](&#106;avascript:window.__pwned=1) [far](//evil.example/x) [slash](/\\evil.example)
[ref][r] and [other][o] ![img](x" onerror="window.__pwned=1)
*emphasis*{{: onclick="window.__pwned=1" }}

[r]: javascript:window.__pwned=1
[o]: data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+

\\`<img src=x onerror=window.__pwned=1>` and `` ` <svg onload=window.__pwned=1> ` ``
`code span
across a blank line? <img src=x onerror=window.__pwned=1>`

# heading {{: onclick="window.__pwned=1" }}

| a | b |
|---|---|
| <img src=x onerror=window.__pwned=1> | `|` \\| |

!!! note "<img src=x onerror=window.__pwned=1>"
    <script>{JS}</script>

??? danger "t"
    <details open ontoggle=window.__pwned=1>

&lt;script&gt;window.__pwned=1&lt;/script&gt; &#60;svg onload=window.__pwned=1&#62;

~~~x
<script>{JS}</script>
```
<img src=x onerror=window.__pwned=1>
~~~x
<svg onload=window.__pwned=1>
"""

# URLs the schemas accept today (http(s), no white space), breaking out of links and attributes.
URL_PAYLOADS = [
    "https://example.org/a)<svg/onload=window.__pwned=1>",
    'https://example.org/"onmouseover="window.__pwned=1',
    "https://example.org/a|b`c[d](javascript:window.__pwned=1)",
    "https://example.org/x'><img/src=x/onerror=window.__pwned=1>",
]
# URLs validate refuses: the campaign naming them stays out of the build.
REFUSED_URLS = [
    "javascript:window.__pwned=1",
    "JAVASCRIPT:window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
]

# No '/' (a path separator) and no white space (the schema refuses it): an attribute breakout
# without a space ("onmouseover= right after the closing quote), markup and a link breakout.
HOSTILE_LIST_NAME = 's)"onmouseover="window.__pwned=1"<b>x<i>[x](javascript:window.__pwned=1).ecsv'
SAFE_LIST_NAME = "hostile-reasons.ecsv"

# What the workflow system answers about runs (the test plugin tests/bps/fakewms.py serves them to
# `campaigns bps sync`): every text field a page shows, each a different attack. No "|": the test
# finds each value verbatim in the page's text.
WMS_PLUGIN = "fakewms.FakeWmsService"
WMS_PLUGIN_PATH = REPO_ROOT / "tests" / "bps"
WMS_NOW = "2026-11-24T11:00:00Z"
WMS_TEXT = {
    "run": "u_eve_<img src=x onerror=window.__pwned=1>_20261124T080000Z",
    "label": "<script>window.__pwned=1</script>step9",
    "path": '/sdf/submit/"><svg onload=window.__pwned=1>/`$(touch /tmp/cn-pwned)`',
    "operator": "eve' onfocus='window.__pwned=1' autofocus x='",
    "task": "isr</code><img src=x onerror=window.__pwned=1>",
    "unlisted_id": "9001<b onmouseover=window.__pwned=1>x</b>",
}


def _id(number: int) -> str:
    return f"hostile-20261124-h{number:03d}"


@dataclass
class HostileRepository:
    root: Path
    refused: dict[str, list[str]] = field(default_factory=dict)  # file -> validate's messages
    campaign_ids: list[str] = field(default_factory=list)


def _ecsv(reasons: list[str], meta: dict[str, Any]) -> str:
    header = {
        "datatype": [
            {"name": "exposure", "datatype": "int64"},
            {"name": "reason", "datatype": "string"},
        ],
        "meta": meta,
        "schema": "astropy-2.0",
    }
    lines = ["# %ECSV 1.0", "# ---"]
    lines += ["# " + line for line in yaml.safe_dump(header, sort_keys=False).splitlines()]
    lines.append("exposure reason")
    for number, reason in enumerate(reasons):
        escaped = reason.replace('"', '""')
        lines.append(f'{2026040200000 + number} "{escaped}"')
    return "\n".join(lines) + "\n"


def _workflow(number: int, payload: str, started: str) -> dict[str, Any]:
    return {
        "name": f"step{number}-{abs(hash(payload)) % 1000}",
        "step": payload,
        "group": payload,
        "status": "failed" if number % 2 else "succeeded",
        "system": "panda",
        "site": payload,
        "run_id": payload,
        "run_name": payload,
        "output": f"hostile/{started[:10]}",
        "started": started,
        "finished": "2026-11-20T12:00Z",
        "operators": [payload],
        "notes": payload,
        "submit_dir": payload,
        "bps_config": payload,
        "query": [payload],
        "links": [{"title": payload, "url": "https://example.org/workflow"}],
    }


def _campaign(number: int, payload: str, production: str, lists: list[str]) -> dict[str, Any]:
    name = payload[:80].strip()
    return {
        "id": _id(number),
        "name": name,
        "production": production,
        "kind": "development",
        "status": "running",
        "tags": ["lsstcam"],
        "definer": payload,
        "operators": [
            {
                "name": payload,
                "role": payload,
                "shifts": [{"start": "2026-11-24T08:00Z", "end": "2026-11-24T20:00Z"}],
            }
        ],
        "jira": ["DM-66601"],
        "purpose": MARKDOWN_PAYLOAD,
        "reason": MARKDOWN_PAYLOAD,
        "software": {"version": "w_2026_45", "packages": {"pipe_tasks": "tickets/DM-1"}},
        "butler": {
            "repo": payload,
            "instrument": payload,
            "skymap": payload,
            "inputs": ["hostile/shared"],
            "output": f"hostile/out/{number}",
        },
        "pipeline": {
            "uri": payload,
            "subset": payload,
            "bps_config": payload,
            "config_files": [payload],
            "config": [{"task": payload, "field": payload, "value": payload, "why": payload}],
            "source": {"repo": "https://example.org/pipe", "ref": "main"},  # refs: see h902
        },
        "selection": {"query": [payload], "exclude": lists},
        "workflows": [
            _workflow(1, payload, "2026-11-20T08:00Z"),
            _workflow(2, payload, "2026-11-20T09:00Z"),
        ],
        "journal": [
            {"date": "2026-11-21T08:00Z", "author": payload, "text": MARKDOWN_PAYLOAD},
            {"date": "2026-11-22T08:00Z", "author": payload, "text": payload, "jira": ["DM-66602"]},
        ],
        "links": [{"title": payload, "url": "https://example.org/campaign"}],
    }


def write_records(root: Path) -> list[str]:
    """Hostile records over the example notebook in ``root``; returns the campaign ids."""
    campaigns = root / "campaigns"
    dataids = campaigns / "dataids"
    meta = {
        "kind": "exclusion",
        "description": LINE_PAYLOADS[1],
        "author": LINE_PAYLOADS[2],
        "created": LINE_PAYLOADS[5],
        "generated_by": {"how": LINE_PAYLOADS[7], "query": LINE_PAYLOADS[9]},
    }
    reasons = [*LINE_PAYLOADS, '=HYPERLINK("javascript:window.__pwned=1")', "@SUM(1)"]
    (dataids / SAFE_LIST_NAME).write_text(_ecsv(reasons, meta), encoding="utf-8")
    (dataids / HOSTILE_LIST_NAME).write_text(_ecsv(reasons[:3], meta), encoding="utf-8")
    production = {
        "id": "hostile",
        "name": LINE_PAYLOADS[0],
        "description": MARKDOWN_PAYLOAD,
        "jira": ["DM-66600"],
        "links": [{"title": LINE_PAYLOADS[5], "url": "https://example.org/production"}],
        "tags": ["lsstcam"],
    }
    (campaigns / "productions" / "hostile.yaml").write_text(
        yaml.safe_dump(production, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    ids = []
    groups = [
        LINE_PAYLOADS[start : start + PAYLOADS_PER_CAMPAIGN]
        for start in range(0, len(LINE_PAYLOADS), PAYLOADS_PER_CAMPAIGN)
    ]
    for number, group in enumerate(groups):
        payload = " ".join(group)
        lists = [f"dataids/{SAFE_LIST_NAME}"]
        record = _campaign(number, payload, "hostile", lists)
        if number:
            record["derived_from"] = _id(number - 1)
            record["butler"]["inputs"].append(f"hostile/out/{number - 1}")
        ids.append(record["id"])
        (campaigns / f"{record['id']}.yaml").write_text(
            yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    # Files validate may refuse as the URL and file-name rules tighten: on their own, so that
    # refusing them leaves the rest of the corpus building.
    url_campaign = _campaign(900, "hostile urls", "hostile", [])
    url_campaign["links"] = [{"title": f"u{n}", "url": url} for n, url in enumerate(URL_PAYLOADS)]
    url_campaign["pipeline"]["source"]["repo"] = URL_PAYLOADS[0]
    url_campaign["workflows"][0]["links"] = url_campaign["links"]
    url_campaign["selection"] = {"query": ["visit > 1"]}
    list_campaign = _campaign(901, "hostile list name", "hostile", [f"dataids/{HOSTILE_LIST_NAME}"])
    refused = _campaign(902, "refused urls", "hostile", [])
    refused["links"] = [{"title": f"r{n}", "url": url} for n, url in enumerate(REFUSED_URLS)]
    refused["pipeline"]["source"]["ref"] = "main; $(touch /tmp/cn-pwned) <script>"  # not a git ref
    for record in (url_campaign, list_campaign, refused):
        (campaigns / f"{record['id']}.yaml").write_text(
            yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        ids.append(record["id"])
    return ids


def write_config(root: Path, hostile: bool) -> None:
    config = yaml.safe_load((REPO_ROOT / "notebook.yaml").read_text(encoding="utf-8"))
    config["title"] = LINE_PAYLOADS[1] + " | " + LINE_PAYLOADS[5]
    config["tags"] = []
    if hostile:
        config["edit_branch"] = "main\n\n<script>window.__pwned=1</script>\n[x](javascript:y) | a"
        config["repo_url"] = "https://github.com/example/a|b)<svg/onload=window.__pwned=1>"
        config["link_templates"]["campaign"].append(
            {"title": LINE_PAYLOADS[2], "kind": "docs", "url": "https://example.org/{instrument}"}
        )
        config["link_templates"]["workflow"].append(
            {"title": LINE_PAYLOADS[6], "kind": "logs", "url": "https://example.org/{run_name}"}
        )
    (root / "notebook.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


def write_snapshot(root: Path, hostile_server: bool = True) -> None:
    issue = {
        "summary": LINE_PAYLOADS[0] + " " + LINE_PAYLOADS[7],
        "status": LINE_PAYLOADS[1],
        "status_category": 'done" onmouseover="window.__pwned=1',
        "type": LINE_PAYLOADS[5],
        "assignee": LINE_PAYLOADS[4],
        "updated": "2026-11-23T09:00:00Z",
    }
    snapshot = {
        "format": 1,
        "fetched_at": "2026-11-24T06:00:00Z",
        "server": "https://jira.example.org/|<svg onload=window.__pwned=1>)"
        if hostile_server
        else "https://jira.example.org",
        "deployment": "Cloud",
        "issues": {
            "DM-66600": {"key": "DM-66600", **issue},
            "DM-66601": {"key": "DM-66601", **issue},
        },
        "moved": {"DM-66602": "DM-66601"},
        "missing": {"DM-51302": LINE_PAYLOADS[3]},
        "queries": {},
    }
    (root / "jira-snapshot.json").write_text(json.dumps(snapshot), encoding="utf-8")


def _wms_runs(campaign_id: str, run_id: str, number: int) -> list[dict[str, Any]]:
    """Two runs of a campaign: one its record lists (by run id), one it does not list yet."""
    common = {
        "campaign": campaign_id,
        "project": "hostile",
        "label": WMS_TEXT["label"],
        "operator": WMS_TEXT["operator"],
        "run": WMS_TEXT["run"],
        "path": WMS_TEXT["path"],
        "state": "RUNNING",
        "updated": WMS_NOW,
    }
    listed = {
        **common,
        "wms_id": run_id,
        "payload": "step1",
        "job_summary": {WMS_TEXT["task"]: {"SUCCEEDED": 5, "FAILED": 2, "RUNNING": 3}},
        "exit_code_summary": {WMS_TEXT["task"]: [137, 1]},
    }
    unlisted = {
        **common,
        "wms_id": f"{WMS_TEXT['unlisted_id']}{number}",
        "payload": WMS_TEXT["label"],
        "job_summary": {WMS_TEXT["task"]: {"PENDING": 4}},
    }
    return [listed, unlisted]


def write_workflow_status(root: Path, campaign_ids: list[str]) -> None:
    """The workflow status snapshot, written by a real `campaigns bps sync` through ctrl_bps's
    plugin interface, from hostile answers of the test plugin about the campaigns' runs."""
    runs: list[dict[str, Any]] = []
    for number, campaign_id in enumerate(campaign_ids):
        record = yaml.safe_load((root / "campaigns" / f"{campaign_id}.yaml").read_text("utf-8"))
        runs += _wms_runs(campaign_id, record["workflows"][0]["run_id"], number)
    runs_file = root.parent / "wms-runs.json"
    runs_file.write_text(
        json.dumps({"now": WMS_NOW, "behaviour": "answer", "runs": runs}), encoding="utf-8"
    )
    python_path = [str(WMS_PLUGIN_PATH), str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]
    env = {
        **{k: v for k, v in os.environ.items() if k != "BPS_WMS_SERVICE_CLASS"},
        "PYTHONPATH": os.pathsep.join(filter(None, python_path)),
        "FAKE_WMS_RUNS": str(runs_file),
        "CAMPAIGNS_NOW": WMS_NOW,
    }
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "bps", "sync", "--wms-service-class", WMS_PLUGIN],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(runs)} run(s)" in result.stdout, result.stdout


def _git(root: Path, *args: str, env: dict[str, str] | None = None, data: bytes = b"") -> str:
    result = subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", *args],
        input=data,
        capture_output=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return result.stdout.decode().strip()


def commit_hostile_history(root: Path) -> None:
    """Real commits whose author names and subjects carry \\x1e, \\x1f, newlines and markup, and
    one commit object with a NUL in its message (written with hash-object, as git commit refuses)."""
    identity = {
        "GIT_AUTHOR_EMAIL": "eve@example.org",
        "GIT_COMMITTER_NAME": "Eve",
        "GIT_COMMITTER_EMAIL": "eve@example.org",
        "GIT_AUTHOR_DATE": "2026-11-22T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-11-22T10:00:00+00:00",
    }
    forged = (
        "\x1e" + "f" * 40 + "\x1fMallory\x1f2026-11-23T00:00:00+00:00\x1f$(touch /tmp/cn-pwned)"
    )
    authors = [
        "Eve\x1f<img src=x onerror=window.__pwned=1>",
        "Eve \x1e <svg onload=window.__pwned=1> | x",
        "Eve `$(touch /tmp/cn-pwned)`",
    ]
    subjects = [
        f"Add hostile records{forged}",
        "<script>window.__pwned=1</script> | [x](javascript:window.__pwned=1)\x1f\x1e",
        "Fix `code` *emph* {: onclick=window.__pwned=1 }\n\nbody with \x1e and a second line",
    ]
    _git(root, "add", "-A")
    for number, (author, subject) in enumerate(zip(authors, subjects, strict=True)):
        env = {**identity, "GIT_AUTHOR_NAME": author}
        if number:
            target = root / "campaigns" / f"{_id(number)}.yaml"
            target.write_text(target.read_text(encoding="utf-8") + f"# edit {number}\n")
            _git(root, "add", "-A")
        _git(root, "commit", "--quiet", "--allow-empty", "-m", subject, env=env)
    # A commit with a NUL byte in its message and control characters in its identity.
    tree = _git(root, "rev-parse", "HEAD^{tree}")
    parent = _git(root, "rev-parse", "HEAD")
    raw = (
        f"tree {tree}\nparent {parent}\n"
        "author Nul\x1fName <nul@example.org> 1795860000 +0000\n"
        "committer Nul <nul@example.org> 1795860000 +0000\n\n"
    ).encode() + b"Subject with a NUL \x00 <script>window.__pwned=1</script>\n"
    sha = _git(root, "hash-object", "-t", "commit", "-w", "--literally", "--stdin", data=raw)
    _git(root, "update-ref", "HEAD", sha)
    # Touch a record after it so that the NUL commit is in the history of the pages.
    target = root / "campaigns" / f"{_id(0)}.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# after the NUL commit\n")
    _git(root, "add", "-A")
    _git(root, "commit", "--quiet", "-m", "After\x1fthe\x1eNUL commit", env=identity)


def refuse_what_validate_refuses(hostile: HostileRepository) -> None:
    """Take out of the build every file `campaigns validate` refuses (and what depends on it)."""
    root = hostile.root
    for _ in range(10):
        repository = validate(root).repository
        errors = [p for p in repository.problems if p.is_error]
        if not errors:
            return
        for problem in errors:
            hostile.refused.setdefault(problem.path, []).append(problem.message)
        paths = {p.path for p in errors}
        if "notebook.yaml" in paths:
            write_config(root, hostile=False)
            paths.discard("notebook.yaml")
        if "jira-snapshot.json" in paths:  # validate refuses its server: keep the issues' text
            write_snapshot(root, hostile_server=False)
            paths.discard("jira-snapshot.json")
        for path in paths:
            target = root / path
            if target.is_file():
                target.unlink()
    raise AssertionError(f"the hostile corpus still has errors: {hostile.refused}")


TEAM_PAGE = "team/pipeline-flow"


def write_team_page(root: Path) -> None:
    """A team's own docs page with a Mermaid diagram: the one kind of page that ships Mermaid
    (the notebook draws its own graphs as SVG)."""
    page = root / "docs" / f"{TEAM_PAGE}.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        "# Pipeline flow\n\nHow our data moves, drawn by Mermaid.\n\n"
        '```mermaid\nflowchart LR\n  raw["raw visits"] --> step1 --> coadd["coadds"]\n```\n',
        encoding="utf-8",
    )


def build_hostile_repository(target: Path) -> HostileRepository:
    """The example notebook plus the hostile corpus, committed with hostile git metadata."""
    target.mkdir(parents=True)
    for name in ("notebook.yaml", "campaigns", "mkdocs.yml", "docs", "overrides"):
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(".*"))
        else:
            shutil.copy2(source, target / name)
    write_team_page(target)
    hostile = HostileRepository(target)
    write_config(target, hostile=True)
    write_snapshot(target)
    hostile.campaign_ids = write_records(target)
    refuse_what_validate_refuses(hostile)
    hostile.campaign_ids = [
        c for c in hostile.campaign_ids if (target / "campaigns" / f"{c}.yaml").is_file()
    ]
    write_workflow_status(target, hostile.campaign_ids)
    _git(target, "-c", "init.defaultBranch=main", "init", "--quiet")
    commit_hostile_history(target)
    return hostile
