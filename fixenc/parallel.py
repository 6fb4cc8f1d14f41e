"""Repair the chunks of one long input in worker processes, handing the results back in order.

Each chunk of a stream is repaired on its own once the encoding is known (see api.repair_stream),
so chunks can go to other cores while this process reads and writes. Workers are forked, so they
start with the model and the compiled patterns already loaded.
"""
from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

Item = TypeVar("Item")
Out = TypeVar("Out")

# Chunks handed out per worker before the first result is waited for: enough to keep every worker
# busy while this process writes, few enough that memory stays a few chunks per worker.
AHEAD_PER_WORKER = 2


def map_in_order(work: Callable[..., Out], items: Iterable[tuple[Item, tuple[Any, ...]]],
                 jobs: int) -> Iterator[tuple[Item, Out]]:
    """(item, work(*arguments)) for each (item, arguments), in order, computed by `jobs` processes.

    An exception raised by `work` is raised here, at its item; the workers still running are
    stopped and their pending items dropped.
    """
    from concurrent.futures import ProcessPoolExecutor  # imported here: a pipe's start-up never needs it

    _flush_std_streams()  # a forked worker flushes what it inherited when it exits: flush it first
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_fork_context())
    pending: deque[tuple[Item, Future[Out]]] = deque()
    try:
        for item, arguments in items:
            pending.append((item, pool.submit(work, *arguments)))
            if len(pending) >= jobs * AHEAD_PER_WORKER:
                item, future = pending.popleft()
                yield item, future.result()
        while pending:
            item, future = pending.popleft()
            yield item, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def available() -> bool:
    """Whether workers can be forked here (POSIX); elsewhere a stream is repaired in one process."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def cpu_count() -> int:
    """The CPUs this process may run on: the default number of jobs."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _fork_context() -> Any:
    import multiprocessing

    return multiprocessing.get_context("fork")


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
