"""The Meilisearch index: settings, documents, sync from the database, search."""
