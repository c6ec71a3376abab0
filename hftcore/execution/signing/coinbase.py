"""Coinbase Advanced Trade signer: one JWT per request (CDP API keys).

ES256 with an EC P-256 key, or EdDSA with an Ed25519 key; ``iss="cdp"``, ``sub=kid=`` key name,
120 s lifetime, ``uri="METHOD host/path"`` (no ``uri`` for a WebSocket subscribe).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping

from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256

from hftcore.config import Secret
from hftcore.errors import SigningError
from hftcore.execution.signing.keys import load_pem, require_secret

COINBASE_JWT_LIFETIME_S = 120
"""Coinbase JWTs expire 2 minutes after ``nbf``."""


class CoinbaseJwtSigner:
    """Builds the per-request JWTs of Coinbase Advanced Trade (CDP API keys).

    Parameters
    ----------
    key_name : str
        The API key name, ``organizations/{org_id}/apiKeys/{key_id}`` (``kid`` and ``sub``).
    private_key : Secret
        An EC P-256 private key in PEM (``ES256``), or an Ed25519 key as base64 of its 32-byte
        seed or 64-byte seed+public key (``EdDSA``).

    Raises
    ------
    TypeError
        If ``private_key`` is not a Secret.
    SigningError
        If the key is neither (the key is not shown).
    """

    __slots__ = ("_algorithm", "_private_key", "key_name")

    def __init__(self, key_name: str, private_key: Secret) -> None:
        if not key_name:
            raise SigningError("key_name: expected the CDP API key name, got an empty string")
        self.key_name = key_name
        text = require_secret(private_key, "private_key").reveal().strip()
        if text.startswith("-----BEGIN"):
            key = load_pem(private_key, "private_key")
            if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1":
                self._algorithm = "ES256"
            elif isinstance(key, ed25519.Ed25519PrivateKey):
                self._algorithm = "EdDSA"
            else:
                raise SigningError(
                    f"private_key: expected an EC P-256 or Ed25519 key, got {type(key).__name__}"
                )
            self._private_key = key
            return
        try:
            raw = base64.b64decode(text, validate=True)
        except ValueError:
            raise SigningError(
                "private_key: expected a PEM key or a base64 Ed25519 key; it is neither"
            ) from None
        if len(raw) not in (32, 64):
            raise SigningError(
                f"private_key: a base64 Ed25519 key must decode to 32 or 64 bytes, got {len(raw)}"
            )
        self._private_key = ed25519.Ed25519PrivateKey.from_private_bytes(raw[:32])
        self._algorithm = "EdDSA"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key_name={self.key_name!r}, algorithm={self._algorithm!r})"

    @property
    def algorithm(self) -> str:
        """JWT ``alg``: ``"ES256"`` or ``"EdDSA"``."""
        return self._algorithm

    def jwt(
        self,
        now_s: int,
        method: str | None = None,
        host: str | None = None,
        path: str | None = None,
        nonce: str | None = None,
    ) -> str:
        """Return a signed JWT for one REST request, or for a WebSocket subscribe (no ``uri``).

        Parameters
        ----------
        now_s : int
            Current time, UNIX seconds (``nbf``; ``exp`` is 120 s later).
        method, host, path : str, optional
            The request, e.g. ``"GET"``, ``"api.coinbase.com"``,
            ``"/api/v3/brokerage/accounts"``; give all three for REST, none for WebSocket.
        nonce : str, optional
            Header ``nonce``; random hex by default (give one only in tests).

        Returns
        -------
        str
            ``header.claims.signature``, base64url without padding.

        Raises
        ------
        SigningError
            If only some of ``method``, ``host`` and ``path`` are given.
        """
        parts = (method, host, path)
        if any(part is None for part in parts) and not all(part is None for part in parts):
            raise SigningError("jwt: give method, host and path together (REST) or none (WS)")
        header = {
            "alg": self._algorithm,
            "kid": self.key_name,
            "nonce": secrets.token_hex(16) if nonce is None else nonce,
            "typ": "JWT",
        }
        claims: dict[str, object] = {
            "iss": "cdp",
            "sub": self.key_name,
            "nbf": now_s,
            "exp": now_s + COINBASE_JWT_LIFETIME_S,
        }
        if method is not None:
            claims["uri"] = f"{method.upper()} {host}{path}"
        signing_input = f"{_b64url_json(header)}.{_b64url_json(claims)}".encode("ascii")
        if self._algorithm == "ES256":
            der = self._private_key.sign(signing_input, ec.ECDSA(SHA256()))
            r, s = decode_dss_signature(der)
            signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        else:
            signature = self._private_key.sign(signing_input)
        return f"{signing_input.decode('ascii')}.{_b64url(signature)}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_json(value: Mapping[str, object]) -> str:
    return _b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))
