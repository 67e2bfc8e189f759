"""Authentication: passwords (via catalog.users.service), login sessions, API tokens, rate limits, CSRF."""

from market.auth.service import authenticate, change_password, login, logout

__all__ = ["authenticate", "change_password", "login", "logout"]
