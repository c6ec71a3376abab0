"""Request signing for each venue: HMAC-SHA256 (hex, base64), Ed25519 and Coinbase JWTs.

Every signer takes its keys as :class:`hftcore.config.Secret` objects and keeps them that way:
``repr`` shows ``Secret('***')``, and no error raised here contains a key, a payload that was
signed, a signature or a signed query string. Signatures are returned to the caller (the
adapter's request builder) and must go nowhere but the request.

Each venue's rules, from its documentation (vectors in ``/work/shared/data/signing-vectors.md``),
sit in its own module:

* ``binance``: HMAC (hex) and Ed25519 (base64) signers, REST query strings and WebSocket API params;
* ``okx``: v5 REST headers and WebSocket login;
* ``bybit``: v5 REST headers and WebSocket auth;
* ``coinbase``: Advanced Trade JWTs (ES256 or EdDSA);
* ``keys``: Secret-held keys (HMAC key schedule, PEM loading) and the HMAC-SHA256 primitives.

Every public name is re-exported here; import from :mod:`hftcore.execution.signing`.
"""

from hftcore.execution.signing.binance import (
    BinanceEd25519Signer,
    BinanceHmacSigner,
    ParamItems,
    binance_query_string,
    binance_ws_payload,
)
from hftcore.execution.signing.bybit import BYBIT_WS_AUTH_PREFIX, BybitSigner
from hftcore.execution.signing.coinbase import COINBASE_JWT_LIFETIME_S, CoinbaseJwtSigner
from hftcore.execution.signing.keys import hmac_sha256_base64, hmac_sha256_hex
from hftcore.execution.signing.okx import OKX_WS_LOGIN_PATH, OkxSigner, okx_timestamp

__all__ = [
    "BYBIT_WS_AUTH_PREFIX",
    "COINBASE_JWT_LIFETIME_S",
    "OKX_WS_LOGIN_PATH",
    "BinanceEd25519Signer",
    "BinanceHmacSigner",
    "BybitSigner",
    "CoinbaseJwtSigner",
    "OkxSigner",
    "ParamItems",
    "binance_query_string",
    "binance_ws_payload",
    "hmac_sha256_base64",
    "hmac_sha256_hex",
    "okx_timestamp",
]
