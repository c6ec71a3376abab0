"""Request signing against the venues' published vectors, and secrets that never show."""

import base64
import json
import re
from urllib.parse import quote, unquote, urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from hypothesis import given
from hypothesis import strategies as st

from hftcore.config import Secret
from hftcore.errors import SigningError
from hftcore.execution.signing import (
    BinanceEd25519Signer,
    BinanceHmacSigner,
    BybitSigner,
    CoinbaseJwtSigner,
    OkxSigner,
    binance_query_string,
    binance_ws_payload,
    hmac_sha256_base64,
    hmac_sha256_hex,
    okx_timestamp,
)
from hftcore.monitoring.logging import redact

pytestmark = pytest.mark.shared_data

KEY_NAME = "organizations/org-1/apiKeys/key-1"


class Vectors:
    """The tables of ``signing-vectors.md``, read by row label."""

    def __init__(self, text):
        self.text = text

    def spans(self, label):
        """Return the backtick spans of the table row whose first cell starts with ``label``."""
        for line in self.text.splitlines():
            if line.startswith(f"| {label}"):
                return re.findall(r"`([^`]*)`", line)
        raise AssertionError(f"signing-vectors.md has no row {label!r}")

    def binance_keys(self):
        return Secret(self.spans("apiKey")[0]), Secret(self.spans("secretKey")[0])


@pytest.fixture(scope="module")
def vectors(shared_data):
    return Vectors((shared_data / "signing-vectors.md").read_text(encoding="utf-8"))


def query_params(payload):
    """Split a query string into (name, decoded value) pairs, in order."""
    return [tuple(unquote(part) for part in item.split("=", 1)) for item in payload.split("&")]


# -- BINANCE -----------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ["B1", "B2"])
def test_binance_hmac_signs_the_published_rest_payload(vectors, row):
    payload, *_, signature = vectors.spans(row)

    assert BinanceHmacSigner(*vectors.binance_keys()).sign(payload) == signature


@pytest.mark.parametrize("row", ["B1", "B2"])
def test_binance_signed_query_encodes_params_as_the_docs_do(vectors, row):
    payload, *_, signature = vectors.spans(row)

    query = BinanceHmacSigner(*vectors.binance_keys()).signed_query(query_params(payload))

    assert query == f"{payload}&signature={signature}"


@pytest.mark.parametrize("row", ["W1", "W2"])
def test_binance_ws_api_signs_params_sorted_by_name(vectors, row):
    payload, signature = vectors.spans(row)
    params = dict(reversed(query_params(payload)))

    assert binance_ws_payload(params | {"signature": "x"}) == payload
    assert BinanceHmacSigner(*vectors.binance_keys()).sign_ws_params(params) == signature


def binance_ed25519_key(vectors):
    return Secret("\n".join(vectors.spans("private key")) + "\n")


def test_binance_ed25519_signs_the_published_fix_logon(vectors):
    payload = "\x01".join(vectors.spans("payload"))
    (signature,) = vectors.spans("expected signature (base64)")
    api_key, _ = vectors.binance_keys()

    assert BinanceEd25519Signer(api_key, binance_ed25519_key(vectors)).sign(payload) == signature


def test_binance_ed25519_signature_is_percent_encoded_in_the_query(vectors):
    api_key, _ = vectors.binance_keys()
    signer = BinanceEd25519Signer(api_key, binance_ed25519_key(vectors))

    query = signer.signed_query([("symbol", "BTCUSDT"), ("timestamp", 1)])

    signature = query.split("&signature=")[1]
    assert unquote(signature) == signer.sign("symbol=BTCUSDT&timestamp=1")
    assert not set("+/=") & set(signature)


def test_binance_rsa_key_is_refused_as_ed25519(vectors):
    api_key, _ = vectors.binance_keys()
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )

    with pytest.raises(SigningError, match="expected an Ed25519 private key"):
        BinanceEd25519Signer(api_key, Secret(pem.decode()))


@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.text(max_size=12)), max_size=6))
def test_binance_query_string_percent_encodes_like_urllib(params):
    assert binance_query_string(params) == urlencode(params, quote_via=quote)


# -- BYBIT AND OKX -----------------------------------------------------------------------------


@pytest.mark.parametrize("row", ["Y1", "Y2"])
def test_bybit_pre_hash_is_the_published_one(vectors, row):
    timestamp, api_key, recv_window, payload, pre_hash, *_ = vectors.spans(row)
    signer = BybitSigner(Secret(api_key), Secret("secret"))

    assert signer.pre_hash(int(timestamp), int(recv_window), payload) == pre_hash


def test_bybit_signature_is_hex_hmac_of_the_pre_hash():
    signer = BybitSigner(Secret("KEY"), Secret("secret"))

    assert signer.sign(1658384314791, 5000, "a=1") == hmac_sha256_hex(
        Secret("secret"), "1658384314791KEY5000a=1"
    )


def test_bybit_headers_carry_key_time_window_and_signature():
    signer = BybitSigner(Secret("KEY"), Secret("secret"))

    headers = signer.headers(1658384314791, 5000, "a=1")

    assert headers == {
        "X-BAPI-API-KEY": "KEY",
        "X-BAPI-TIMESTAMP": "1658384314791",
        "X-BAPI-RECV-WINDOW": "5000",
        "X-BAPI-SIGN": signer.sign(1658384314791, 5000, "a=1"),
    }


def test_bybit_ws_auth_signs_get_realtime_and_expiry():
    signer = BybitSigner(Secret("KEY"), Secret("secret"))

    api_key, expires, signature = signer.ws_auth_args(1700000000000)

    assert (api_key, expires) == ("KEY", 1700000000000)
    assert signature == hmac_sha256_hex(Secret("secret"), "GET/realtime1700000000000")


def test_okx_ws_login_matches_the_recomputed_docs_example(vectors):
    (secret_key,) = vectors.spans("O1")
    computed = re.search(r"/users/self/verify` gives `([^`]+)`", vectors.text).group(1)
    signer = OkxSigner(Secret("985d5b66"), Secret(secret_key), Secret("123456"))

    assert signer.ws_login_args(1538054050)["sign"] == computed


def test_okx_rest_signature_covers_time_method_path_and_body():
    signer = OkxSigner(Secret("KEY"), Secret("secret"), Secret("pass"))
    stamp = okx_timestamp(1607418537715)

    headers = signer.headers(stamp, "post", "/api/v5/trade/order", '{"instId":"BTC-USDT"}')

    assert stamp == "2020-12-08T09:08:57.715Z"
    assert headers["OK-ACCESS-SIGN"] == hmac_sha256_base64(
        Secret("secret"), stamp + "POST/api/v5/trade/order" + '{"instId":"BTC-USDT"}'
    )
    assert headers["OK-ACCESS-PASSPHRASE"] == "pass"


# -- COINBASE ----------------------------------------------------------------------------------


def decode_jwt(token):
    def part(text):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    header, claims, signature = token.split(".")
    return json.loads(part(header)), json.loads(part(claims)), part(signature), token


def test_coinbase_es256_jwt_verifies_with_the_public_key():
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption())
    signer = CoinbaseJwtSigner(KEY_NAME, Secret(pem.decode()))

    token = signer.jwt(1_700_000_000, "get", "api.coinbase.com", "/api/v3/brokerage/accounts")

    header, claims, signature, _ = decode_jwt(token)
    signing_input = token.rsplit(".", 1)[0].encode()
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key.public_key().verify(der, signing_input, ec.ECDSA(SHA256()))
    assert header["alg"] == "ES256" and header["kid"] == KEY_NAME
    assert claims == {
        "iss": "cdp",
        "sub": KEY_NAME,
        "nbf": 1_700_000_000,
        "exp": 1_700_000_120,
        "uri": "GET api.coinbase.com/api/v3/brokerage/accounts",
    }


def test_coinbase_ed25519_jwt_from_a_base64_key_verifies_and_is_deterministic():
    key = ed25519.Ed25519PrivateKey.generate()
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    signer = CoinbaseJwtSigner(KEY_NAME, Secret(base64.b64encode(seed + public).decode()))

    token = signer.jwt(1_700_000_000, nonce="abc")

    header, claims, signature, _ = decode_jwt(token)
    key.public_key().verify(signature, token.rsplit(".", 1)[0].encode())
    assert header["alg"] == "EdDSA"
    assert "uri" not in claims
    assert signer.jwt(1_700_000_000, nonce="abc") == token


def test_coinbase_jwt_needs_method_host_and_path_together():
    signer = CoinbaseJwtSigner(KEY_NAME, Secret(base64.b64encode(b"k" * 32).decode()))

    with pytest.raises(SigningError, match="together"):
        signer.jwt(1, method="GET")


# -- SECRETS -----------------------------------------------------------------------------------


def test_signer_repr_shows_no_key(vectors):
    api_key, secret_key = vectors.binance_keys()
    signer = BinanceHmacSigner(api_key, secret_key)

    assert repr(signer) == "BinanceHmacSigner(api_key=Secret('***'))"
    assert secret_key.reveal() not in repr(signer)


def test_signer_refuses_a_plain_string_key():
    with pytest.raises(TypeError, match=r"api_key: expected hftcore\.config\.Secret, got str"):
        BinanceHmacSigner("plain", Secret("secret"))


def test_unreadable_key_error_does_not_contain_the_key():
    material = "-----BEGIN PRIVATE KEY-----\nTOPSECRETMATERIAL\n-----END PRIVATE KEY-----\n"

    with pytest.raises(SigningError) as raised:
        BinanceEd25519Signer(Secret("k"), Secret(material))

    assert "TOPSECRETMATERIAL" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_signed_query_logged_by_mistake_is_masked(vectors):
    query = BinanceHmacSigner(*vectors.binance_keys()).signed_query([("symbol", "BTCUSDT")])
    signature = query.split("signature=")[1]

    assert signature not in redact(f"sending {query}")
