"""Commands of the `market` CLI that belong to no one feature: `market serve`, `market backup` / `restore`."""
