"""Random search's own draws: indexed, on each parameter's scale, no Optuna study needed."""

from __future__ import annotations

import math

import pytest

from desktop_app.core.search.random_draws import BLOCK, RandomDraws
from tests.core.search.helpers import SPACE, make, objective, run

pytestmark = pytest.mark.filterwarnings("error")


def past(params_list: list[dict]) -> list[tuple]:
    return [(p, "complete", objective(p), {1: objective(p)}) for p in params_list]


def test_a_draw_depends_only_on_the_seed_and_its_index() -> None:
    draws, again = RandomDraws(SPACE, 3), RandomDraws(SPACE, 3)
    forward = [draws.draw(i) for i in range(BLOCK + 5)]
    assert [again.draw(i) for i in reversed(range(BLOCK + 5))] == forward[::-1]
    assert RandomDraws(SPACE, 4).draw(0) != forward[0]
    assert len({tuple(d.values()) for d in forward}) == len(forward)  # no repeats across blocks


def test_a_resume_across_a_block_boundary_continues_the_stream() -> None:
    whole = run(make("random"), BLOCK + 10)
    assert run(make("random", history=past(whole[:BLOCK - 3])), 13) == whole[BLOCK - 3:]


def test_each_scale_is_uniform_in_its_own_coordinate() -> None:
    draws = RandomDraws(SPACE, 0)
    points = [draws.draw(i) for i in range(4000)]
    # log over [1e-4, 1]: a quarter per decade; reverse-log over [0.9, 0.999]: 1 - b uniform in
    # log, half of it above 0.99; pow2 over [16, 512]: 6 exponents equally likely
    decades = [sum(-k - 1 <= math.log10(p["learning_rate"]) < -k for p in points) for k in range(4)]
    assert all(abs(n / 4000 - 0.25) < 0.03 for n in decades)
    assert abs(sum(p["momentum"] > 0.99 for p in points) / 4000 - 0.5) < 0.03
    sizes = [p["batch_size"] for p in points]
    assert {s: sizes.count(s) for s in set(sizes)}.keys() == {16, 32, 64, 128, 256, 512}
    assert min(sizes.count(s) for s in set(sizes)) > 4000 / 6 * 0.85
    assert {p["optimizer"] for p in points} == {"sgd", "adam"}


@pytest.mark.parametrize(("kind", "pruner", "optuna"), [
    ("random", "none", False), ("grid", "none", False), ("random", "median", True),
    ("tpe", "none", True), ("quasi_random", "none", True)])
def test_only_a_model_or_a_pruner_needs_optunas_study(kind: str, pruner: str,
                                                      optuna: bool) -> None:
    assert make(kind, pruner=pruner).uses_optuna is optuna


def test_random_with_a_pruner_draws_the_same_points() -> None:
    assert run(make("random", pruner="median"), 12) == run(make("random"), 12)
