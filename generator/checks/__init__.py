"""Checks: pure functions of what was loaded, each returning problems (rules across fields and files)."""
