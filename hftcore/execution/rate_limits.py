"""Published rate limits of each venue and the answers that correct them at run time.

Each ``<venue>_limiter()`` builds a :class:`~hftcore.execution.rate_limiter.RateLimiter` with the
venue's documented rules and the cost of the endpoints the execution engine uses
(``submit_order``, ``cancel_order``, ``modify_order``, ``cancel_all_orders``, ``open_orders``).
Each ``apply_<venue>_answer`` reads what the venue said about its limits in an answer (headers,
status, error code) and corrects the limiter. Adapters call them on every answer; the engine
never sends into a limit the venue has reported as used up.

Sources (checked 2024): Binance ``rest-api.md`` / ``web-socket-api.md`` "Rate limits" and
``errors.md`` (see ``/work/shared/data/signing-vectors.md``); Binance USD-M "General info";
Bybit v5 ``rate-limit.mdx``; OKX v5 "Trade" endpoint rate-limit lines and the 2024 sub-account
limit notice; Coinbase Advanced Trade "Rate limits".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hftcore.errors import ConfigError
from hftcore.execution.rate_limiter import RateLimiter, RateRule, RateWindow

SECOND_NS = 1_000_000_000
"""One second, ns."""
MINUTE_NS = 60 * SECOND_NS
"""One minute, ns."""
HOUR_NS = 60 * MINUTE_NS
"""One hour, ns."""
DAY_NS = 24 * HOUR_NS
"""One day, ns."""

_BINANCE_INTERVALS_NS = {"SECOND": SECOND_NS, "MINUTE": MINUTE_NS, "HOUR": HOUR_NS, "DAY": DAY_NS}
_BINANCE_TYPES = {"REQUEST_WEIGHT": "weight", "ORDERS": "orders", "RAW_REQUESTS": "raw_requests"}
# Header prefix (lowercase) -> rule kind; the suffix is the interval, e.g. "1m", "10s", "1d".
_BINANCE_HEADERS = {"x-mbx-used-weight-": "weight", "x-mbx-order-count-": "orders"}

BYBIT_BAN_NS = 10 * MINUTE_NS
"""Bybit: after HTTP 403 "access too frequent" wait at least 10 minutes."""
BYBIT_ENDPOINT_RULES = {
    "submit_order": "create_1s",
    "modify_order": "amend_1s",
    "cancel_order": "cancel_1s",
    "cancel_all_orders": "cancel_all_1s",
    "open_orders": "realtime_1s",
}
"""Bybit endpoint -> the per-endpoint rule its ``X-Bapi-Limit*`` headers describe."""

OKX_RATE_LIMIT_CODES = frozenset({"50011", "50061"})
"""OKX ``code`` values meaning a rate limit was hit (50011 per endpoint, 50061 sub-account)."""
OKX_INTERVAL_NS = 2 * SECOND_NS
"""OKX counts trade endpoints per 2 s."""


# -- BINANCE -----------------------------------------------------------------------------------


def binance_rule_name(rate_limit_type: str, interval: str, interval_num: int) -> str:
    """Return the rule name of a Binance limit, e.g. ``("ORDERS", "SECOND", 10)`` -> ``orders_10s``.

    Parameters
    ----------
    rate_limit_type : str
        ``REQUEST_WEIGHT``, ``ORDERS`` or ``RAW_REQUESTS``.
    interval : str
        ``SECOND``, ``MINUTE``, ``HOUR`` or ``DAY``.
    interval_num : int
        Interval multiplier, > 0.

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        If a part is not one Binance documents.
    """
    kind = _BINANCE_TYPES.get(rate_limit_type)
    if kind is None:
        raise ConfigError(
            f"binance rateLimitType: expected one of {sorted(_BINANCE_TYPES)}, "
            f"got {rate_limit_type!r}"
        )
    if interval not in _BINANCE_INTERVALS_NS:
        raise ConfigError(
            f"binance interval: expected one of {sorted(_BINANCE_INTERVALS_NS)}, got {interval!r}"
        )
    if interval_num <= 0:
        raise ConfigError(f"binance intervalNum: expected > 0, got {interval_num}")
    return f"{kind}_{interval_num}{interval[0].lower()}"


def binance_rules_from_exchange_info(rate_limits: Iterable[Mapping]) -> list[RateRule]:
    """Build the rules a Binance ``exchangeInfo`` answer lists in ``rateLimits``.

    Parameters
    ----------
    rate_limits : iterable of mapping
        Items such as ``{"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10,
        "limit": 100}``.

    Returns
    -------
    list[RateRule]
        One ``FIXED``-window rule per item (Binance windows start on interval boundaries).

    Raises
    ------
    ConfigError
        If an item misses a field or has an unknown type or interval.
    """
    rules = []
    for item in rate_limits:
        try:
            name = binance_rule_name(item["rateLimitType"], item["interval"], item["intervalNum"])
            interval_ns = _BINANCE_INTERVALS_NS[item["interval"]] * item["intervalNum"]
            limit_units = item["limit"]
        except KeyError as exc:
            raise ConfigError(f"binance rateLimits item {item!r}: missing field {exc}") from None
        rules.append(RateRule(name, limit_units, interval_ns, RateWindow.FIXED))
    return rules


def _binance_rules(*limits: tuple[str, str, int, int]) -> list[RateRule]:
    keys = ("rateLimitType", "interval", "intervalNum", "limit")
    return binance_rules_from_exchange_info(dict(zip(keys, limit, strict=True)) for limit in limits)


def binance_spot_limiter() -> RateLimiter:
    """Return the limiter of Binance Spot: 6000 weight/min, 100 orders/10 s, 200000 orders/day.

    Returns
    -------
    RateLimiter
    """
    rules = _binance_rules(
        ("REQUEST_WEIGHT", "MINUTE", 1, 6000),
        ("ORDERS", "SECOND", 10, 100),
        ("ORDERS", "DAY", 1, 200000),
        ("RAW_REQUESTS", "MINUTE", 5, 61000),
    )
    order = {"weight_1m": 1, "orders_10s": 1, "orders_1d": 1, "raw_requests_5m": 1}
    return RateLimiter(
        "BINANCE",
        rules,
        {
            "submit_order": order,
            "modify_order": order,  # cancelReplace: weight 1, one new order
            "cancel_order": {"weight_1m": 1, "raw_requests_5m": 1},
            "cancel_all_orders": {"weight_1m": 1, "raw_requests_5m": 1},
            "open_orders": {"weight_1m": 6, "raw_requests_5m": 1},
        },
    )


def binance_usdm_limiter() -> RateLimiter:
    """Return the limiter of Binance USD-M futures: 2400 weight/min, 300 orders/10 s, 1200/min.

    New and modified orders cost no IP weight there, only order counts.

    Returns
    -------
    RateLimiter
    """
    rules = _binance_rules(
        ("REQUEST_WEIGHT", "MINUTE", 1, 2400),
        ("ORDERS", "SECOND", 10, 300),
        ("ORDERS", "MINUTE", 1, 1200),
    )
    order = {"orders_10s": 1, "orders_1m": 1}
    return RateLimiter(
        "BINANCE",
        rules,
        {
            "submit_order": order,
            "modify_order": order,
            "cancel_order": {"weight_1m": 1},
            "cancel_all_orders": {"weight_1m": 1},
            "open_orders": {"weight_1m": 1},
        },
    )


def apply_binance_answer(
    limiter: RateLimiter, status: int, headers: Mapping[str, str], now_ns: int
) -> None:
    """Correct ``limiter`` from one Binance REST answer.

    ``X-MBX-USED-WEIGHT-<n><unit>`` and ``X-MBX-ORDER-COUNT-<n><unit>`` set the used count of the
    matching rule (headers of rules the limiter does not have are ignored). HTTP 429 and 418
    block the limiter for ``Retry-After`` seconds (1 s when the header is missing).

    Parameters
    ----------
    limiter : RateLimiter
    status : int
        HTTP status of the answer.
    headers : mapping of str to str
        Answer headers; names are matched case-insensitively.
    now_ns : int
        Clock time the answer was received, UNIX ns.
    """
    retry_after_s = None
    for raw_name, value in headers.items():
        name = raw_name.lower()
        if name == "retry-after":
            retry_after_s = _int_header(raw_name, value)
            continue
        for prefix, kind in _BINANCE_HEADERS.items():
            if name.startswith(prefix):
                rule = limiter.rule(f"{kind}_{name[len(prefix) :]}")
                if rule is not None:
                    rule.observe_used(_int_header(raw_name, value), now_ns)
    if status in (418, 429):
        seconds = 1 if retry_after_s is None else max(retry_after_s, 1)
        limiter.block_until(now_ns + seconds * SECOND_NS, str(status))


def apply_binance_ws_answer(
    limiter: RateLimiter, answer: Mapping, now_ns: int, server_offset_ns: int = 0
) -> None:
    """Correct ``limiter`` from one Binance WebSocket API answer.

    Each ``rateLimits`` item sets the used count (and the limit, when it changed) of its rule.
    A 429 or 418 ``status`` blocks the limiter until ``error.data.retryAfter`` (venue time, ms),
    or for 1 s when the answer does not say.

    Parameters
    ----------
    limiter : RateLimiter
    answer : mapping
        The decoded answer, e.g. ``{"status": 429, "error": {...}, "rateLimits": [...]}``.
    now_ns : int
        Clock time the answer was received, UNIX ns.
    server_offset_ns : int, default 0
        Venue time minus local time, ns (from ``ServerTimeSync.offset_ns``).
    """
    for item in answer.get("rateLimits") or ():
        name = binance_rule_name(item["rateLimitType"], item["interval"], item["intervalNum"])
        rule = limiter.rule(name)
        if rule is None:
            continue
        if item.get("limit") and item["limit"] != rule.limit_units:
            rule.set_limit(item["limit"])
        rule.observe_used(item["count"], now_ns)
    status = answer.get("status")
    if status in (418, 429):
        data = (answer.get("error") or {}).get("data") or {}
        retry_after_ms = data.get("retryAfter")
        until_ns = now_ns + SECOND_NS
        if isinstance(retry_after_ms, int):
            until_ns = max(retry_after_ms * 1_000_000 - server_offset_ns, until_ns)
        limiter.block_until(until_ns, str(status))


# -- BYBIT -------------------------------------------------------------------------------------


def bybit_limiter(category: str = "linear") -> RateLimiter:
    """Return the limiter of Bybit v5 for one product category.

    Per UID and endpoint, rolling per second: create 10/s (spot 20/s), amend 10/s, cancel 10/s
    (spot 20/s), cancel-all 1/s, realtime orders 50/s; per IP 600 requests per 5 s.

    Parameters
    ----------
    category : {"linear", "inverse", "spot"}, default "linear"

    Returns
    -------
    RateLimiter

    Raises
    ------
    ConfigError
        If ``category`` is not supported.
    """
    if category not in ("linear", "inverse", "spot"):
        raise ConfigError(
            f"bybit category: expected 'linear', 'inverse' or 'spot', got {category!r}"
        )
    spot = category == "spot"
    rules = [
        RateRule("ip_5s", 600, 5 * SECOND_NS),
        RateRule("create_1s", 20 if spot else 10, SECOND_NS),
        RateRule("amend_1s", 10, SECOND_NS),
        RateRule("cancel_1s", 20 if spot else 10, SECOND_NS),
        RateRule("cancel_all_1s", 1, SECOND_NS),
        RateRule("realtime_1s", 50, SECOND_NS),
    ]
    return RateLimiter(
        "BYBIT",
        rules,
        {
            endpoint: {"ip_5s": 1, rule_name: 1}
            for endpoint, rule_name in BYBIT_ENDPOINT_RULES.items()
        },
    )


def apply_bybit_answer(
    limiter: RateLimiter,
    endpoint: str,
    status: int,
    headers: Mapping[str, str],
    ret_code: int | None,
    now_ns: int,
    server_offset_ns: int = 0,
) -> None:
    """Correct ``limiter`` from one Bybit v5 answer to ``endpoint``.

    ``X-Bapi-Limit`` sets the endpoint rule's limit, ``X-Bapi-Limit-Status`` its remaining count
    until ``X-Bapi-Limit-Reset-Timestamp``. ``retCode`` 10006 ("Too many visits!") blocks until
    that reset (at least 1 s); HTTP 403 ("access too frequent", an IP ban) blocks 10 minutes.

    Parameters
    ----------
    limiter : RateLimiter
    endpoint : str
        The endpoint name the request was made for (a key of ``BYBIT_ENDPOINT_RULES``).
    status : int
        HTTP status.
    headers : mapping of str to str
        Answer headers; names are matched case-insensitively.
    ret_code : int or None
        ``retCode`` of the body, when there is one.
    now_ns : int
        Clock time the answer was received, UNIX ns.
    server_offset_ns : int, default 0
        Venue time minus local time, ns.
    """
    lowered = {name.lower(): (name, value) for name, value in headers.items()}
    rule = limiter.rule(BYBIT_ENDPOINT_RULES.get(endpoint, ""))
    reset_at_ns = now_ns
    if "x-bapi-limit-reset-timestamp" in lowered:
        reset_ms = _int_header(*lowered["x-bapi-limit-reset-timestamp"])
        reset_at_ns = max(reset_ms * 1_000_000 - server_offset_ns, 0)
    if rule is not None:
        if "x-bapi-limit" in lowered:
            limit_units = _int_header(*lowered["x-bapi-limit"])
            if limit_units > 0 and limit_units != rule.limit_units:
                rule.set_limit(limit_units)
        if "x-bapi-limit-status" in lowered:
            remaining = max(_int_header(*lowered["x-bapi-limit-status"]), 0)
            rule.observe_remaining(remaining, reset_at_ns, now_ns)
    if status == 403:
        limiter.block_until(now_ns + BYBIT_BAN_NS, "403")
    elif ret_code == 10006:
        limiter.block_until(max(reset_at_ns, now_ns + SECOND_NS), "10006")


# -- OKX ---------------------------------------------------------------------------------------


def okx_limiter() -> RateLimiter:
    """Return the limiter of OKX v5 trading.

    Place, amend and cancel order: 60 requests per 2 s each (OKX counts per instrument; this
    limiter counts per account, which is stricter); new and amended orders together: 1000 per
    2 s per sub-account; pending orders: 60 per 2 s.

    Returns
    -------
    RateLimiter
    """
    rules = [
        RateRule("place_2s", 60, OKX_INTERVAL_NS),
        RateRule("amend_2s", 60, OKX_INTERVAL_NS),
        RateRule("cancel_2s", 60, OKX_INTERVAL_NS),
        RateRule("subaccount_orders_2s", 1000, OKX_INTERVAL_NS),
        RateRule("pending_2s", 60, OKX_INTERVAL_NS),
    ]
    return RateLimiter(
        "OKX",
        rules,
        {
            "submit_order": {"place_2s": 1, "subaccount_orders_2s": 1},
            "modify_order": {"amend_2s": 1, "subaccount_orders_2s": 1},
            "cancel_order": {"cancel_2s": 1},
            "open_orders": {"pending_2s": 1},
        },
    )


def apply_okx_answer(limiter: RateLimiter, status: int, code: str | None, now_ns: int) -> None:
    """Correct ``limiter`` from one OKX answer (OKX sends no rate-limit headers).

    ``code`` 50011 (HTTP 429 "Rate limit reached") or 50061 (sub-account limit) block the
    limiter for one 2 s interval, as does a bare HTTP 429.

    Parameters
    ----------
    limiter : RateLimiter
    status : int
        HTTP status (WebSocket answers: pass 200).
    code : str or None
        The answer's ``code`` (or an order's ``sCode``).
    now_ns : int
        Clock time the answer was received, UNIX ns.
    """
    if code in OKX_RATE_LIMIT_CODES:
        limiter.block_until(now_ns + OKX_INTERVAL_NS, code)
    elif status == 429:
        limiter.block_until(now_ns + OKX_INTERVAL_NS, "429")


# -- COINBASE ----------------------------------------------------------------------------------


def coinbase_limiter() -> RateLimiter:
    """Return the limiter of Coinbase Advanced Trade: 30 private requests per second.

    Returns
    -------
    RateLimiter
    """
    return RateLimiter(
        "COINBASE",
        [RateRule("private_1s", 30, SECOND_NS)],
        {
            name: {"private_1s": 1}
            for name in (
                "submit_order",
                "modify_order",
                "cancel_order",
                "cancel_all_orders",
                "open_orders",
            )
        },
    )


def apply_coinbase_answer(
    limiter: RateLimiter, status: int, headers: Mapping[str, str], now_ns: int
) -> None:
    """Correct ``limiter`` from one Coinbase answer: HTTP 429 blocks for Retry-After (or 1 s).

    Parameters
    ----------
    limiter : RateLimiter
    status : int
        HTTP status.
    headers : mapping of str to str
        Answer headers; names are matched case-insensitively.
    now_ns : int
        Clock time the answer was received, UNIX ns.
    """
    if status != 429:
        return
    seconds = 1
    for name, value in headers.items():
        if name.lower() == "retry-after":
            seconds = max(_int_header(name, value), 1)
    limiter.block_until(now_ns + seconds * SECOND_NS, "429")


# -- HELPERS -----------------------------------------------------------------------------------


def _int_header(name: str, value: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"header {name}: expected an integer, got {value!r}") from None
