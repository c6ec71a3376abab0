"""Binance signers: HMAC-SHA256 (hex) and Ed25519 (base64) API keys, REST and WebSocket API.

* REST: the query string (plus body), percent-encoded UTF-8, is signed; an HMAC signature is
  lowercase hex, an Ed25519 one base64, percent-encoded again in ``signature=``.
* WebSocket API: all params but ``signature``, sorted by name, ``name=value`` joined with ``&``,
  raw UTF-8.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from cryptography.hazmat.primitives.asymmetric import ed25519

from hftcore.config import Secret
from hftcore.errors import SigningError
from hftcore.execution.signing.keys import HmacKey, as_bytes, load_pem, require_secret

ParamItems = Mapping[str, object] | Iterable[tuple[str, object]]
"""Request parameters as a mapping or as (name, value) pairs, in sending order."""

_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
# RFC 3986 unreserved characters: never percent-encoded.


def binance_query_string(params: ParamItems) -> str:
    """Return ``params`` as the query string Binance signs: ``name=value&...``, UTF-8 %-encoded.

    Parameters
    ----------
    params : mapping or iterable of (str, object)
        Parameters in sending order; values are converted with ``str``.

    Returns
    -------
    str
    """
    items = params.items() if isinstance(params, Mapping) else params
    return "&".join(
        f"{_percent_encode(name)}={_percent_encode(str(value))}" for name, value in items
    )


def binance_ws_payload(params: Mapping[str, object]) -> str:
    """Return the text a Binance WebSocket API request signs: params sorted by name, raw UTF-8.

    Parameters
    ----------
    params : mapping of str to object
        The request's ``params``; a ``signature`` entry is left out.

    Returns
    -------
    str
    """
    return "&".join(f"{name}={params[name]}" for name in sorted(params) if name != "signature")


class BinanceHmacSigner:
    """Signs Binance requests with an HMAC API key.

    Parameters
    ----------
    api_key : Secret
        Sent as the ``X-MBX-APIKEY`` header (REST) or the ``apiKey`` param (WebSocket API).
    secret_key : Secret
        The HMAC key.

    Raises
    ------
    TypeError
        If a key is not a Secret.
    """

    __slots__ = ("_api_key", "_key")

    def __init__(self, api_key: Secret, secret_key: Secret) -> None:
        self._api_key = require_secret(api_key, "api_key")
        self._key = HmacKey(secret_key, "secret_key")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key={self._api_key!r})"

    def headers(self) -> dict[str, str]:
        """Return the authentication header of a REST request: ``{"X-MBX-APIKEY": key}``."""
        return {"X-MBX-APIKEY": self._api_key.reveal()}

    def sign(self, payload: str | bytes) -> str:
        """Return the hex signature of ``payload`` (query string followed by the body).

        Parameters
        ----------
        payload : str or bytes
            Exact bytes sent, already percent-encoded.

        Returns
        -------
        str
        """
        return self._key.digest(payload).hex()

    def signed_query(self, params: ParamItems) -> str:
        """Return ``params`` encoded as a query string with ``&signature=...`` appended.

        Parameters
        ----------
        params : mapping or iterable of (str, object)
            Parameters in sending order, including ``timestamp`` and ``recvWindow``.

        Returns
        -------
        str
        """
        query = binance_query_string(params)
        return f"{query}&signature={self.sign(query)}"

    def sign_ws_params(self, params: Mapping[str, object]) -> str:
        """Return the signature of a WebSocket API request's ``params``.

        Parameters
        ----------
        params : mapping of str to object
            The request's params, with ``apiKey`` and ``timestamp``.

        Returns
        -------
        str
        """
        return self.sign(binance_ws_payload(params))


class BinanceEd25519Signer:
    """Signs Binance requests with an Ed25519 API key.

    Parameters
    ----------
    api_key : Secret
        The API key registered with the Ed25519 public key.
    private_key_pem : Secret
        The Ed25519 private key, PKCS#8 PEM.

    Raises
    ------
    TypeError
        If a key is not a Secret.
    SigningError
        If ``private_key_pem`` is not an Ed25519 PEM private key (the key is not shown).
    """

    __slots__ = ("_api_key", "_private_key")

    def __init__(self, api_key: Secret, private_key_pem: Secret) -> None:
        self._api_key = require_secret(api_key, "api_key")
        key = load_pem(private_key_pem, "private_key_pem")
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise SigningError(
                f"private_key_pem: expected an Ed25519 private key, got {type(key).__name__}"
            )
        self._private_key = key

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key={self._api_key!r})"

    def headers(self) -> dict[str, str]:
        """Return the authentication header of a REST request: ``{"X-MBX-APIKEY": key}``."""
        return {"X-MBX-APIKEY": self._api_key.reveal()}

    def sign(self, payload: str | bytes) -> str:
        """Return the base64 Ed25519 signature of ``payload``.

        Parameters
        ----------
        payload : str or bytes
            Exact bytes signed (UTF-8 encoded when a str).

        Returns
        -------
        str
        """
        return base64.b64encode(self._private_key.sign(as_bytes(payload))).decode("ascii")

    def signed_query(self, params: ParamItems) -> str:
        """Return ``params`` as a query string with the percent-encoded signature appended.

        Parameters
        ----------
        params : mapping or iterable of (str, object)
            Parameters in sending order, including ``timestamp``.

        Returns
        -------
        str
        """
        query = binance_query_string(params)
        return f"{query}&signature={quote(self.sign(query), safe='')}"

    def sign_ws_params(self, params: Mapping[str, object]) -> str:
        """Return the base64 signature of a WebSocket API request's ``params``.

        Parameters
        ----------
        params : mapping of str to object
            The request's params, with ``apiKey`` and ``timestamp``.

        Returns
        -------
        str
        """
        return self.sign(binance_ws_payload(params))


def _percent_encode(text: str) -> str:
    # Same output as urllib's quote(text, safe=""), without its cost for the usual plain text.
    return text if not text.strip(_UNRESERVED) else quote(text, safe="")
