"""服务商 (providers): records, schemas and writes; also the listing status (能进能出) shared with solutions."""
