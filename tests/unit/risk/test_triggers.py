"""Loss and reject triggers of the kill switch."""

from decimal import Decimal

from hftcore.risk.triggers import NS_PER_DAY, LossTriggers, RejectTrigger

DAY_START_NS = 19_675 * NS_PER_DAY


def test_no_limit_means_disabled():
    assert not LossTriggers(None, None, "USDT").is_enabled


def test_daily_loss_is_measured_from_the_first_value_of_the_day():
    triggers = LossTriggers(Decimal(100), None, "USDT")
    assert triggers.evaluate(Decimal(1000), DAY_START_NS + 5) is None
    assert triggers.evaluate(Decimal("900.01"), DAY_START_NS + 6) is None
    assert triggers.evaluate(Decimal(900), DAY_START_NS + 7) == (
        "daily loss 100 USDT >= limit 100 (equity 900, day start 1000)"
    )


def test_a_new_utc_day_resets_the_daily_baseline():
    triggers = LossTriggers(Decimal(100), None, "USDT")
    triggers.evaluate(Decimal(1000), DAY_START_NS + NS_PER_DAY - 1)
    assert triggers.evaluate(Decimal(950), DAY_START_NS + NS_PER_DAY) is None
    assert triggers.day_start_equity == Decimal(950)


def test_drawdown_is_measured_from_the_peak_across_days():
    triggers = LossTriggers(None, Decimal(50), "USDT")
    triggers.evaluate(Decimal(1000), DAY_START_NS)
    triggers.evaluate(Decimal(1100), DAY_START_NS + NS_PER_DAY)
    assert triggers.evaluate(Decimal(1051), DAY_START_NS + 2 * NS_PER_DAY) is None
    assert triggers.evaluate(Decimal(1050), DAY_START_NS + 2 * NS_PER_DAY).startswith(
        "drawdown 50 USDT >= limit 50"
    )


def test_rejects_at_the_limit_within_the_window_fire():
    trigger = RejectTrigger(3, 1_000)
    assert trigger.on_reject(0) is None
    assert trigger.on_reject(500) is None
    assert trigger.on_reject(999) == "3 venue rejects within 0 ms (limit 3)"


def test_rejects_older_than_the_window_are_forgotten():
    trigger = RejectTrigger(2, 1_000)
    trigger.on_reject(0)
    assert trigger.on_reject(1_000) is None
