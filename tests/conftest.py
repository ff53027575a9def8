from __future__ import annotations

import pytest

from replylint import Linter


@pytest.fixture(scope="session")
def linter() -> Linter:
    """One shared linter, as a helpdesk would hold it."""
    return Linter()


def names(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.name for f in report.findings]
