"""Write a copy of the example repository with a stress shape, to time `campaigns validate`.

    python scripts/make_stress_repo.py OUT --chain 4000     # derived_from chain of 4,000
    python scripts/make_stress_repo.py OUT --journal 10000  # one campaign, 10,000 journal entries
    python scripts/make_stress_repo.py OUT --workflows 10000  # one campaign, rescue_of chain
    python scripts/make_stress_repo.py OUT --chain 4000 --misspelt  # 4,000 broken derived_from

Then ``time campaigns validate --root OUT``. Used for the figures in the issue 10 closing note.
"""

from __future__ import annotations

import argparse
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = """id: {id}
name: Stress {id}
production: dr1
kind: development
status: completed
definer: Ana Souza
purpose: Stress test.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--chain", type=int, default=0)
    parser.add_argument("--journal", type=int, default=0)
    parser.add_argument("--workflows", type=int, default=0)
    parser.add_argument(
        "--misspelt", action="store_true", help="derived_from names a misspelt id (chian-...)"
    )
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    for name in ("notebook.yaml", "jira-snapshot.json"):
        shutil.copy(REPO / name, args.out / name)
    shutil.copytree(REPO / "campaigns", args.out / "campaigns")
    stress = args.out / "campaigns" / "stress"
    stress.mkdir()
    for index in range(args.chain):
        text = HEADER.format(id=f"chain-{index:05d}")
        if index:
            prefix = "chian" if args.misspelt else "chain"
            text += f"derived_from: {prefix}-{index - 1:05d}\n"
        (stress / f"chain-{index:05d}.yaml").write_text(text, encoding="utf-8")
    if args.journal:
        start = datetime(2026, 1, 1, tzinfo=UTC)
        lines = [HEADER.format(id="journal-stress"), "journal:\n"]
        for index in range(args.journal):
            when = (start + timedelta(minutes=7 * ((index * 7919) % args.journal))).strftime(
                "%Y-%m-%dT%H:%MZ"
            )
            lines.append(f"  - {{date: {when}, author: Ana Souza, text: entry {index}}}\n")
        (stress / "journal-stress.yaml").write_text("".join(lines), encoding="utf-8")
    if args.workflows:
        lines = [HEADER.format(id="workflow-stress"), "workflows:\n"]
        for index in range(args.workflows):
            lines.append(f"  - name: w{index}\n    status: succeeded\n")
            if index:
                lines.append(f"    rescue_of: w{index - 1}\n")
        (stress / "workflow-stress.yaml").write_text("".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
