"""Login throttling: how long an (account, address) pair waits after each failure in a row.

Prints the schedule of `market.auth.ratelimit.pair_wait` (free failures, then doubling
waits up to the longest); asserts nothing.

Run: .venv/bin/python bench/login_backoff.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from market.auth.ratelimit import pair_wait  # noqa: E402


def main() -> None:
    print("failures in a row → wait before the next try")
    for failures in (1, 4, 5, 6, 7, 8, 10, 20):
        print(f"  {failures:>2} → {pair_wait(failures).total_seconds() / 60:g} min")


if __name__ == "__main__":
    main()
