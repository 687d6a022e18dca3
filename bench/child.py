"""Run one command and write its wall time, CPU time and peak memory to a JSON file.

Usage: ``python -I -S bench/child.py REPORT.json COMMAND [ARG...]``; exits with the command's
status. bench/run.py starts every measured command through this small, fresh process because
Linux counts the memory a child had *before* it exec'd its program in that child's peak
(``ru_maxrss``): spawned straight from the runner, every figure would include the runner's own
size. Spawned from here, that floor is this interpreter's few megabytes, below any real command.
Standard library only, nothing else imported, so the floor stays small.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> int:
    report, *command = sys.argv[1:]
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    with open(report, "w", encoding="utf-8") as out:
        json.dump(
            {
                "seconds": seconds,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_kib": usage.ru_maxrss,  # Linux reports KiB
            },
            out,
        )
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
