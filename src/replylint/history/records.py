"""From a draft to what the history stores and looks up (brand, customer, fingerprint)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from replylint.history.fingerprint import Fingerprint, brand_key, fingerprint
from replylint.history.store import SentReply, customer_key
from replylint.models import Draft, utc_now

if TYPE_CHECKING:
    from replylint.config import Config

_LEADING_HANDLE = re.compile(r"\s*@(\w{1,50})")


def draft_brand(draft: Draft, config: Config) -> str:
    """The brand a draft speaks for: its own ``brand.handle``, else the configured brand."""
    if draft.brand and draft.brand.handle:
        return brand_key(draft.brand.handle)
    if config.brand.handles:
        return brand_key(config.brand.handles[0])
    return brand_key(config.brand.name)


def draft_customer(draft: Draft, config: Config) -> str | None:
    """The customer's handle: ``customer.handle``, else the first leading @mention not the brand's."""
    if draft.customer and draft.customer.handle:
        return customer_key(draft.customer.handle)
    own = {brand_key(h) for h in config.brand.handles}
    if draft.brand and draft.brand.handle:
        own.add(brand_key(draft.brand.handle))
    position = 0
    while match := _LEADING_HANDLE.match(draft.text, position):
        handle = match.group(1).lower()
        if handle not in own:
            return handle
        position = match.end()
    return None


def draft_fingerprint(draft: Draft, config: Config) -> Fingerprint:
    """The draft's fingerprint with the customer's and agents' names and signatures masked."""
    names: list[str | None] = [draft.customer.name if draft.customer else None, draft_customer(draft, config)]
    signatures: list[str | None] = []
    if draft.agent:
        names.append(draft.agent.name)
        signatures.append(draft.agent.signature)
    for agent in config.brand.agents:
        names.append(agent.name)
        signatures.append(agent.signature)
    return fingerprint(draft.text, names, signatures)


def sent_reply(draft: Draft, config: Config, fp: Fingerprint | None = None) -> SentReply:
    """What ``record_sent`` stores for a draft that was sent (at ``created_at``, or now)."""
    return SentReply(
        brand=draft_brand(draft, config),
        sent_at=draft.created_at or utc_now(),
        fingerprint=fp or draft_fingerprint(draft, config),
        reply_id=draft.id,
        customer=draft_customer(draft, config),
        text=draft.text,
    )
