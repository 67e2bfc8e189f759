"""Needs are read when they are saved, not when they are first recommended for.

Reading a need's text against a large catalogue (understanding it, scoring every offering,
the scenarios it speaks of) is most of what a first recommendation costs. So when a
transaction that added or changed needs commits, their texts are read against the contexts
this process keeps for that database (market.matching.context), by one background thread:
the save does not wait, and the enterprise's recommendation page finds them read. A commit
of more than `MOST_PER_COMMIT` needs (an import) is left to be read on first use, so a bulk
load does not keep the thread (and the interpreter) busy for minutes. Another process
reads them on first use, as before.
"""

from __future__ import annotations

import logging
import queue
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from catalog.enterprises.models import Need
from market.matching.context import cached_contexts

log = logging.getLogger(__name__)

MOST_PER_COMMIT = 64  # needs of one commit read ahead, at most
_PENDING = "needs_to_read"
_work: queue.Queue[tuple[str, list[str]]] = queue.Queue()
_started = threading.Lock()
_reader: threading.Thread | None = None


def install() -> None:
    """Read needs ahead from now on, in this process (once is enough; again does nothing)."""
    for name, listener in (("after_flush", _collect), ("after_commit", _hand_over),
                           ("after_rollback", _forget)):
        if not event.contains(OrmSession, name, listener):
            event.listen(OrmSession, name, listener)


def _collect(session: OrmSession, _context: object) -> None:
    texts = session.info.setdefault(_PENDING, [])
    for record in (*session.new, *session.dirty):
        if isinstance(record, Need) and record.text and len(texts) <= MOST_PER_COMMIT:
            texts.append(record.text)


def _hand_over(session: OrmSession) -> None:
    texts = session.info.pop(_PENDING, None)
    if not texts or len(texts) > MOST_PER_COMMIT:
        return
    url = str(getattr(session.get_bind(), "url", ""))
    if cached_contexts(url):  # nothing kept yet: the first request builds and reads
        _work.put((url, list(dict.fromkeys(texts))))
        _start_reader()


def _forget(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


def _start_reader() -> None:
    global _reader
    with _started:
        if _reader is None or not _reader.is_alive():
            _reader = threading.Thread(target=_read_forever, name="need-reader", daemon=True)
            _reader.start()


def _read_forever() -> None:
    while True:
        url, texts = _work.get()
        try:
            for context in cached_contexts(url):
                context.read_ahead(texts)
        except Exception:  # a reading that fails here is done again, and reported, on first use
            log.exception("reading saved needs ahead failed")
        finally:
            _work.task_done()


def wait_until_read() -> None:
    """Return once every need handed over so far has been read."""
    _work.join()
