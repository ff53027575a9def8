"""replylint: lint drafted brand replies on social networks before they are sent.

>>> import replylint
>>> report = replylint.check("@marie Bonjour {{first_name}} !", language="fr")
>>> report.findings[0].name
'unfilled-placeholder'
"""

from replylint.config import Config, ConfigError
from replylint.engine import Linter, check
from replylint.models import (
    Agent,
    Applicability,
    Brand,
    Customer,
    Draft,
    Edit,
    Evidence,
    Finding,
    Fix,
    Inbound,
    Report,
    Severity,
)
from replylint.rule import Example, Rule

__version__ = "0.1.0"

__all__ = [
    "Agent",
    "Applicability",
    "Brand",
    "Config",
    "ConfigError",
    "Customer",
    "Draft",
    "Edit",
    "Evidence",
    "Example",
    "Finding",
    "Fix",
    "Inbound",
    "Linter",
    "Report",
    "Rule",
    "Severity",
    "__version__",
    "check",
]
