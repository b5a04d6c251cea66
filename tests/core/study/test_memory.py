"""InMemoryStorage against the shared storage contract."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop_app.core.study import InMemoryStorage, Storage, open_storage
from tests.core.study.storage_contract import StorageContract


class TestInMemoryStorage(StorageContract):
    @pytest.fixture
    def make_storage(self) -> Callable[[], Storage]:
        return InMemoryStorage


def test_open_storage_without_a_path_is_in_memory() -> None:
    assert isinstance(open_storage(None), InMemoryStorage)
