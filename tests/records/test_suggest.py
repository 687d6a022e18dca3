"""'Did you mean' among thousands of names finds what a full difflib search finds."""

from __future__ import annotations

import difflib
import random
import string

from generator.suggest import FULL_SEARCH, Suggester


def invented_ids(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = ["dr1", "mini", "drp", "psf", "dev", "nightly", "rerun", "integration", "comcam"]
    return sorted(
        {
            "-".join(rng.sample(words, 2))
            + f"-2026{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}-"
            + "".join(rng.choices(string.ascii_lowercase + string.digits, k=4))
            for _ in range(count)
        }
    )


def typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "change", "add"])
    if kind == "swap":
        return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    letter = rng.choice(string.ascii_lowercase)
    return word[:at] + letter + word[at + (kind == "change") :]


def test_small_sets_are_searched_whole() -> None:
    ids = invented_ids(FULL_SEARCH, seed=1)[:FULL_SEARCH]
    suggester = Suggester(ids)
    rng = random.Random(2)
    for word in rng.sample(ids, 20):
        wrong = typo(word, rng)
        full = difflib.get_close_matches(wrong, ids, n=1, cutoff=0.6)
        assert suggester.closest(wrong) == (full[0] if full else None)


def test_large_sets_find_the_name_a_typo_came_from() -> None:
    ids = invented_ids(1000, seed=3)
    assert len(ids) > FULL_SEARCH
    suggester = Suggester(ids)
    rng = random.Random(4)
    asked = rng.sample(ids, 40)
    found = 0
    for word in asked:
        wrong = typo(word, rng)
        answer = suggester.closest(wrong)
        full = difflib.get_close_matches(wrong, ids, n=1, cutoff=0.6)[0]
        # as good as the full search: the same name, or one exactly as close
        ratio = difflib.SequenceMatcher(None, wrong, full).ratio()
        assert answer is not None
        assert difflib.SequenceMatcher(None, wrong, answer).ratio() >= ratio - 0.05
        found += answer == word
    assert found >= 0.95 * len(asked)
