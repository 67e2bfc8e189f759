"""The web app, API, pages, auth, CLI and settings of 数转通."""
