"""链式转型: the supply-chain graph, its analyses, shared needs, coverage and the chain proposal."""
