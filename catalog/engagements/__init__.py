"""对接成果 (engagements: enterprise × solution): records, schemas, writes and the workflow 意向 → 签约 → 实施中 → 已验收."""
