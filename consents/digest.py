"""The ledger's part of the privacy officer's daily digest (privacy_register.jobs): the newest
signed checkpoint, so that every checkpoint also lands in a mailbox no database administrator
reaches — a witness of the ledger's size and root on that day (RFC 9162 §8.3, gossip). Declared
on `ConsentsConfig.register_digest_section`; the register reads the declaration and never imports
this app."""

import datetime as dt
import json

from django.utils.translation import gettext as _

from consents import anchor
from consents.models import LedgerCheckpoint


def checkpoint_section(*, today: dt.date) -> str:
    """The newest checkpoint as the store outside the database holds it (the database's copy
    when the store has none yet), with how to check it; empty when there is none."""
    checkpoint = anchor.newest_checkpoint()
    if checkpoint is None:
        newest = LedgerCheckpoint.objects.order_by("-tree_size", "-signed_at").first()
        checkpoint = newest.payload() if newest else None
    if checkpoint is None:
        return ""
    heading = _(
        "Grootboek van toestemmingen: het nieuwste ondertekende controlepunt (%(size)s "
        "gebeurtenissen, ondertekend op %(at)s). Bewaar deze mail: `manage.py "
        "verify_consent_ledger` en tools/verify_receipt.py toetsen het grootboek eraan."
    ) % {"size": checkpoint["tree_size"], "at": checkpoint["signed_at"]}
    return f"{heading}\n{json.dumps(checkpoint, sort_keys=True, indent=2)}\n"
