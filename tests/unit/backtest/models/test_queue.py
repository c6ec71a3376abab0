"""Queue-position models: the published formulas, computed by hand."""

import math

import pytest

from backtest.models.queue import ProbQueueModel, RiskAverseQueueModel
from hftcore.errors import ConfigError


def test_new_order_has_the_whole_level_ahead_of_it():
    assert RiskAverseQueueModel().new_position(25).ahead_lots == 25


def test_trade_smaller_than_the_queue_ahead_reaches_nobody():
    tracker = RiskAverseQueueModel().new_position(25)
    assert tracker.trade(10) == 0
    assert tracker.ahead_lots == 15


def test_trade_larger_than_the_queue_ahead_reaches_the_order_with_the_rest():
    tracker = RiskAverseQueueModel().new_position(25)
    assert tracker.trade(30) == 5
    assert tracker.ahead_lots == 0


def test_risk_averse_ignores_a_decrease_that_leaves_the_level_above_the_queue_ahead():
    tracker = RiskAverseQueueModel().new_position(25)
    tracker.depth(40, 30)
    assert tracker.ahead_lots == 25


def test_risk_averse_caps_the_queue_ahead_at_the_level_size():
    tracker = RiskAverseQueueModel().new_position(25)
    tracker.depth(25, 12)
    assert tracker.ahead_lots == 12


def test_power_model_moves_the_order_by_the_share_of_the_decrease_in_front():
    model = ProbQueueModel("power", 2.0)
    tracker = model.new_position(30)
    tracker.depth(30, 40)  # 10 join behind: front 30, back 10
    tracker.depth(40, 30)  # 10 leave: p(behind) = 10**2 / (10**2 + 30**2) = 0.1
    assert tracker.ahead_lots == pytest.approx(30 - 0.9 * 10)


def test_log_model_uses_log_one_plus_quantity_in_base_units():
    model = ProbQueueModel("log")
    front, back = 30.0, 10.0
    probability = math.log(1 + back) / (math.log(1 + back) + math.log(1 + front))
    assert model.probability(front, back) == pytest.approx(probability)


def test_prob_model_does_not_count_a_decrease_already_explained_by_trades():
    model = ProbQueueModel("power", 2.0)
    tracker = model.new_position(30)
    tracker.trade(5)  # ahead 25
    tracker.depth(30, 25)  # the 5 traded, no cancel
    assert tracker.ahead_lots == 25


def test_prob_model_never_leaves_more_ahead_than_the_level_holds():
    tracker = ProbQueueModel("power", 3.0).new_position(30)
    tracker.depth(30, 4)
    assert tracker.ahead_lots <= 4


def test_prob_model_with_nobody_behind_moves_the_order_by_the_whole_decrease():
    tracker = ProbQueueModel("power", 2.0).new_position(30)
    tracker.depth(30, 20)  # back 0: p(behind) 0
    assert tracker.ahead_lots == 20


def test_unknown_probability_function_is_a_config_error():
    with pytest.raises(ConfigError, match="'cubic'"):
        ProbQueueModel("cubic")
