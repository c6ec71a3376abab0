"""Bybit v5 signer: lowercase hex HMAC-SHA256 of ``timestamp + api_key + recv_window + payload``.

A WebSocket auth signs ``"GET/realtime" + expires``.
"""

from __future__ import annotations

from hftcore.config import Secret
from hftcore.execution.signing.keys import HmacKey, require_secret

BYBIT_WS_AUTH_PREFIX = "GET/realtime"
"""Text Bybit signs, followed by ``expires``, for a WebSocket auth."""


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
        self._api_key = require_secret(api_key, "api_key")
        self._key = HmacKey(secret_key, "secret_key")

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
