"""A small thread-safe least-recently-used cache for values that never go stale.

Used for things keyed by everything they depend on (a plan version, today's date, the
log statuses), so an entry is never invalidated, only pushed out when the cache is full.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LRU(Generic[V]):
    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable | None, make: Callable[[], V]) -> V:
        """The cached value for `key`, made (outside the lock) on a miss; None: no cache."""
        if key is None:
            return make()
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._data)
