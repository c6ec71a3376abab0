"""Tests of negative-cycle detection on ArbGraph."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hftcore.quant.graph_arb import ArbGraph

USDT, BTC, ETH = 0, 1, 2


def triangle(btc_usdt, eth_usdt, eth_btc, fee=0.0):
    """USDT/BTC/ETH graph from mid prices: both directions of each pair, taker fee on each."""
    graph = ArbGraph(3)
    for base, quote, price in ((BTC, USDT, btc_usdt), (ETH, USDT, eth_usdt), (ETH, BTC, eth_btc)):
        graph.set_edge(base, quote, -math.log(price * (1 - fee)))
        graph.set_edge(quote, base, -math.log((1 - fee) / price))
    return graph


def is_cycle_of(graph, cycle):
    return len(cycle) >= 2 and all(
        graph.has_edge(cycle[i], cycle[(i + 1) % len(cycle)]) for i in range(len(cycle))
    )


def test_consistent_prices_have_no_cycle():
    assert triangle(60_000.0, 3_000.0, 0.05).find_negative_cycle() is None


def test_a_mispriced_cross_gives_a_cycle():
    graph = triangle(60_000.0, 3_000.0, 0.0502)
    cycle = graph.find_negative_cycle()
    assert sorted(cycle) == [USDT, BTC, ETH]
    assert graph.cycle_weight(cycle) < 0


def test_the_cycle_found_runs_in_the_profitable_direction():
    # ETH is cheap in BTC: USDT -> BTC -> ETH -> USDT earns.
    graph = triangle(60_000.0, 3_000.0, 0.0498)
    cycle = graph.find_negative_cycle()
    start = cycle.index(USDT)
    assert cycle[start:] + cycle[:start] == [USDT, BTC, ETH]
    assert graph.cycle_return(cycle) == pytest.approx(0.05 / 0.0498 - 1, rel=1e-9)


def test_a_cycle_disappears_once_fees_are_counted():
    # 0.2 % mispricing; three 10 bp taker fees cost about 0.3 %.
    assert triangle(60_000.0, 3_000.0, 0.0501).find_negative_cycle() is not None
    assert triangle(60_000.0, 3_000.0, 0.0501, fee=0.001).find_negative_cycle() is None


@pytest.mark.parametrize("gain", [1e-6, 1e-9])
def test_a_tiny_profitable_cycle_is_found(gain):
    graph = triangle(60_000.0, 3_000.0, 0.05 * (1 + gain))
    cycle = graph.find_negative_cycle()
    assert cycle is not None
    assert graph.cycle_return(cycle) == pytest.approx(gain, rel=1e-4)


def test_a_zero_profit_cycle_with_rounding_is_not_reported():
    # 1/3 and 3 are inexact in binary; the product is 1 up to rounding.
    graph = ArbGraph(3)
    graph.set_edge(0, 1, -math.log(1 / 3))
    graph.set_edge(1, 2, -math.log(3.0))
    graph.set_edge(2, 0, -math.log(1.0))
    assert graph.find_negative_cycle() is None


def directed_triangle(product):
    graph = ArbGraph(3)
    graph.set_edge(USDT, BTC, -math.log(1 / 60_000.0))
    graph.set_edge(BTC, ETH, -math.log(20.0))
    graph.set_edge(ETH, USDT, -math.log(3_000.0 * product))
    return graph


def test_a_directed_cycle_just_above_breakeven_is_found():
    cycle = directed_triangle(1 + 1e-9).find_negative_cycle()
    start = cycle.index(USDT)
    assert cycle[start:] + cycle[:start] == [USDT, BTC, ETH]


def test_a_cycle_just_below_breakeven_is_not_reported():
    assert directed_triangle(1 - 1e-9).find_negative_cycle() is None


def test_the_cycle_weight_is_reported_after_a_pass():
    graph = triangle(60_000.0, 3_000.0, 0.0498)
    cycle = graph.find_negative_cycle()
    assert graph.last_cycle_weight == pytest.approx(graph.cycle_weight(cycle))


def test_a_two_node_cycle_is_found():
    graph = ArbGraph(2)
    graph.set_edge(0, 1, -math.log(2.0))
    graph.set_edge(1, 0, -math.log(0.6))
    assert graph.find_negative_cycle() in ([0, 1], [1, 0])


# -- INCREMENTAL -------------------------------------------------------------------------------


def test_incremental_search_finds_a_cycle_a_lowered_edge_opens():
    graph = triangle(60_000.0, 3_000.0, 0.05)
    assert graph.find_negative_cycle() is None
    graph.set_edge(BTC, ETH, -math.log(1 / 0.0498))
    cycle = graph.find_negative_cycle_incremental()
    assert graph.cycle_weight(cycle) < 0
    assert (BTC, ETH) in zip(cycle, cycle[1:] + cycle[:1], strict=True)
    assert (graph.full_pass_count, graph.incremental_pass_count) == (1, 1)


def test_incremental_search_without_changes_runs_no_pass():
    graph = triangle(60_000.0, 3_000.0, 0.05)
    graph.find_negative_cycle()
    assert graph.find_negative_cycle_incremental() is None
    assert (graph.full_pass_count, graph.incremental_pass_count) == (1, 0)


def test_raising_an_edge_keeps_the_potentials():
    graph = triangle(60_000.0, 3_000.0, 0.05)
    graph.find_negative_cycle()
    graph.set_edge(ETH, USDT, -math.log(2_990.0))
    assert graph.pending_change_count == 0
    assert graph.find_negative_cycle_incremental() is None


def test_incremental_search_after_a_cycle_runs_a_full_pass():
    graph = triangle(60_000.0, 3_000.0, 0.0498)
    graph.find_negative_cycle()
    assert not graph.has_potentials
    assert graph.find_negative_cycle_incremental() is not None
    assert graph.full_pass_count == 2


def test_a_lowered_edge_that_opens_no_cycle_is_settled_incrementally():
    graph = triangle(60_000.0, 3_000.0, 0.05, fee=0.001)
    graph.find_negative_cycle()
    graph.set_edge(ETH, USDT, -math.log(3_005.0 * 0.999))
    assert graph.find_negative_cycle_incremental() is None
    assert graph.full_pass_count == 1
    assert graph.has_potentials


def test_removing_an_edge_closes_the_cycle_through_it():
    graph = triangle(60_000.0, 3_000.0, 0.0498)
    graph.remove_edge(ETH, USDT)
    assert graph.find_negative_cycle() is None
    assert not graph.has_edge(ETH, USDT)
    assert graph.edge_count == 5


# -- PROPERTIES --------------------------------------------------------------------------------


def min_cycle_weight_by_floyd_warshall(weights):
    dist = weights.copy()
    for k in range(len(weights)):
        dist = np.minimum(dist, dist[:, [k]] + dist[[k], :])
    return float(np.diag(dist).min())


edge_lists = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 5),
        st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=30,
)


def build(edges):
    graph = ArbGraph(6)
    for tail, head, weight in edges:
        if tail != head:
            graph.set_edge(tail, head, weight)
    return graph


@given(edges=edge_lists)
def test_a_reported_cycle_is_a_real_negative_cycle(edges):
    graph = build(edges)
    cycle = graph.find_negative_cycle()
    if cycle is not None:
        assert is_cycle_of(graph, cycle)
        assert len(set(cycle)) == len(cycle)
        assert graph.cycle_weight(cycle) < 0


@given(edges=edge_lists)
def test_full_pass_agrees_with_floyd_warshall(edges):
    graph = build(edges)
    lightest = min_cycle_weight_by_floyd_warshall(graph.weights())
    assume(not -1e-9 < lightest < 1e-9)  # leave cycles within float noise of zero aside
    assert (graph.find_negative_cycle() is not None) == (lightest < 0)


@given(first=edge_lists, updates=edge_lists)
def test_incremental_search_agrees_with_a_full_pass(first, updates):
    graph = build(first)
    graph.find_negative_cycle()
    for tail, head, weight in updates:
        if tail != head:
            graph.set_edge(tail, head, weight)
    incremental = graph.find_negative_cycle_incremental()
    fresh = build(first + updates)
    assert (incremental is not None) == (fresh.find_negative_cycle() is not None)


def test_every_simple_cycle_of_an_arbitrage_free_graph_is_non_negative():
    rng = np.random.default_rng(5)
    log_prices = rng.normal(0.0, 3.0, 8)
    graph = ArbGraph(8)
    for tail, head in itertools.permutations(range(8), 2):
        graph.set_edge(tail, head, log_prices[head] - log_prices[tail] + 1e-4)
    assert graph.find_negative_cycle() is None


# -- ERRORS ------------------------------------------------------------------------------------


def test_a_self_loop_is_refused():
    with pytest.raises(ValueError, match="head"):
        ArbGraph(3).set_edge(1, 1, 0.0)


def test_a_node_out_of_range_is_refused():
    with pytest.raises(ValueError, match="tail"):
        ArbGraph(3).set_edge(3, 1, 0.0)


def test_a_non_finite_weight_is_refused():
    with pytest.raises(ValueError, match="weight"):
        ArbGraph(3).set_edge(0, 1, math.inf)


def test_a_graph_needs_two_nodes():
    with pytest.raises(ValueError, match="node_count"):
        ArbGraph(1)


def test_weights_is_a_dense_copy_with_inf_for_missing_edges():
    graph = ArbGraph(3)
    graph.set_edge(0, 1, 0.25)
    weights = graph.weights()
    assert weights[0, 1] == 0.25
    assert np.isinf(weights[1, 0])
    weights[0, 1] = 9.0
    assert graph.weight(0, 1) == 0.25
