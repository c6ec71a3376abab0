"""Venue rate-limit tables and the answers (headers, codes) that correct them at run time."""

import json

import pytest

from hftcore.errors import ConfigError
from hftcore.execution.rate_limiter import RateWindow
from hftcore.execution.rate_limits import (
    BYBIT_BAN_NS,
    OKX_INTERVAL_NS,
    SECOND_NS,
    apply_binance_answer,
    apply_binance_ws_answer,
    apply_bybit_answer,
    apply_coinbase_answer,
    apply_okx_answer,
    binance_rule_name,
    binance_rules_from_exchange_info,
    binance_spot_limiter,
    binance_usdm_limiter,
    bybit_limiter,
    coinbase_limiter,
    okx_limiter,
)

T0_NS = 1_700_000_040 * SECOND_NS  # on a minute boundary


def limits(limiter):
    return {rule.name: (rule.limit_units, rule.interval_ns) for rule in limiter.rules()}


def exchange_info(path):
    """Return the JSON of a cryptofeed ``<url> -> <ts>: <json>`` exchangeInfo line."""
    line = path.read_text().splitlines()[0]
    return json.loads(line.split(": ", 1)[1])


def docs_example(shared_data, heading, status):
    path = shared_data / "binance" / "binance-spot-api-docs_web-socket-api_examples.jsonl"
    for line in path.read_text().splitlines():
        block = json.loads(line)
        if block["heading"].endswith(heading) and block["valid_json"]:
            answer = json.loads(block["raw"])
            if answer.get("status") == status:
                return answer
    raise AssertionError(f"no {status} example under {heading!r} in {path}")


# -- TABLES ------------------------------------------------------------------------------------


def test_binance_spot_limiter_follows_the_published_limits():
    assert limits(binance_spot_limiter()) == {
        "weight_1m": (6000, 60 * SECOND_NS),
        "orders_10s": (100, 10 * SECOND_NS),
        "orders_1d": (200000, 86400 * SECOND_NS),
        "raw_requests_5m": (61000, 300 * SECOND_NS),
    }


def test_binance_usdm_orders_cost_no_ip_weight():
    limiter = binance_usdm_limiter()

    assert limiter.endpoint("submit_order").costs() == {"orders_10s": 1, "orders_1m": 1}


def test_binance_rules_are_fixed_windows():
    assert {rule.window for rule in binance_spot_limiter().rules()} == {RateWindow.FIXED}


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "capture", ["cryptofeed_BINANCE.0.txt", "cryptofeed_BINANCE_FUTURES.0.txt"]
)
def test_rules_from_a_real_exchange_info_match_its_rate_limits(shared_data, capture):
    info = exchange_info(shared_data / "binance" / capture)

    rules = binance_rules_from_exchange_info(info["rateLimits"])

    assert [(r.limit_units, r.interval_ns) for r in rules] == [
        (
            item["limit"],
            item["intervalNum"]
            * {"SECOND": 1, "MINUTE": 60, "DAY": 86400}[item["interval"]]
            * SECOND_NS,
        )
        for item in info["rateLimits"]
    ]


def test_binance_rule_name_joins_type_and_interval():
    assert binance_rule_name("ORDERS", "SECOND", 10) == "orders_10s"
    assert binance_rule_name("REQUEST_WEIGHT", "MINUTE", 1) == "weight_1m"


def test_binance_rule_name_of_an_unknown_type_is_an_error():
    with pytest.raises(ConfigError, match="rateLimitType"):
        binance_rule_name("CONNECTIONS", "MINUTE", 1)


def test_exchange_info_item_without_limit_is_an_error():
    with pytest.raises(ConfigError, match="missing field 'limit'"):
        binance_rules_from_exchange_info(
            [{"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10}]
        )


def test_bybit_spot_creates_faster_than_linear():
    assert bybit_limiter("spot").rule("create_1s").limit_units == 20
    assert bybit_limiter("linear").rule("create_1s").limit_units == 10


def test_bybit_unknown_category_is_an_error():
    with pytest.raises(ConfigError, match="option"):
        bybit_limiter("option")


def test_okx_has_no_native_cancel_all():
    assert okx_limiter().endpoint("cancel_all_orders") is None


def test_coinbase_limits_private_requests_per_second():
    assert limits(coinbase_limiter()) == {"private_1s": (30, SECOND_NS)}


# -- BINANCE ANSWERS ---------------------------------------------------------------------------


def test_binance_used_weight_header_corrects_the_weight_rule():
    limiter = binance_spot_limiter()

    apply_binance_answer(limiter, 200, {"X-MBX-USED-WEIGHT-1M": "5999"}, T0_NS)

    assert limiter.rule("weight_1m").available_units(T0_NS) == 1


def test_binance_order_count_header_stops_orders_until_the_window_ends():
    limiter = binance_spot_limiter()
    submit = limiter.endpoint("submit_order")

    apply_binance_answer(limiter, 200, {"x-mbx-order-count-10s": "100"}, T0_NS + SECOND_NS)

    assert limiter.acquire(submit, T0_NS + SECOND_NS) == 9 * SECOND_NS


def test_binance_header_of_a_rule_the_limiter_lacks_is_ignored():
    limiter = binance_spot_limiter()

    apply_binance_answer(limiter, 200, {"X-MBX-USED-WEIGHT-1S": "99999"}, T0_NS)

    assert limiter.wait_ns(limiter.endpoint("submit_order"), T0_NS) == 0


@pytest.mark.parametrize("status", [429, 418])
def test_binance_rate_limit_status_blocks_for_retry_after(status):
    limiter = binance_spot_limiter()

    apply_binance_answer(limiter, status, {"Retry-After": "7"}, T0_NS)

    assert limiter.blocked_until_ns == T0_NS + 7 * SECOND_NS
    assert limiter.block_reason == str(status)


def test_binance_header_that_is_not_a_number_names_the_header():
    with pytest.raises(ValueError, match="X-MBX-USED-WEIGHT-1M"):
        apply_binance_answer(binance_spot_limiter(), 200, {"X-MBX-USED-WEIGHT-1M": "lots"}, 0)


@pytest.mark.shared_data
def test_binance_ws_too_many_orders_answer_sets_limit_and_count(shared_data):
    answer = docs_example(shared_data, "Cancel and replace order (TRADE)", 429)
    limiter = binance_spot_limiter()
    now_ns = T0_NS + 2 * SECOND_NS

    apply_binance_ws_answer(limiter, answer, now_ns)

    assert limiter.rule("orders_10s").limit_units == 50
    assert limiter.rule("orders_1d").limit_units == 160000
    assert limiter.acquire(limiter.endpoint("submit_order"), now_ns) == 8 * SECOND_NS


@pytest.mark.shared_data
def test_binance_ws_ban_answer_blocks_until_its_retry_after(shared_data):
    answer = docs_example(shared_data, "IP limits", 418)
    limiter = binance_spot_limiter()
    server_now_ns = answer["error"]["data"]["serverTime"] * 1_000_000

    apply_binance_ws_answer(limiter, answer, server_now_ns)

    assert limiter.blocked_until_ns == answer["error"]["data"]["retryAfter"] * 1_000_000
    assert limiter.rule("weight_1m").available_units(server_now_ns) == 6000 - 2411


def test_binance_ws_ban_time_is_moved_to_the_local_clock():
    limiter = binance_spot_limiter()
    answer = {"status": 418, "error": {"data": {"retryAfter": 10_000}}}

    apply_binance_ws_answer(limiter, answer, 1_000_000_000, server_offset_ns=500_000_000)

    assert limiter.blocked_until_ns == 9_500_000_000


# -- OTHER VENUES ------------------------------------------------------------------------------


def test_bybit_headers_cap_the_endpoint_until_the_reset():
    limiter = bybit_limiter()
    headers = {
        "X-Bapi-Limit": "10",
        "X-Bapi-Limit-Status": "0",
        "X-Bapi-Limit-Reset-Timestamp": str((T0_NS + 400_000_000) // 1_000_000),
    }

    apply_bybit_answer(limiter, "submit_order", 200, headers, 0, T0_NS)

    assert limiter.wait_ns(limiter.endpoint("submit_order"), T0_NS) == 400_000_000
    assert limiter.wait_ns(limiter.endpoint("cancel_order"), T0_NS) == 0


def test_bybit_limit_header_changes_the_endpoint_limit():
    limiter = bybit_limiter()

    apply_bybit_answer(limiter, "submit_order", 200, {"X-Bapi-Limit": "20"}, 0, T0_NS)

    assert limiter.rule("create_1s").limit_units == 20


def test_bybit_too_many_visits_blocks_at_least_a_second():
    limiter = bybit_limiter()

    apply_bybit_answer(limiter, "submit_order", 200, {}, 10006, T0_NS)

    assert limiter.blocked_until_ns == T0_NS + SECOND_NS


def test_bybit_ip_ban_blocks_ten_minutes():
    limiter = bybit_limiter()

    apply_bybit_answer(limiter, "submit_order", 403, {}, None, T0_NS)

    assert limiter.blocked_until_ns == T0_NS + BYBIT_BAN_NS


@pytest.mark.parametrize(("status", "code"), [(429, "50011"), (200, "50061"), (429, None)])
def test_okx_rate_limit_answer_blocks_one_interval(status, code):
    limiter = okx_limiter()

    apply_okx_answer(limiter, status, code, T0_NS)

    assert limiter.blocked_until_ns == T0_NS + OKX_INTERVAL_NS


def test_okx_other_error_does_not_block():
    limiter = okx_limiter()

    apply_okx_answer(limiter, 200, "51008", T0_NS)

    assert not limiter.is_blocked(T0_NS)


def test_coinbase_429_blocks_for_retry_after():
    limiter = coinbase_limiter()

    apply_coinbase_answer(limiter, 429, {"retry-after": "3"}, T0_NS)

    assert limiter.blocked_until_ns == T0_NS + 3 * SECOND_NS


def test_coinbase_success_does_not_block():
    limiter = coinbase_limiter()

    apply_coinbase_answer(limiter, 200, {"Retry-After": "3"}, T0_NS)

    assert not limiter.is_blocked(T0_NS)
