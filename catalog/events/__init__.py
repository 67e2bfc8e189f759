"""供需对接 events: records, writes, reads and the participant-list import."""
