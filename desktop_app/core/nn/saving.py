"""Save and load a network as one ``.npz``: its arrays plus its architecture as JSON. No pickle.

The target may be a path or a binary file object (``io.BytesIO``: a trial's weights travel to
the coordinator as the bytes of this same file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..errors import DataError
from .network import Network

FORMAT = "caviar-network/1"


def save_network(net: Network, path: str | Path | BinaryIO) -> None:
    """Write parameters, batch-norm running averages and architecture to ``path``."""
    arrays = {name: np.array(value) for name, value in net.parameters().items()}
    for layer in net.batch_norm_layers():
        arrays[f"running_mean{layer.index}"] = layer.running[0].copy()
        arrays[f"running_var{layer.index}"] = layer.running[1].copy()
    meta = {"format": FORMAT, "config": net.config}
    if not isinstance(path, str | Path):
        np.savez(path, architecture=np.array(json.dumps(meta)), **arrays)
        return
    with open(path, "wb") as fh:
        np.savez(fh, architecture=np.array(json.dumps(meta)), **arrays)


def load_network(path: str | Path | BinaryIO, field: str = "") -> Network:
    """Rebuild the network saved at ``path``; predictions equal the saved network's.

    ``field`` names the source in a :class:`DataError` (default: the path)."""
    field = field or str(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError) as err:
        raise DataError(field, f"cannot read a saved network: {err}") from None
    try:
        meta = json.loads(str(arrays.pop("architecture")))
    except (KeyError, ValueError):
        raise DataError(field, "no architecture entry; not a network saved by Caviar") from None
    if meta.get("format") != FORMAT:
        raise DataError(field, f"unknown format {meta.get('format')!r}; expected {FORMAT}")
    net = Network(**meta["config"])
    try:
        for name, value in net.parameters().items():
            value[...] = arrays[name]
        for layer in net.batch_norm_layers():
            layer.running[0] = arrays[f"running_mean{layer.index}"]
            layer.running[1] = arrays[f"running_var{layer.index}"]
    except (KeyError, ValueError) as err:
        raise DataError(field, f"array missing or of the wrong shape: {err}") from None
    return net
