"""One Settings object (MARKET_ prefix); nothing else reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MARKET_", extra="ignore")

    var_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""
    secret_key: str = ""
    # Meilisearch: empty URL means "start a local child process".
    meili_url: str = Field(default="", validation_alias="MEILI_URL")
    meili_master_key: str = Field(default="", validation_alias="MEILI_MASTER_KEY")
    meili_binary: Path = PROJECT_ROOT / "vendor" / "meilisearch" / "meilisearch"
    meili_index_prefix: str = "szt"
    # Run each search in a worker thread, blocking (search_index.query.search_solutions), rather
    # than on the event loop as steps that ask the engine only when the learnt catalogue cannot
    # answer. Off by default: bench/search.py measures both in one run, and the steps keep
    # their place only while they serve markedly more searches per second.
    search_in_thread: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    session_hours: int = 8
    max_upload_mb: int = 20  # a file upload (multipart)
    max_imports: int = Field(default=1, ge=1)  # imports a worker runs at once (the rest: 503, retry)
    max_body_kb: int = 256  # any other request body (JSON, a form): far above every field's bound
    # The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated
    # addresses, as uvicorn's forwarded_allow_ips). Empty: none, the peer's address is the client's.
    forwarded_allow_ips: str = ""
    # Strict-Transport-Security max-age on HTTPS responses; 0 sends none (set it once HTTPS works).
    hsts_seconds: int = Field(default=0, ge=0)
    # Requests a worker runs at once (the rest wait, searches first; see market.admission).
    max_active_requests: int = Field(default=6, ge=1)

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file under var/."""
        if self.database_url:
            return self.database_url
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.var_dir / 'market.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
