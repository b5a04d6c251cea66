"""One real Dask cluster for the folder: a scheduler and two single-threaded worker processes,
all on 127.0.0.1. Without the optional ``distributed`` package there is nothing to test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

try:
    import distributed
except ImportError:  # the dask extra is not installed (CI installs it)
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address="127.0.0.1:0", memory_limit=0,
    ) as local:
        yield local


@pytest.fixture
def address(cluster: Any) -> str:
    """The scheduler address, once both workers are up (a test may have killed one)."""
    cluster.wait_for_workers(2, timeout=30)
    return cluster.scheduler_address


@pytest.fixture
def client(address: str) -> Iterator[Any]:
    """A client of its own for the test (to look at or kill workers)."""
    with distributed.Client(address, set_as_default=False) as own:
        yield own
