"""Dashboard widgets; each takes plain data (scenario models, snapshots, event records)."""
