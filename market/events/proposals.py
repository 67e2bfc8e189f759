"""The matcher (matching.scoring) handed to an event's proposals and request scores.

Which counterparts are proposed, which needs and offerings they compare and who may meet whom
are catalog.events.proposals'; `catalog` imports no `matching`, so the score of a need against
an offering comes from the matcher built here over the offerings compared (their providers
without their engagement record, as at the event).
"""

from __future__ import annotations

from sqlmodel import Session

from catalog.enterprises.models import Enterprise, Need
from catalog.events import proposals as event_proposals
from catalog.events.models import Event, EventParticipant
from catalog.events.proposals import PairMatch, PairMatcher, Proposal
from catalog.events.service import PairScore
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from market.matching.context import enterprise_record, need_record, provider_record, solution_record
from matching.context import MatchContext
from matching.scoring import ScoredMatch, score


def _why(match: ScoredMatch) -> str:
    """The two parts that weigh most in a score, in Chinese."""
    parts = sorted(match.components, key=lambda c: -c.value * c.weight)[:2]
    return "；".join(c.reason_zh for c in parts if c.reason_zh)


def matcher(solutions: list[Solution], providers: list[Provider]) -> PairMatcher:
    """The matcher's pair scorer over these offerings (catalog.events.proposals.Matcher)."""
    ctx = MatchContext([solution_record(s) for s in solutions],
                       {str(p.id): provider_record(p, {}) for p in providers})

    def pair(need: Need, enterprise: Enterprise, solution: Solution, provider: Provider) -> PairMatch:
        match = score(need_record(need, with_budget=enterprise.share_budget),
                      enterprise_record(enterprise, with_budget=enterprise.share_budget),
                      solution_record(solution), provider_record(provider, {}), ctx)
        return PairMatch(match.total, _why(match))

    return pair


def proposals(*, session: Session, event: Event, participant: EventParticipant,
              limit: int = event_proposals.PROPOSAL_LIMIT) -> list[Proposal]:
    """The best counterparts for a participant, scored by the matcher (catalog.events.proposals.proposals)."""
    return event_proposals.proposals(session=session, event=event, participant=participant,
                                     matcher=matcher, limit=limit)


def pair_scorer(*, session: Session, event: Event) -> PairScore:
    """The matcher's score of a request between two participants (catalog.events.proposals.pair_score)."""
    return event_proposals.pair_score(session=session, event=event, matcher=matcher)
