"""OKX v5 signer: base64 HMAC-SHA256 of ``timestamp + METHOD + requestPath + body``.

REST requests carry an ISO-8601 millisecond timestamp (:func:`okx_timestamp`); a WebSocket login
signs ``unix_seconds + "GET" + "/users/self/verify"``.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from hftcore.config import Secret
from hftcore.execution.signing.keys import HmacKey, require_secret

OKX_WS_LOGIN_PATH = "/users/self/verify"
"""Request path OKX signs for a WebSocket login."""


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
        self._api_key = require_secret(api_key, "api_key")
        self._key = HmacKey(secret_key, "secret_key")
        self._passphrase = require_secret(passphrase, "passphrase")

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
