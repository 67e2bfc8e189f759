"""HSTS behind a setting, on HTTPS responses only (finding 12)."""

from __future__ import annotations

import warnings
from pathlib import Path

from market.app import create_app
from market.settings import Settings

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402


def _settings(database_url: str, tmp_path: Path, **extra: object) -> Settings:
    return Settings(database_url=database_url, var_dir=tmp_path / "var", secret_key="test-secret-key", meili_url="",
                    **extra)


def test_hsts_is_sent_over_https_when_set(database_url: str, tmp_path: Path) -> None:
    app = create_app(_settings(database_url, tmp_path, hsts_seconds=31_536_000), migrate_db=False)
    with TestClient(app, base_url="https://testserver") as secure:
        assert secure.get("/login").headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    with TestClient(app, base_url="http://testserver") as plain:
        assert "strict-transport-security" not in plain.get("/login").headers


def test_no_hsts_by_default(database_url: str, tmp_path: Path) -> None:
    app = create_app(_settings(database_url, tmp_path), migrate_db=False)
    with TestClient(app, base_url="https://testserver") as secure:
        response = secure.get("/login")
    assert response.status_code == 200 and "strict-transport-security" not in response.headers
