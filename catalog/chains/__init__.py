"""产业链关系 (chain links: leader → member): records, schemas and writes."""
