"""Starting the service: ``replylint serve`` and the per-worker application factory."""

from __future__ import annotations

import logging.config
import os
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from replylint.config import Config, ConfigError

#: Environment passed from ``replylint serve`` to its worker processes.
CONFIG_ENV = "REPLYLINT_CONFIG"
REPLAY_ENV = "REPLYLINT_REPLAY_CACHE"


def app_from_env() -> FastAPI:
    """The application for this process, from ``$REPLYLINT_CONFIG`` or the discovered config.

    Each uvicorn worker calls this in its own process, so each builds its own linter.
    """
    from replylint.server.factory import create_app

    path = os.environ.get(CONFIG_ENV) or None
    return create_app(Config.load(path))


def check_binding(host: str, config: Config) -> None:
    """Refuse to listen off loopback without a bearer token."""
    from replylint.server.factory import resolve_secrets
    from replylint.server.security import is_loopback

    token, _ = resolve_secrets(config.server)
    if not is_loopback(host) and token is None:
        raise ConfigError(
            f"refusing to listen on {host} without authentication: set REPLYLINT_TOKEN "
            "(or [tool.replylint.server] token), or bind to 127.0.0.1"
        )


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, plus the service's own logger (ids, rule codes, timings; never texts)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG, "loggers": dict(LOGGING_CONFIG["loggers"])}
    config["loggers"]["replylint"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    workers: int = 1,
    config_path: str | Path | None = None,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Run the service with uvicorn (blocks). Raises :class:`ConfigError` before listening."""
    import uvicorn

    from replylint.server.factory import create_app

    path = str(Path(config_path).resolve()) if config_path else None
    config = Config.load(path)
    check_binding(host, config)
    create_app(config)  # validate policy and secrets once, before any worker starts
    os.environ[CONFIG_ENV] = path or ""
    cleanup: Path | None = None
    if workers > 1 and not (os.environ.get(REPLAY_ENV) or config.server.replay_cache):
        # Signatures seen by one worker must be refused by the others.
        folder = Path(tempfile.mkdtemp(prefix="replylint-"))
        cleanup = folder
        os.environ[REPLAY_ENV] = str(folder / "replay.sqlite3")
    logging.config.dictConfig(log_config(log_level))
    try:
        uvicorn.run(
            "replylint.server.run:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=log_config(log_level),
            log_level=log_level,
            access_log=access_log,
            proxy_headers=False,
            server_header=False,
        )
    finally:
        if cleanup is not None:
            for item in cleanup.iterdir():
                item.unlink(missing_ok=True)
            cleanup.rmdir()
