"""The pilot's progress: measures computed from the records, the dashboard, exports, lists."""
