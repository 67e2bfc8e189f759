"""Paths the reliability tests share."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
DEV_DATA = SHARED / "data" / "dev"
MARKET_BIN = Path(sys.executable).with_name("market")
