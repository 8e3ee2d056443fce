"""Checks on the vendor's Maskinporten key and client id before they are stored."""

import uuid

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# Digdir issues keys of at least 2048 bits; smaller ones are refused by Maskinporten.
MIN_RSA_BITS = 2048


class InvalidKey(ValueError):
    """``reason`` is one of: ``empty``, ``format``, ``encrypted``, ``not_rsa``, ``too_small``."""

    def __init__(self, reason, bits=None):
        super().__init__(reason)
        self.reason = reason
        self.bits = bits


def load_rsa_private_key(pem):
    """Return the RSA private key in ``pem`` or raise InvalidKey. Never echoes the key."""
    if not pem or not pem.strip():
        raise InvalidKey("empty")
    try:
        key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    except TypeError as exc:  # a password-protected key
        raise InvalidKey("encrypted") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InvalidKey("format") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InvalidKey("not_rsa")
    if key.key_size < MIN_RSA_BITS:
        raise InvalidKey("too_small", bits=key.key_size)
    return key


def public_key_pem(pem):
    """The public half of ``pem``, to register with Digdir and the simulator."""
    public = load_rsa_private_key(pem).public_key()
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def is_valid_client_id(client_id):
    """Maskinporten client ids are UUIDs, written with hyphens."""
    text = (client_id or "").strip()
    try:
        return len(text) == 36 and str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False
