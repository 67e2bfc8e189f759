"""The cached match context: rebuilt after every catalogue change (and only then), from
records kept by version, by one thread at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select
from web_builders import World, solution

from catalog.db import get_engine
from catalog.engagements import queries as engagement_queries
from catalog.engagements.models import Engagement, EngagementStatus
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise
from catalog.enterprises.schemas import NeedCreate, NeedUpdate
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions.models import Solution
from market.matching import read_ahead
from market.matching.context import catalogue_fingerprint, match_context


def _names(database_url: str) -> set[str]:
    with Session(get_engine(database_url)) as session:
        return {s.name for s in match_context(session).solutions}


def test_unchanged_catalogue_gives_the_same_context(database_url: str, world: World) -> None:
    with Session(get_engine(database_url)) as session:
        first = match_context(session)
        assert match_context(session) is first
        assert {s.name for s in first.solutions} == {"设备点检云", "起重机远程运维"}  # published only


def test_edits_withdrawals_and_new_listings_reach_the_context(database_url: str, world: World) -> None:
    assert _names(database_url) == {"设备点检云", "起重机远程运维"}
    with Session(get_engine(database_url)) as session:
        record = session.get(Solution, world.ids["sol_a"])
        assert record is not None
        record.description = "设备点检云：扫码点检，停机预警，备件寿命预测"
        session.add(record)
        withdrawn = session.get(Solution, world.ids["sol_b"])
        assert withdrawn is not None
        withdrawn.status = ListingStatus.SUSPENDED
        session.add(withdrawn)
        session.commit()
        provider_id = record.provider_id
        added = solution(session, provider_id, "JJ-009", "备件库存小助手").id
        session.commit()
    with Session(get_engine(database_url)) as session:
        ctx = match_context(session)
        assert {s.name for s in ctx.solutions} == {"设备点检云", "备件库存小助手"}
        edited = ctx.solutions[ctx.position[str(world.ids["sol_a"])]]
        assert "备件寿命预测" in edited.description
        assert str(added) in ctx.position


def test_a_provider_withdrawn_takes_its_listings_out(database_url: str, world: World) -> None:
    with Session(get_engine(database_url)) as session:
        provider = session.get(Provider, world.ids["provider_b"])
        assert provider is not None
        provider.status = ListingStatus.SUSPENDED
        session.add(provider)
        session.commit()
    assert _names(database_url) == {"设备点检云"}


def test_fingerprint_changes_even_when_a_late_commit_carries_an_older_timestamp(
        database_url: str, world: World) -> None:
    with Session(get_engine(database_url)) as session:
        before = catalogue_fingerprint(session)
        record = session.get(Solution, world.ids["sol_a"])
        assert record is not None
        record.updated_at = datetime(2020, 1, 1, tzinfo=UTC)  # as if its transaction began long ago
        session.add(record)
        session.commit()
        assert catalogue_fingerprint(session) != before


def test_engagement_ratings_reach_the_providers_record(database_url: str, world: World) -> None:
    with Session(get_engine(database_url)) as session:
        assert match_context(session).provider(str(world.ids["provider_a"])).rating_count == 0
        engagement = session.get(Engagement, world.ids["engagement"])
        assert engagement is not None
        engagement.status = EngagementStatus.ACCEPTED
        engagement.rating = 4
        session.add(engagement)
        session.commit()
        record = match_context(session).provider(str(world.ids["provider_a"]))
        assert (record.accepted, record.rating_sum, record.rating_count) == (1, 4.0, 1)


def test_engagement_stats_count_by_provider_and_status(database_url: str, world: World) -> None:
    with Session(get_engine(database_url)) as session:
        first = session.get(Engagement, world.ids["engagement"])
        assert first is not None
        template = {k: v for k, v in first.model_dump().items() if k not in ("id", "version")}
        for status, rating in ((EngagementStatus.ACCEPTED, 5), (EngagementStatus.TERMINATED, 2),
                               (EngagementStatus.TERMINATED, None)):
            session.add(Engagement(**{**template, "status": status, "rating": rating,
                                      "created_at": datetime.now(UTC) - timedelta(days=1)}))
        session.commit()
        rows = session.exec(select(Engagement.provider_id, Engagement.status, Engagement.rating)).all()
        stats = engagement_queries.provider_records(session=session)[str(world.ids["provider_a"])]
    assert stats["accepted"] == sum(1 for _, s, _ in rows if s == EngagementStatus.ACCEPTED) == 1
    assert stats["terminated"] == 2
    assert (stats["rating_sum"], stats["rating_count"]) == (7, 2)


def test_threads_asking_after_a_change_share_one_build(database_url: str, world: World) -> None:
    engine = get_engine(database_url)
    with Session(engine) as session:
        old = match_context(session)
        record = session.get(Solution, world.ids["sol_a"])
        assert record is not None
        record.name = "设备点检云（新版）"
        session.add(record)
        session.commit()

    def ask(_: int) -> object:
        with Session(engine) as own:
            return match_context(own)

    with ThreadPoolExecutor(max_workers=8) as pool:
        contexts = list(pool.map(ask, range(16)))
    assert all(c is contexts[0] for c in contexts)  # one build, handed to every waiting thread
    assert contexts[0] is not old


def test_rows_replaced_under_the_same_ids_and_versions_are_reloaded(database_url: str, world: World) -> None:
    """As when another database's backup is restored in place: same ids, same versions,
    other content and times."""
    with Session(get_engine(database_url)) as session:
        before = match_context(session)
        assert "备件寿命" not in before.solutions[before.position[str(world.ids["sol_a"])]].description
        session.execute(sa.update(Solution).where(Solution.id == world.ids["sol_a"]).values(
            description="备件寿命预测与库存联动", updated_at=datetime(2031, 1, 1, tzinfo=UTC)))
        session.commit()
        after = match_context(session)
        assert after.solutions[after.position[str(world.ids["sol_a"])]].description == "备件寿命预测与库存联动"


def test_a_large_catalogue_answers_from_its_last_context_while_the_next_is_built(
        database_url: str, world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    from market.matching import context as contexts

    monkeypatch.setattr(contexts, "BUILT_BEHIND", 1)  # the two published listings count as large
    with Session(get_engine(database_url)) as session:
        first = match_context(session)
        record = session.get(Solution, world.ids["sol_a"])
        assert record is not None
        record.name = "设备点检云（新版）"
        session.add(record)
        session.commit()
        first.read_ahead(["起重机老是漏油，想做预测性维护"])  # as a need it was asked for
        assert match_context(session) is first  # answered at once, from the context it had
        deadline = time.monotonic() + 30
        while match_context(session) is first and time.monotonic() < deadline:
            time.sleep(0.05)
        successor = match_context(session)
        assert "设备点检云（新版）" in {s.name for s in successor.solutions}
        assert "起重机老是漏油，想做预测性维护" in successor.index.remembered(10)  # read before it took over


def test_a_need_saved_is_read_for_recommendations_before_anyone_asks(database_url: str, world: World) -> None:
    read_ahead.install()
    engine = get_engine(database_url)
    with Session(engine) as session:
        ctx = match_context(session)
        enterprise = session.get(Enterprise, world.ids["member_sharing"])
        assert enterprise is not None
        added = enterprise_service.create_need(session=session, enterprise=enterprise,
                                               data=NeedCreate(text="注塑机能耗太高 电费压不下来"), actor="test")
        session.commit()
        enterprise_service.update_need(session=session, need=added, data=NeedUpdate(text="注塑车间电费太高"),
                                       actor="test")
        session.rollback()  # not saved: not read
        read_ahead.wait_until_read()
        remembered = ctx.index.remembered(100)
    assert "注塑机能耗太高 电费压不下来" in remembered
    assert "注塑车间电费太高" not in remembered
