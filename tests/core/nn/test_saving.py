"""Save/load round trip through one .npz (no pickle)."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.errors import DataError
from desktop_app.core.nn import Adam, Network, load_network, save_network, train

from .helpers import spiral


@pytest.mark.parametrize("batch_norm", [True, False])
def test_round_trip_gives_identical_predictions(tmp_path, batch_norm: bool) -> None:
    X, y = spiral(n_per_class=40)
    net = Network(2, [16, 8], 3, batch_norm=batch_norm, activation="tanh", dropout=0.1,
                  l2=1e-3, seed=4, dtype="float32")
    train(net, Adam(0.01), X, y, epochs=3)
    if batch_norm:  # running stats moved away from their (0, 1) start
        assert not np.allclose(net.batch_norm_layers()[0].running[0], 0.0)
    path = tmp_path / "net.npz"
    save_network(net, path)
    with np.load(path, allow_pickle=False) as data:
        assert "architecture" in data.files
    loaded = load_network(path)
    assert loaded.config == net.config
    np.testing.assert_array_equal(loaded.predict_proba(X), net.predict_proba(X))
    for name, value in net.parameters().items():
        np.testing.assert_array_equal(loaded.parameters()[name], value)


def test_loading_a_foreign_file_names_the_file(tmp_path) -> None:
    path = tmp_path / "other.npz"
    np.savez(path, X=np.zeros(3))
    with pytest.raises(DataError, match=r"other\.npz"):
        load_network(path)
    with pytest.raises(DataError, match=r"missing\.npz"):
        load_network(tmp_path / "missing.npz")
