"""Build the network and optimizer that a set of hyperparameters (registry names) describes.

One place maps the tuning layer's names (``hidden_units``, ``hidden_layers``, ``optimizer``,
``beta_1``...) onto the engine; trials and the window's "train one model" both use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.core.nn.network import Network
from desktop_app.core.nn.optimizers import Optimizer, make_optimizer

# The hyperparameters each optimizer takes (make_optimizer refuses the others).
OPTIMIZER_ARGS: dict[str, tuple[str, ...]] = {
    "sgd": ("learning_rate",),
    "momentum": ("learning_rate", "momentum"),
    "rmsprop": ("learning_rate", "beta_2", "epsilon"),
    "adam": ("learning_rate", "beta_1", "beta_2", "epsilon"),
}


def build_model(
    hp: Mapping[str, Any], n_features: int, n_classes: int, seed: int, dtype: str = "float32"
) -> tuple[Network, Optimizer]:
    """The network and optimizer for hyperparameters ``hp`` (every registry name present)."""
    net = Network(
        n_inputs=n_features,
        hidden=[int(hp["hidden_units"])] * int(hp["hidden_layers"]),
        n_classes=n_classes,
        batch_norm=bool(hp["batch_norm"]),
        activation=hp["activation"],
        dropout=float(hp["dropout"]),
        l2=float(hp["l2"]),
        seed=seed,
        dtype=dtype,
    )
    names = OPTIMIZER_ARGS.get(hp["optimizer"], ())  # an unknown name: make_optimizer says so
    optimizer = make_optimizer(hp["optimizer"], **{k: float(hp[k]) for k in names})
    return net, optimizer
