"""Voting codes and receipts: how they are made, written, read back and hashed.

Codes use an alphabet without look-alikes (no 0/O, 1/I/L), 10 characters (about 50 bits), printed as
two groups of five. Only an HMAC of the code, keyed by the app's secret and bound to the round, is
stored: the clear code exists on the printed slip and nowhere else.
"""
import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_receipt():
    return new_code()


def display(code):
    """XXXXX-XXXXX for slips and receipts."""
    return f"{code[:5]}-{code[5:]}" if len(code) == LENGTH else code


def normalise(text):
    """The code as typed or scanned (a URL with ?code=, spaces, dashes, lower case) → canonical, or None."""
    if not isinstance(text, str):
        return None
    if "code=" in text:
        text = text.split("code=", 1)[1].split("&", 1)[0]
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def is_receipt(text):
    return normalise(text) is not None


def code_hash(secret, round_id, code):
    """The stored form of a code: HMAC-SHA256 over the round and the canonical code."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"{round_id}:{code}".encode(), hashlib.sha256).hexdigest()
