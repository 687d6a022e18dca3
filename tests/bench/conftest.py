"""The benchmark lives in bench/ at the repository root, outside the installed package."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:  # with --import-mode=importlib pytest does not add it
    sys.path.insert(0, ROOT)
