"""试点企业 (enterprises) and their need lists (需求): records, schemas and writes."""
