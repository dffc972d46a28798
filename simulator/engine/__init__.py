"""The SimPy engine: one model of alert levels, readiness, injects, decisions and the adversary."""
