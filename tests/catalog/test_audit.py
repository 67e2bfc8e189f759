import threading

import pytest
import sqlalchemy as sa
from catalog_builders import make_provider
from sqlmodel import Session, select

from catalog.audit import service as audit
from catalog.audit.models import AuditEntry, AuditHead
from catalog.db import get_engine


def _append(session: Session, n: int, actor: str = "tester") -> None:
    for i in range(n):
        audit.append(session=session, actor=actor, action="update", record_type="solution", record_key=str(i),
                     before={"price_wan": i}, after={"price_wan": i + 0.5, "名称": "質量"})


def _seed(database_url: str, n: int = 5) -> None:
    with Session(get_engine(database_url)) as session:
        _append(session, n)
        session.commit()


def test_chain_links_each_entry_to_the_previous(session: Session) -> None:
    _append(session, 3)
    session.commit()
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.id for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash
    assert audit.verify(session=session) == audit.VerifyResult(True, 3, None, "审计链完整，共校验 3 条")


def test_chain_continues_across_transactions(database_url: str) -> None:
    _seed(database_url, 2)
    with Session(get_engine(database_url)) as session:
        make_provider(session)
        session.commit()
        _append(session, 1)
        session.commit()
        result = audit.verify(session=session)
    assert result.ok and result.checked == 4


def test_rolled_back_appends_leave_no_trace(database_url: str) -> None:
    _seed(database_url, 2)
    with Session(get_engine(database_url)) as session:
        _append(session, 3)
        session.flush()
        session.rollback()
        _append(session, 1)
        session.commit()
        assert audit.verify(session=session).ok
        assert session.exec(select(sa.func.count()).select_from(AuditEntry)).one() == 3


def test_an_edited_entry_is_named(database_url: str) -> None:
    _seed(database_url)
    with get_engine(database_url).begin() as conn:
        conn.execute(sa.text("UPDATE auditentry SET actor = 'someone else' WHERE id = 3"))
    with Session(get_engine(database_url)) as session:
        result = audit.verify(session=session)
    assert (result.ok, result.first_bad_id, result.checked) == (False, 3, 2)
    assert "第 3 条" in result.message_zh and "篡改" in result.message_zh


def test_an_entry_edited_with_its_hash_recomputed_is_named(database_url: str) -> None:
    _seed(database_url)
    with Session(get_engine(database_url)) as session:
        entry = session.get(AuditEntry, 2)
        assert entry is not None
        entry.after = {"price_wan": 0}
        entry.hash = audit.entry_hash(entry)
        session.commit()
        result = audit.verify(session=session)
    assert (result.ok, result.first_bad_id) == (False, 2)


def test_a_deleted_entry_is_named(database_url: str) -> None:
    _seed(database_url)
    with get_engine(database_url).begin() as conn:
        conn.execute(sa.text("DELETE FROM auditentry WHERE id = 2"))
    with Session(get_engine(database_url)) as session:
        result = audit.verify(session=session)
    assert (result.ok, result.first_bad_id) == (False, 3)
    assert "第 2 条审计记录已被删除" in result.message_zh


def test_concurrent_appends_keep_one_chain(database_url: str) -> None:
    engine = get_engine(database_url)
    failures: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            for _ in range(15):
                with Session(engine) as session:
                    _append(session, 2, actor=name)
                    session.commit()
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with Session(engine) as session:
        result = audit.verify(session=session)
    assert result.ok and result.checked == 90


def test_cut_tail_is_named(database_url: str) -> None:
    _seed(database_url)
    with get_engine(database_url).begin() as conn:
        conn.execute(sa.text("DELETE FROM auditentry WHERE id >= 4"))
    with Session(get_engine(database_url)) as session:
        result = audit.verify(session=session)
    assert (result.ok, result.first_bad_id, result.checked) == (False, 4, 3)
    assert "第 4–5 条审计记录已被删除" in result.message_zh and "链尾" in result.message_zh


def test_every_entry_deleted_is_named(database_url: str) -> None:
    _seed(database_url, 2)
    with get_engine(database_url).begin() as conn:
        conn.execute(sa.text("DELETE FROM auditentry"))
    with Session(get_engine(database_url)) as session:
        result = audit.verify(session=session)
    assert (result.ok, result.first_bad_id) == (False, 1)


def test_last_entry_rewritten_with_its_hash_is_named(database_url: str) -> None:
    _seed(database_url, 3)
    with Session(get_engine(database_url)) as session:
        entry = session.get(AuditEntry, 3)
        assert entry is not None
        entry.after = {"price_wan": 0}
        entry.hash = audit.entry_hash(entry)
        session.commit()
        result = audit.verify(session=session)
    assert (result.ok, result.first_bad_id) == (False, 3) and "链头" in result.message_zh


def test_head_follows_uncommitted_appends_in_the_verifying_session(session: Session) -> None:
    _append(session, 2)
    session.commit()
    _append(session, 1)
    assert audit.verify(session=session).ok
    session.commit()
    assert audit.verify(session=session).checked == 3


def test_bulk_appends_move_the_head(session: Session) -> None:
    audit.append_many(session=session, actor="import", action="create", record_type="solution",
                      items=[(str(i), None, {"code": f"S{i}"}) for i in range(4)])
    session.commit()
    head = session.get(AuditHead, 1)
    last = session.get(AuditEntry, 4)
    assert head is not None and last is not None and (head.last_id, head.last_hash) == (4, last.hash)
    assert audit.verify(session=session).ok


def test_an_open_transaction_does_not_hold_up_other_writers(database_url: str) -> None:
    """Entries are chained at commit, so a transaction still working (here: audited and
    flushed, not committed) keeps no lock that another writer's commit waits for."""
    _seed(database_url, 1)
    engine = get_engine(database_url)
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: any flushed write holds the database lock")
    with Session(engine) as slow:
        make_provider(slow, "slow")  # a record written and audited, flushed, not committed
        _append(slow, 2, actor="slow")
        slow.flush()
        done = threading.Event()

        def quick() -> None:
            with Session(engine) as session:
                _append(session, 1, actor="quick")
                session.commit()
            done.set()

        thread = threading.Thread(target=quick)
        thread.start()
        finished = done.wait(timeout=60)  # a guard against a hang, not a timing
        slow.commit()
        thread.join()
        assert finished
    with Session(engine) as session:
        assert audit.verify(session=session).ok
        actors = list(session.exec(select(AuditEntry.actor).order_by(AuditEntry.id)).all())
        assert actors == ["tester", "quick", "tester", "slow", "slow"]
