import pytest
from sqlmodel import Session

from catalog import outbox


def test_pending_done_and_failed(session: Session) -> None:
    first = outbox.enqueue(session=session, record_type="solution", record_id=1)
    second = outbox.enqueue(session=session, record_type="need", record_id=2, op="delete")
    third = outbox.enqueue(session=session, record_type="provider", record_id=3)
    session.commit()
    assert [e.id for e in outbox.pending(session=session, limit=10)] == [first.id, second.id, third.id]
    outbox.mark_done(session=session, ids=[first.id])  # type: ignore[list-item]
    outbox.mark_failed(session=session, ids=[second.id], error="Meilisearch 不可用")  # type: ignore[list-item]
    session.commit()
    session.expire_all()
    left = outbox.pending(session=session, limit=10)
    assert [e.id for e in left] == [second.id, third.id]
    assert left[0].attempts == 1 and left[0].last_error == "Meilisearch 不可用"
    assert [e.id for e in outbox.pending(session=session, limit=10, max_attempts=1)] == [third.id]
    assert len(outbox.pending(session=session, limit=1, lock=True)) == 1


def test_unknown_record_type_is_refused(session: Session) -> None:
    with pytest.raises(ValueError):
        outbox.enqueue(session=session, record_type="user", record_id=1)
