"""Meeting scheduling for 供需对接 events: the problem, a fast greedy and an exact CP-SAT solver."""
