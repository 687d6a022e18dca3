"""Writing records: new YAML that reads well in review, atomic writes, round-trip edits."""
