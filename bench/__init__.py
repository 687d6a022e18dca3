"""The benchmark: synthetic repositories at survey scale (synth) and the runner (run)."""
