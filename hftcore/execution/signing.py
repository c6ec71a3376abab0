"""Request signing for each venue: HMAC-SHA256 (hex, base64), Ed25519 and Coinbase JWTs.

Every signer takes its keys as :class:`hftcore.config.Secret` objects and keeps them that way:
``repr`` shows ``Secret('***')``, and no error raised here contains a key, a payload that was
signed, a signature or a signed query string. Signatures are returned to the caller (the
adapter's request builder) and must go nowhere but the request.

Rules, from the venues' documentation (vectors in ``/work/shared/data/signing-vectors.md``):

* Binance REST: lowercase hex HMAC-SHA256 of the query string (plus body), percent-encoded
  UTF-8; Ed25519 keys sign the same bytes, base64, percent-encoded again in ``signature=``.
* Binance WebSocket API: all params but ``signature``, sorted by name, ``name=value`` joined with
  ``&``, raw UTF-8.
* OKX v5: ``Base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body))`` with an
  ISO-8601 millisecond timestamp; WebSocket login signs ``unix_seconds + "GET" +
  "/users/self/verify"``.
* Bybit v5: lowercase hex HMAC-SHA256 of ``timestamp + api_key + recv_window + payload``;
  WebSocket auth signs ``"GET/realtime" + expires``.
* Coinbase Advanced Trade: one JWT per request (ES256 with an EC P-256 key, or EdDSA with an
  Ed25519 key), ``iss="cdp"``, ``sub=kid=`` key name, 120 s lifetime, ``uri="METHOD host/path"``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import quote

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from hftcore.config import Secret
from hftcore.errors import SigningError

COINBASE_JWT_LIFETIME_S = 120
"""Coinbase JWTs expire 2 minutes after ``nbf``."""
OKX_WS_LOGIN_PATH = "/users/self/verify"
"""Request path OKX signs for a WebSocket login."""
BYBIT_WS_AUTH_PREFIX = "GET/realtime"
"""Text Bybit signs, followed by ``expires``, for a WebSocket auth."""

ParamItems = Mapping[str, object] | Iterable[tuple[str, object]]
"""Request parameters as a mapping or as (name, value) pairs, in sending order."""

_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
# RFC 3986 unreserved characters: never percent-encoded.


# -- PRIMITIVES --------------------------------------------------------------------------------


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
    return _HmacKey(secret, "secret").digest(payload).hex()


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
    return base64.b64encode(_HmacKey(secret, "secret").digest(payload)).decode("ascii")


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


def okx_timestamp(timestamp_ms: int) -> str:
    """Return the ISO-8601 UTC millisecond timestamp OKX expects, e.g. ``2020-12-08T09:08:57.715Z``.

    Parameters
    ----------
    timestamp_ms : int
        Venue time, UNIX ms (``ServerTimeSync.timestamp_ms``).

    Returns
    -------
    str
    """
    seconds, millis = divmod(timestamp_ms, 1000)
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis:03d}Z"


# -- BINANCE -----------------------------------------------------------------------------------


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
        self._api_key = _require_secret(api_key, "api_key")
        self._key = _HmacKey(secret_key, "secret_key")

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
        self._api_key = _require_secret(api_key, "api_key")
        key = _load_pem(private_key_pem, "private_key_pem")
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
        return base64.b64encode(self._private_key.sign(_as_bytes(payload))).decode("ascii")

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


# -- OKX ---------------------------------------------------------------------------------------


class OkxSigner:
    """Signs OKX v5 REST requests and WebSocket logins.

    Parameters
    ----------
    api_key : Secret
        ``OK-ACCESS-KEY``.
    secret_key : Secret
        The HMAC key.
    passphrase : Secret
        ``OK-ACCESS-PASSPHRASE``, chosen when the key was created.

    Raises
    ------
    TypeError
        If a key is not a Secret.
    """

    __slots__ = ("_api_key", "_key", "_passphrase")

    def __init__(self, api_key: Secret, secret_key: Secret, passphrase: Secret) -> None:
        self._api_key = _require_secret(api_key, "api_key")
        self._key = _HmacKey(secret_key, "secret_key")
        self._passphrase = _require_secret(passphrase, "passphrase")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key={self._api_key!r})"

    def sign(self, timestamp: str, method: str, request_path: str, body: str = "") -> str:
        """Return ``OK-ACCESS-SIGN``: base64 HMAC of ``timestamp + METHOD + requestPath + body``.

        Parameters
        ----------
        timestamp : str
            ISO-8601 ms timestamp (``okx_timestamp``), the same as ``OK-ACCESS-TIMESTAMP``.
        method : str
            HTTP method; upper-cased.
        request_path : str
            Path with the query string, e.g. ``/api/v5/account/balance?ccy=BTC``.
        body : str, default ""
            JSON body; empty for GET.

        Returns
        -------
        str
        """
        payload = f"{timestamp}{method.upper()}{request_path}{body}"
        return base64.b64encode(self._key.digest(payload)).decode("ascii")

    def headers(
        self, timestamp: str, method: str, request_path: str, body: str = ""
    ) -> dict[str, str]:
        """Return the four ``OK-ACCESS-*`` headers of a REST request.

        Parameters
        ----------
        timestamp : str
            ISO-8601 ms timestamp.
        method : str
            HTTP method.
        request_path : str
            Path with the query string.
        body : str, default ""
            JSON body; empty for GET.

        Returns
        -------
        dict[str, str]
        """
        return {
            "OK-ACCESS-KEY": self._api_key.reveal(),
            "OK-ACCESS-SIGN": self.sign(timestamp, method, request_path, body),
            "OK-ACCESS-TIMESTAMP": timestamp,
            "OK-ACCESS-PASSPHRASE": self._passphrase.reveal(),
        }

    def ws_login_args(self, timestamp_s: int) -> dict[str, str]:
        """Return the ``args`` item of a WebSocket ``login`` request.

        Parameters
        ----------
        timestamp_s : int
            Venue time, UNIX seconds.

        Returns
        -------
        dict[str, str]
            ``apiKey``, ``passphrase``, ``timestamp`` and ``sign``.
        """
        stamp = str(timestamp_s)
        return {
            "apiKey": self._api_key.reveal(),
            "passphrase": self._passphrase.reveal(),
            "timestamp": stamp,
            "sign": self.sign(stamp, "GET", OKX_WS_LOGIN_PATH),
        }


# -- BYBIT -------------------------------------------------------------------------------------


class BybitSigner:
    """Signs Bybit v5 REST requests and WebSocket auths with an HMAC key.

    Parameters
    ----------
    api_key : Secret
        ``X-BAPI-API-KEY``.
    secret_key : Secret
        The HMAC key.

    Raises
    ------
    TypeError
        If a key is not a Secret.
    """

    __slots__ = ("_api_key", "_key")

    def __init__(self, api_key: Secret, secret_key: Secret) -> None:
        self._api_key = _require_secret(api_key, "api_key")
        self._key = _HmacKey(secret_key, "secret_key")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key={self._api_key!r})"

    def pre_hash(self, timestamp_ms: int, recv_window_ms: int, payload: str) -> str:
        """Return the text Bybit signs: ``timestamp + api_key + recv_window + payload``.

        Parameters
        ----------
        timestamp_ms : int
            Venue time, UNIX ms.
        recv_window_ms : int
            Receive window, ms.
        payload : str
            The query string (GET) or the JSON body (POST).

        Returns
        -------
        str
        """
        return f"{timestamp_ms}{self._api_key.reveal()}{recv_window_ms}{payload}"

    def sign(self, timestamp_ms: int, recv_window_ms: int, payload: str) -> str:
        """Return ``X-BAPI-SIGN``, the hex HMAC of :meth:`pre_hash`.

        Parameters
        ----------
        timestamp_ms : int
            Venue time, UNIX ms.
        recv_window_ms : int
            Receive window, ms.
        payload : str
            The query string (GET) or the JSON body (POST).

        Returns
        -------
        str
        """
        return self._key.digest(self.pre_hash(timestamp_ms, recv_window_ms, payload)).hex()

    def headers(self, timestamp_ms: int, recv_window_ms: int, payload: str) -> dict[str, str]:
        """Return the four ``X-BAPI-*`` authentication headers of a REST request.

        Parameters
        ----------
        timestamp_ms : int
            Venue time, UNIX ms.
        recv_window_ms : int
            Receive window, ms.
        payload : str
            The query string (GET) or the JSON body (POST).

        Returns
        -------
        dict[str, str]
        """
        return {
            "X-BAPI-API-KEY": self._api_key.reveal(),
            "X-BAPI-TIMESTAMP": str(timestamp_ms),
            "X-BAPI-RECV-WINDOW": str(recv_window_ms),
            "X-BAPI-SIGN": self.sign(timestamp_ms, recv_window_ms, payload),
        }

    def ws_auth_args(self, expires_ms: int) -> list[object]:
        """Return the ``args`` of a WebSocket ``auth`` request: key, expiry and signature.

        Parameters
        ----------
        expires_ms : int
            Venue time after which the auth request is refused, UNIX ms.

        Returns
        -------
        list
            ``[api_key, expires_ms, signature]``.
        """
        signature = self._key.digest(f"{BYBIT_WS_AUTH_PREFIX}{expires_ms}").hex()
        return [self._api_key.reveal(), expires_ms, signature]


# -- COINBASE ----------------------------------------------------------------------------------


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
        text = _require_secret(private_key, "private_key").reveal().strip()
        if text.startswith("-----BEGIN"):
            key = _load_pem(private_key, "private_key")
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


# -- HELPERS -----------------------------------------------------------------------------------


class _HmacKey:
    """An HMAC-SHA256 key schedule computed once; each digest copies it."""

    __slots__ = ("_template",)

    def __init__(self, secret: Secret, field: str) -> None:
        key = _require_secret(secret, field).reveal().encode("utf-8")
        self._template = hmac.new(key, digestmod=hashlib.sha256)

    def __repr__(self) -> str:
        return "_HmacKey(Secret('***'))"

    def digest(self, payload: str | bytes) -> bytes:
        mac = self._template.copy()
        mac.update(_as_bytes(payload))
        return mac.digest()


def _require_secret(value: object, field: str) -> Secret:
    if not isinstance(value, Secret):
        raise TypeError(f"{field}: expected hftcore.config.Secret, got {type(value).__name__}")
    return value


def _load_pem(secret: Secret, field: str) -> object:
    data = _require_secret(secret, field).reveal().encode("utf-8")
    try:
        return load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # The library's message may quote the key material: never chain or repeat it.
        raise SigningError(f"{field}: not a readable unencrypted PEM private key") from None


def _percent_encode(text: str) -> str:
    # Same output as urllib's quote(text, safe=""), without its cost for the usual plain text.
    return text if not text.strip(_UNRESERVED) else quote(text, safe="")


def _as_bytes(payload: str | bytes) -> bytes:
    return payload.encode("utf-8") if isinstance(payload, str) else payload


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_json(value: Mapping[str, object]) -> str:
    return _b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))
