"""Every shell command in README.md runs as written, in a fresh copy of the repository.

The commands of the README's ``sh`` code blocks are run in order, as one shell session (so the
walkthrough's variables and branches carry over), in a git-initialised copy of the repository's
tracked files, with ``campaigns`` reached the way the README says. Each command's exit status is
checked: 0, or the status a ``# → exit status N`` comment after it announces.

Commands that cannot run here are listed in ``EXEMPT`` with the reason; anything else a README
change adds is run. Jira commands run against the fake Jira server of the tests
(``tests/jira/fake_jira.py``), seeded with the example issues; `campaigns bps` commands run against
the test WMS plugin (``tests/bps/fakewms.py``), serving the example runs.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.testing import GIT_ENV

PROJECT = Path(__file__).resolve().parents[2]
README = PROJECT / "README.md"
VENV_BIN = Path(sys.executable).parent

# (regular expression matched against the whole command, why it is not run here)
EXEMPT: list[tuple[str, str]] = [
    (r"^make test\b", "this is the test suite itself; it runs in CI"),
    (r"^make serve\b", "a server that runs until stopped; `make site` builds the same pages"),
    (r"^make bench$", "the full benchmark takes about 40 minutes; `make test` runs the quick one"),
    (r"^make bench QUICK=1$", "`make test` runs exactly this as its last step"),
    (
        r"^\.venv/bin/python bench/run\.py",
        "benchmark runs of minutes; `make test` runs the quick one",
    ),
    (r"^export JIRA_", "placeholder credentials: the test exports the fake Jira's instead"),
    (r"^git push\b", "needs your GitHub remote and credentials"),
    (
        r"^bps submit\b",
        "submits to a real workflow system (PanDA, HTCondor) with the data facility's credentials",
    ),
    (r"^gh\b", "needs GitHub credentials"),
    (r"^pre-commit install\b", "changes the git hooks of the repository it runs in"),
]
EXIT_STATUS = re.compile(r"→ exit status (\d+)")
SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
# The README's git commands run with a fixed identity (their dates are the real ones).
GIT_IDENTITY = {k: v for k, v in GIT_ENV.items() if not k.endswith("_DATE")}


@dataclass(frozen=True)
class Command:
    line: int  # in README.md
    text: str  # as written, continuation lines joined
    expected_status: int
    exempt: str | None  # the reason, when not run


def shell_blocks(markdown: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of every fenced code block in a shell language."""
    blocks: list[tuple[int, list[str]]] = []
    fence = ""  # the opening fence while inside a block
    collecting = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        stripped = line.strip()
        if not fence:
            match = re.match(r"^(`{3,}|~{3,})\s*([\w-]*)", stripped)
            if match:
                fence = match.group(1)
                collecting = match.group(2) in SHELL_LANGUAGES
                if collecting:
                    blocks.append((number + 1, []))
        elif stripped.startswith(fence) and not stripped.strip(fence[0]):
            fence = ""
        elif collecting:
            blocks[-1][1].append(line)
    return blocks


def commands(markdown: str) -> list[Command]:
    """The commands of the README, continuation lines joined, comments kept for the markers."""
    found = []
    for first, lines in shell_blocks(markdown):
        pending: list[str] = []
        start = first
        for offset, line in enumerate(lines):
            if not pending:
                start = first + offset
            if not line.strip() or (not pending and line.lstrip().startswith("#")):
                continue
            if line.rstrip().endswith("\\"):
                pending.append(line.rstrip()[:-1])
                continue
            text = " ".join(part.strip() for part in [*pending, line])
            pending = []
            words = shlex.split(text, comments=True)
            code = shlex.join(words) if words else ""
            reason = next((why for pattern, why in EXEMPT if re.search(pattern, code)), None)
            marker = EXIT_STATUS.search(text)
            found.append(Command(start, text, int(marker.group(1)) if marker else 0, reason))
    return found


def script(found: list[Command]) -> str:
    """One bash session: each command, then a check of its exit status."""
    lines = []
    for command in found:
        if command.exempt:
            lines.append(f": skipped README line {command.line}: {shlex.quote(command.exempt)}")
            continue
        label = shlex.quote(f"README.md:{command.line}: {command.text}")
        lines += [
            f"echo '$' {label}",
            command.text,
            "status=$?",
            f'if [ "$status" -ne {command.expected_status} ]; then',
            f'  echo "FAILED with exit status $status (expected {command.expected_status}):" {label}',
            "  exit 99",
            "fi",
        ]
    lines.append("echo README-COMMANDS-DONE")
    return "\n".join(lines) + "\n"


def fresh_copy(destination: Path) -> Path:
    """The tracked files, a git repository with them committed on main (and origin/main)."""
    listed = subprocess.run(
        ["git", "-C", str(PROJECT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file() and not name.startswith((".venv/", "site/")):
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    # `make site` installed campaigns into .venv; here it is this test run's environment.
    # Its bin/, and what makes `.venv/bin/python -m ...` (the Makefile's template-code) find
    # the installed packages from here: pyvenv.cfg and lib/ next to bin/.
    (destination / ".venv").mkdir()
    for part in ("bin", "pyvenv.cfg", "lib", "lib64"):
        if (VENV_BIN.parent / part).exists():
            (destination / ".venv" / part).symlink_to(VENV_BIN.parent / part)
    for stamp in (".installed", ".installed-test"):
        (destination / ".venv" / stamp).touch()
    environment = {**os.environ, **GIT_IDENTITY}
    for args in (
        ["init", "--quiet", "--initial-branch=main"],
        ["add", "--all"],
        ["commit", "--quiet", "-m", "The example repository"],
        ["update-ref", "refs/remotes/origin/main", "HEAD"],  # as a clone has it
    ):
        subprocess.run(["git", *args], cwd=destination, env=environment, check=True)
    return destination


def test_the_extractor_finds_commands_joins_lines_and_reads_markers() -> None:
    markdown = (
        "text\n```sh\n# a comment\nmake site   # build\ncampaigns validate \\\n  --strict"
        "   # → exit status 1\n```\n```yaml\nid: x\n```\n```\ntree\n```\n"
        "```bash\nmake serve\n```\n"
    )
    found = commands(markdown)
    assert [(c.line, c.text, c.expected_status) for c in found] == [
        (4, "make site   # build", 0),
        (5, "campaigns validate --strict   # → exit status 1", 1),
        (15, "make serve", 0),
    ]
    assert found[2].exempt is not None and found[0].exempt is None


def test_every_exemption_names_a_readme_command() -> None:
    found = commands(README.read_text(encoding="utf-8"))
    for pattern, _ in EXEMPT:
        if pattern.startswith(("^gh", "^pre-commit")):
            continue  # kept for commands other branches document
        assert any(
            re.search(pattern, shlex.join(shlex.split(c.text, comments=True))) for c in found
        ), pattern


def run_document(found: list[Command], root: Path, prelude: str = "") -> str:
    """Run the commands in ``root`` (Jira against the fake server); returns the session log."""
    from tests.jira.fake_jira import serve
    from tests.jira.make_example_snapshot import MOVED, example_issues

    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JIRA_", "CAMPAIGNS_", "VIRTUAL_ENV", "PYTEST"))
    }
    environment.update(GIT_IDENTITY)
    environment["PATH"] = os.pathsep.join(
        p for p in environment.get("PATH", "").split(os.pathsep) if Path(p) != VENV_BIN
    )
    # The workflow system: the test plugin of tests/bps, serving the example runs.
    from tests.bps.make_example_snapshot import ASKED_AT, example_runs

    runs = root.parent / "fake-wms-runs.json"
    runs.write_text(json.dumps({"now": ASKED_AT, "runs": example_runs()}), encoding="utf-8")
    environment["FAKE_WMS_RUNS"] = str(runs)
    environment["BPS_WMS_SERVICE_CLASS"] = "fakewms.FakeWmsService"
    environment["PYTHONPATH"] = os.pathsep.join([str(PROJECT / "tests" / "bps"), str(PROJECT)])
    with serve("cloud", example_issues(), moved=MOVED) as jira:
        environment.update(jira.environment())
        result = subprocess.run(
            ["bash", "-c", prelude + script(found)],
            cwd=root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    log = result.stdout[-6000:] + result.stderr[-6000:]
    assert result.returncode == 0, log
    assert "README-COMMANDS-DONE" in result.stdout, log
    return log


@pytest.mark.slow
def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    found = commands(README.read_text(encoding="utf-8"))
    assert len([c for c in found if not c.exempt]) >= 30
    assert found[0].text.startswith("make site") and found[1].text.startswith("make test")
    root = fresh_copy(tmp_path / "notebook")
    run_document(found, root)
    assert (root / "site" / "index.html").is_file()
    assert (root / "jira-snapshot.json").stat().st_mtime > (root / "README.md").stat().st_mtime
    assert "dr2" in (root / "site" / "productions" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_guide_to_defining_a_campaign_runs_as_written(tmp_path: Path) -> None:
    """Followed literally, with campaigns on the PATH as the guide asks."""
    guide = PROJECT / "docs" / "guide" / "defining-a-campaign.md"
    found = commands(guide.read_text(encoding="utf-8"))
    assert len(found) >= 8 and not any(c.exempt for c in found)
    root = fresh_copy(tmp_path / "notebook")
    run_document(found, root, prelude=". .venv/bin/activate\n")
    log = subprocess.run(
        ["git", "log", "--name-only", "--format=%s", "-1"], cwd=root, capture_output=True, text=True
    ).stdout
    assert "PSF model trial and the DR1 mini-DRP rerun" in log
    assert "campaigns/dr1-mini-drp-with-psf-fix-" in log and "campaigns/psf-model-trial-" in log
