"""A longer fuzzing run of the importer than the suite's: mutated exchange-format workbooks
and JSON files (bit flips, truncation, spliced bytes, formulas, huge cells, odd encodings)
fed to `import_bytes` on a fresh SQLite database. Every input must end in success or an
`ImportRejected` with Chinese row errors, nothing may be stored after a rejection, and the
peak memory per input stays bounded. Prints the outcomes and the worst peak.

    .venv/bin/python bench/fuzz_import.py [--seconds 120] [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import random
import tempfile
import time
import traceback
import tracemalloc
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from sqlmodel import Session

from catalog.db import get_engine, session_scope
from catalog.errors import ImportRejected
from catalog.exchange import exports, imports
from market.database import migrate

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
TABLES = ("provider", "solution", "enterprise", "need", "chainlink", "auditentry", "outboxentry")
NASTY = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2", "@SUM(A1)", "\x00", "\ufeff", "𠀀" * 50,
         "好" * 40_000, "\u202e反转", "' OR 1=1 --", "<script>alert(1)</script>", "１２３", "繁體字測試"]


def seeds(tmp: Path) -> list[tuple[str, bytes]]:
    """Valid inputs to mutate: the dev JSON files and an xlsx export of them."""
    url = f"sqlite:///{tmp / 'seed.db'}"
    migrate(url)
    with session_scope(url) as session:
        imports.import_paths(session=session, paths=[DEV], actor="seed")
    out = tmp / "all.xlsx"
    with session_scope(url) as session:
        exports.export_path(session=session, path=out)
    files = [(p.name, p.read_bytes()) for p in sorted(DEV.glob("*.json"))]
    return files + [("all.xlsx", out.read_bytes())]


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        if op < 0.4 and buf:
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        elif op < 0.6:
            cut = rng.randrange(len(buf) + 1)
            buf = buf[:cut]
        elif op < 0.8 and buf:
            start = rng.randrange(len(buf))
            buf[start:start] = buf[rng.randrange(len(buf)):][: rng.randint(1, 4096)]
        else:
            buf[rng.randrange(len(buf) + 1):0] = rng.randbytes(rng.randint(1, 64))
    return bytes(buf)


def mutate_json(data: bytes, rng: random.Random) -> bytes:
    doc = json.loads(data)
    for rows in doc.values():
        for row in rng.sample(rows, min(len(rows), 3)):
            key = rng.choice(list(row))
            row[key] = rng.choice([rng.choice(NASTY), None, 12345, [rng.choice(NASTY)], {"x": 1}, ""])
    text = json.dumps(doc, ensure_ascii=False)
    return text.encode(rng.choice(["utf-8", "utf-8", "utf-8", "gb18030", "utf-16"]))


def mutate_xlsx(data: bytes, rng: random.Random) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for _ in range(rng.randint(1, 6)):
        sheet = rng.choice(book.worksheets)
        cell = sheet.cell(row=rng.randint(1, max(2, sheet.max_row)), column=rng.randint(1, sheet.max_column + 1))
        cell.value = rng.choice([v for v in NASTY if "\x00" not in v and len(v) < 32_000] + [None, 3.5, -1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(url: str) -> int:
    with get_engine(url).connect() as conn:
        return sum(int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in TABLES)


def one(url: str, name: str, content: bytes) -> tuple[str, int]:
    """Import one input; returns (outcome, peak bytes)."""
    with Session(get_engine(url)) as session:
        tracemalloc.start()
        try:
            imports.import_bytes(session=session, filename=name, content=content, actor="fuzz")
            outcome = "accepted"
        except ImportRejected as exc:
            ok = exc.errors and all(any("\u4e00" <= c <= "\u9fff" for c in e.message) for e in exc.errors)
            outcome = "rejected" if ok else "rejected-without-chinese-message"
            session.commit()  # a careless caller commits anyway: nothing may be stored
            if stored(url):
                outcome = "REJECTED-BUT-STORED"
        except Exception as exc:  # noqa: BLE001 - a crash is what the fuzzer looks for
            outcome = f"CRASH {type(exc).__name__}"
            traceback.print_exc(limit=3)
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            session.rollback()
    return outcome, peak


def main() -> None:
    parser = argparse.ArgumentParser(description="导入器模糊测试")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    outcomes: collections.Counter[str] = collections.Counter()
    worst = (0, "")
    with tempfile.TemporaryDirectory(prefix="szt-fuzz-") as tmp:
        inputs = seeds(Path(tmp))
        url = f"sqlite:///{Path(tmp) / 'fuzz.db'}"
        migrate(url)
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            name, data = rng.choice(inputs)
            kind = rng.random()
            if name.endswith(".json") and kind < 0.5:
                content = mutate_json(data, rng)
            elif name.endswith(".xlsx") and kind < 0.5:
                content = mutate_xlsx(data, rng)
            else:
                content = mutate_bytes(data, rng)
            outcome, peak = one(url, name, content)
            outcomes[outcome] += 1
            if peak > worst[0]:
                worst = (peak, f"{name} {len(content)} 字节")
            with get_engine(url).begin() as conn:  # accepted inputs are undone for the next round
                for table in reversed(TABLES):
                    conn.execute(sa.text(f"DELETE FROM {table}"))
    print(f"输入共 {sum(outcomes.values())} 个：" + "，".join(f"{k} {v}" for k, v in outcomes.most_common()))
    print(f"单个输入的内存峰值最大 {worst[0] / 2**20:.1f} MB（{worst[1]}）")
    bad = [k for k in outcomes if k.isupper() or k.startswith(("CRASH", "REJECTED", "rejected-without"))]
    print("结论：" + ("未发现问题" if not bad else "发现问题：" + "、".join(bad)))


if __name__ == "__main__":
    main()
