"""cbrn-ttx domain: scenario format, SimPy engine, sessions, batch runs and reports.

Nothing in this package imports a terminal UI library; ``tui`` depends on it, never the reverse.
"""

__version__ = "0.1.0"
