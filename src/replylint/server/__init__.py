"""The pre-send hook: an HTTP service helpdesks call before a reply goes out.

Needs the optional extra: ``pip install 'replylint[server]'``. Run it with
``replylint serve``, or with any ASGI server::

    uvicorn replylint.server:app            # config discovered from the working directory
    uvicorn --factory replylint.server:app_from_env

``create_app(config, settings)`` builds an application from a :class:`~replylint.Config`;
``app`` is built on first access from ``$REPLYLINT_CONFIG`` (or the discovered config).
"""

from __future__ import annotations

from typing import Any

from replylint.server.factory import create_app
from replylint.server.run import app_from_env, serve

__all__ = ["app", "app_from_env", "create_app", "serve"]

_app: Any = None


def __getattr__(name: str) -> Any:
    # ``app`` is built lazily, so that importing create_app reads no config and builds nothing.
    global _app
    if name == "app":
        if _app is None:
            _app = app_from_env()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
