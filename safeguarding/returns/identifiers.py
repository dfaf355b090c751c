"""Child identifiers never reach the store: each is replaced on import by a keyed hash (HMAC-SHA256).

The same child gets the same pseudonym in every year's return and in both returns, because the
key and the input are the same; without the key the pseudonym cannot be reversed or recomputed.
"""
import hashlib
import hmac

from django.conf import settings


class Pseudonymiser:
    def __init__(self, key=None):
        key = key if key is not None else settings.CHILD_ID_HASH_KEY
        self._key = key.encode() if isinstance(key, str) else key

    def child(self, la_code, local_id):
        """LA child IDs are local to an authority: the authority code is part of the input."""
        return hmac.new(self._key, f"{la_code}:{local_id.strip()}".encode(), hashlib.sha256).hexdigest()[:32]

    def upn(self, upn):
        """UPNs are national: the same pupil links across authorities."""
        if not upn:
            return None
        return hmac.new(self._key, f"UPN:{upn.strip().upper()}".encode(), hashlib.sha256).hexdigest()[:32]
