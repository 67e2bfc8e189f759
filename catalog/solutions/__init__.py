"""小快轻准产品和解决方案 (solutions): records, schemas and writes."""
