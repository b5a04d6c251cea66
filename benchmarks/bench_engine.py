"""Training-step throughput of the numpy engine against the matmul peak and PyTorch.

One training step = forward + backward + Adam update on one mini-batch, float32, through the
public API (``Network.loss_and_gradients`` + ``Adam.step``). Three shapes, all with batch norm
and ReLU. Runs with one BLAS thread (threadpoolctl) and, when PyTorch is importable, one torch
thread, and prints steps/s, ours/PyTorch, our GFLOP/s (6 x parameters x batch per step) and its
share of this machine's numpy float32 matmul peak measured in the same run.

    .venv/bin/python benchmarks/bench_engine.py [--seconds 1.0] [--rounds 5]

OPENBLAS_CORETYPE is left as the environment sets it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from desktop_app.core.nn import Adam, Network

SHAPES = (  # name, inputs, hidden, classes, batch
    ("spiral", 2, (64, 64), 3, 64),
    ("digits", 64, (128, 128), 10, 128),
    ("mnist", 784, (256, 256), 10, 128),
)
TARGET_RATIO = {"spiral": 3.0, "digits": 1.8, "mnist": 1.1}
TARGET_PEAK_SHARE = {"mnist": 0.80}


def best_rates(steps: list[Callable[[], object]], seconds: float, rounds: int) -> list[float]:
    """Best steps/s of each step function over ``rounds`` rounds of about ``seconds`` each.

    The functions take turns round by round, so a machine shared with other work slows them
    alike and the ratios stay meaningful.
    """
    counts = []
    for step in steps:  # warm-up, and size each round to about ``seconds``
        t0, n = time.perf_counter(), 0
        while time.perf_counter() - t0 < min(0.3, seconds):
            step()
            n += 1
        counts.append(max(5, int(n / (time.perf_counter() - t0) * seconds)))
    best = [0.0] * len(steps)
    for _ in range(rounds):
        for i, (step, count) in enumerate(zip(steps, counts, strict=True)):
            t0 = time.perf_counter()
            for _ in range(count):
                step()
            best[i] = max(best[i], count / (time.perf_counter() - t0))
    return best


PEAK_SIZES = (512, 1024, 2048)


def matmul_steps() -> list[Callable[[], object]]:
    """One float32 square ``a @ b`` per size in PEAK_SIZES (2 n^3 flops each)."""
    rng = np.random.default_rng(0)
    steps = []
    for n in PEAK_SIZES:
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        out = np.empty_like(a)
        steps.append(lambda a=a, b=b, out=out: np.matmul(a, b, out=out))
    return steps


def data(n_in: int, classes: int, batch: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    return rng.standard_normal((batch, n_in), dtype=np.float32), rng.integers(0, classes, batch)


def ours(n_in: int, hidden: tuple[int, ...], classes: int, batch: int) -> tuple[Callable, int]:
    """A step closure through the public API and the network's parameter count."""
    net = Network(n_in, hidden, classes, batch_norm=True, activation="relu", seed=0,
                  dtype="float32")
    params, opt = net.parameters(), Adam(1e-3)
    X, y = data(n_in, classes, batch)

    def step() -> None:
        _, grads = net.loss_and_gradients(X, y)
        opt.step(params, grads)

    return step, sum(p.size for p in params.values())


def theirs(n_in: int, hidden: tuple[int, ...], classes: int, batch: int) -> Callable | None:
    """The same network in PyTorch (Linear without bias before BatchNorm1d), or None."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    layers: list = []
    for n_prev, n in zip((n_in, *hidden), hidden, strict=False):
        layers += [torch.nn.Linear(n_prev, n, bias=False), torch.nn.BatchNorm1d(n),
                   torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(hidden[-1], classes))
    loss_fn, opt = torch.nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=1e-3)
    X, y = data(n_in, classes, batch)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss_fn(model(Xt), yt).backward()
        opt.step()

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one timed round")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (best is kept)")
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(1)
        torch_note = f"PyTorch {torch.__version__}, 1 thread"
    except ImportError:
        torch_note = "PyTorch not importable: no comparison"
    with threadpool_limits(limits=1):
        results = []
        peak = 0.0
        for name, n_in, hidden, classes, batch in SHAPES:
            # the matmul peak takes turns with the networks too: one busy spell on a shared
            # machine cannot flatter either side of the share
            step, n_params = ours(n_in, hidden, classes, batch)
            torch_step = theirs(n_in, hidden, classes, batch)
            steps = [step] if torch_step is None else [step, torch_step]
            rates = best_rates(steps + matmul_steps(), args.seconds, args.rounds)
            mm_rates = rates[len(steps):]
            peak = max(peak, *(2.0 * n**3 * r / 1e9 for n, r in zip(PEAK_SIZES, mm_rates,
                                                                      strict=True)))
            results.append((name, n_params, batch, rates[0], rates[1] if torch_step else 0.0))
        print(f"numpy {np.__version__}, 1 BLAS thread; {torch_note}")
        sizes = "/".join(map(str, PEAK_SIZES))
        print(f"float32 matmul peak: {peak:.1f} GFLOP/s (best of square sizes {sizes})\n")
        print(f"{'shape':<8}{'params':>9}{'ours/s':>10}{'torch/s':>10}{'ratio':>7}"
              f"{'target':>8}{'GFLOP/s':>9}{'of peak':>9}")
        for name, n_params, batch, rate, torch_rate in results:
            gflops = 6.0 * n_params * batch * rate / 1e9
            ratio = f"{rate / torch_rate:7.2f}" if torch_rate else f"{'-':>7}"
            target = f">={TARGET_RATIO[name]}"
            share = f"{gflops / peak:8.0%}"
            if name in TARGET_PEAK_SHARE:
                share += f" (target >={TARGET_PEAK_SHARE[name]:.0%})"
            print(f"{name:<8}{n_params:>9}{rate:>10.0f}{torch_rate:>10.0f}{ratio}{target:>8}"
                  f"{gflops:>9.1f}{share}")


if __name__ == "__main__":
    main()
