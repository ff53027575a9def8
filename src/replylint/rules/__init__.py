"""The rules: one module per rule, discovered by ``replylint.registry``.

Phrase data lives beside them in ``<lang>/<rule-name>.toml`` (see ``replylint.phrases``).
"""
