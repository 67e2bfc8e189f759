"""Every write to the catalogue, in one namespace: `from catalog import service as
catalog_service; catalog_service.create_solution(...)`.

Validate, change, flush (never commit), and leave a trace in the audit chain and the
outbox (so the search index follows); callers commit once at the request or command
boundary. The functions live with their record family: catalog/listing_service.py
(providers, solutions), catalog/pilot_service.py (enterprises, needs, chain links,
engagements), on the shared machinery of catalog/service_core.py (audit snapshots, bulk
inserts for imports, optimistic concurrency as a database condition).
"""

from __future__ import annotations

from catalog.listing_service import (
    change_provider_status,
    change_solution_status,
    create_provider,
    create_solution,
    enqueue_provider_solutions,
    get_provider,
    get_solution,
    new_provider,
    new_solution,
    provider_values,
    set_solution_excellent,
    solution_values,
    update_provider,
    update_solution,
)
from catalog.pilot_service import (
    create_chain_link,
    create_engagement,
    create_enterprise,
    create_need,
    delete_chain_link,
    delete_need,
    enterprise_values,
    get_chain_link,
    get_engagement,
    get_enterprise,
    get_need,
    need_values,
    new_enterprise,
    new_need,
    reorder_needs,
    update_chain_link,
    update_engagement,
    update_enterprise,
    update_need,
)
from catalog.service_core import (
    FIELDS,
    STALE,
    apply_changes,
    complete_values,
    conflict_on_stale,
    find_by_keys,
    flush,
    insert_many,
    insert_rows,
    probable_duplicate,
    record_change,
    snapshot,
)

__all__ = [
    "FIELDS", "STALE", "apply_changes", "change_provider_status", "change_solution_status", "complete_values",
    "conflict_on_stale",
    "create_chain_link", "create_engagement", "create_enterprise", "create_need", "create_provider",
    "create_solution", "delete_chain_link", "delete_need", "enqueue_provider_solutions", "enterprise_values",
    "find_by_keys", "flush", "get_chain_link", "get_engagement", "get_enterprise", "get_need", "get_provider",
    "get_solution", "insert_many", "insert_rows", "need_values", "new_enterprise", "new_need", "new_provider",
    "new_solution", "probable_duplicate", "provider_values", "record_change", "reorder_needs",
    "set_solution_excellent", "snapshot", "solution_values", "update_chain_link", "update_engagement",
    "update_enterprise", "update_need", "update_provider", "update_solution",
]
