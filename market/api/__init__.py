"""The JSON API. Every module here with a `router` is included by market.app.create_app."""
