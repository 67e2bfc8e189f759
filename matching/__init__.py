"""Matching: pure computation over plain records (no HTTP, no database, no Meilisearch)."""
