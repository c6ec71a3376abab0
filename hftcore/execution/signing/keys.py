"""Keys held as :class:`hftcore.config.Secret` objects, and the HMAC-SHA256 primitives.

Every venue signer loads its keys through these helpers, so a key is revealed only to build the
key schedule or the private-key object, and no error raised here contains key material.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from hftcore.config import Secret
from hftcore.errors import SigningError


def hmac_sha256_hex(secret: Secret, payload: str | bytes) -> str:
    """Return the lowercase hex HMAC-SHA256 of ``payload`` keyed with ``secret``.

    Parameters
    ----------
    secret : Secret
        The key (UTF-8 encoded).
    payload : str or bytes
        The exact text signed (UTF-8 encoded when a str).

    Returns
    -------
    str
        64 lowercase hex characters.

    Raises
    ------
    TypeError
        If ``secret`` is not a Secret.
    """
    return HmacKey(secret, "secret").digest(payload).hex()


def hmac_sha256_base64(secret: Secret, payload: str | bytes) -> str:
    """Return the base64 HMAC-SHA256 of ``payload`` keyed with ``secret``.

    Parameters
    ----------
    secret : Secret
        The key (UTF-8 encoded).
    payload : str or bytes
        The exact text signed (UTF-8 encoded when a str).

    Returns
    -------
    str
        44 base64 characters.

    Raises
    ------
    TypeError
        If ``secret`` is not a Secret.
    """
    return base64.b64encode(HmacKey(secret, "secret").digest(payload)).decode("ascii")


class HmacKey:
    """An HMAC-SHA256 key schedule computed once; each digest copies it.

    Parameters
    ----------
    secret : Secret
        The key (UTF-8 encoded).
    field : str
        The caller's parameter name, for the error message.

    Raises
    ------
    TypeError
        If ``secret`` is not a Secret.
    """

    __slots__ = ("_template",)

    def __init__(self, secret: Secret, field: str) -> None:
        key = require_secret(secret, field).reveal().encode("utf-8")
        self._template = hmac.new(key, digestmod=hashlib.sha256)

    def __repr__(self) -> str:
        return "HmacKey(Secret('***'))"

    def digest(self, payload: str | bytes) -> bytes:
        """Return the raw HMAC-SHA256 of ``payload``.

        Parameters
        ----------
        payload : str or bytes
            The exact text signed (UTF-8 encoded when a str).

        Returns
        -------
        bytes
            32 bytes.
        """
        mac = self._template.copy()
        mac.update(as_bytes(payload))
        return mac.digest()


def require_secret(value: object, field: str) -> Secret:
    """Return ``value`` if it is a Secret.

    Parameters
    ----------
    value : object
        The key the caller was given.
    field : str
        The caller's parameter name, for the error message.

    Returns
    -------
    Secret

    Raises
    ------
    TypeError
        If ``value`` is not a Secret (its type is named, never its content).
    """
    if not isinstance(value, Secret):
        raise TypeError(f"{field}: expected hftcore.config.Secret, got {type(value).__name__}")
    return value


def load_pem(secret: Secret, field: str) -> object:
    """Return the private key of an unencrypted PEM held in ``secret``.

    Parameters
    ----------
    secret : Secret
        The PEM text.
    field : str
        The caller's parameter name, for the error message.

    Returns
    -------
    object
        A ``cryptography`` private-key object; the caller checks its type.

    Raises
    ------
    TypeError
        If ``secret`` is not a Secret.
    SigningError
        If the PEM cannot be read (the key is not shown).
    """
    data = require_secret(secret, field).reveal().encode("utf-8")
    try:
        return load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # The library's message may quote the key material: never chain or repeat it.
        raise SigningError(f"{field}: not a readable unencrypted PEM private key") from None


def as_bytes(payload: str | bytes) -> bytes:
    """Return ``payload`` UTF-8 encoded, or unchanged if it is already bytes.

    Parameters
    ----------
    payload : str or bytes

    Returns
    -------
    bytes
    """
    return payload.encode("utf-8") if isinstance(payload, str) else payload
