"""Child identifiers never reach the store: each is replaced on import by a keyed hash (HMAC-SHA256).

The same child gets the same pseudonym in every year's return and in both returns, because the
key and the input are the same; without the key the pseudonym cannot be reversed or recomputed.
"""
import hashlib

from django.conf import settings

# HMAC-SHA256 (RFC 2104), as hmac.new(key, message, hashlib.sha256) computes it. The key's inner and outer
# SHA-256 states, with the fixed start of the message taken in, are prepared once; each identifier then costs
# two state copies and two short updates, less than half of hmac.new's set-up for every identifier (a return
# has hundreds of thousands). tests/returns/test_streaming.py checks it against the hmac module.
_BLOCK_SIZE = 64  # bytes, SHA-256's
_INNER_PAD = bytes(x ^ 0x36 for x in range(256))
_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


def _keyed(key, prefix, upper=False):
    """A function of a text: the first 32 hex digits of HMAC-SHA256(key, prefix + the text stripped (upper case))."""
    if len(key) > _BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK_SIZE, b"\0")
    inner_start = hashlib.sha256(key.translate(_INNER_PAD))
    inner_start.update(prefix)
    outer_start = hashlib.sha256(key.translate(_OUTER_PAD))

    def pseudonym(text):
        inner = inner_start.copy()
        inner.update((text.strip().upper() if upper else text.strip()).encode())
        outer = outer_start.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:32]

    return pseudonym


class Pseudonymiser:
    def __init__(self, key=None):
        key = key if key is not None else settings.CHILD_ID_HASH_KEY
        self._key = key.encode() if isinstance(key, str) else key
        self._upn = _keyed(self._key, b"UPN:", upper=True)
        self._children = {}  # authority code -> child(that code, ·)

    def child(self, la_code, local_id):
        """LA child IDs are local to an authority: the authority code is part of the input."""
        return self.hasher(la_code)(local_id)

    def hasher(self, la_code):
        """child(la_code, ·) as a function of the identifier alone, for the many children of one return."""
        child = self._children.get(la_code)
        if child is None:
            child = self._children[la_code] = _keyed(self._key, f"{la_code}:".encode())
        return child

    def upn(self, upn):
        """UPNs are national: the same pupil links across authorities."""
        if not upn:
            return None
        return self._upn(upn)


def key_fingerprint(key=None):
    """Names the pseudonymisation key without revealing it: HMAC-SHA256 of a fixed text under the key, 16 hex
    digits. Two pools or stores with the same fingerprint made their pseudonyms under the same key, so the same
    child matches across them (a pool's manifest carries it: indicators/engine/pool.py, ADR 0030)."""
    import hmac

    key = key if key is not None else settings.CHILD_ID_HASH_KEY
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, b"partnership pool key fingerprint", hashlib.sha256).hexdigest()[:16]
