"""Commands of the `market` CLI, one module per concern."""
