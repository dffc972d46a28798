"""Where chunks run: in this process, on a local process pool, or on a Dask cluster.

All three offer one method, `map_unordered(fn, shared, tasks)`, which calls `fn(shared, task)`
for each task and yields the results as they complete. `shared` (the workload) is sent once per
worker rather than once per task. At most a few tasks per worker are in flight, so finished
results never pile up in memory. Results carry their own index; order is restored by the caller.
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT_PER_WORKER = 2
CONNECT_TIMEOUT = "10s"


class ExecutorError(RuntimeError):
    """The executor cannot start (for example, no Dask scheduler at the address given)."""


class Executor(Protocol):
    """Runs tasks somewhere; a context manager that stops its workers on exit."""

    @property
    def workers(self) -> int: ...

    @property
    def description(self) -> str: ...

    def map_unordered(
        self, fn: Callable[[S, T], R], shared: S, tasks: Sequence[T]
    ) -> Iterator[R]: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


def available_cores() -> int:
    """Cores this process may use (CPU affinity aware)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class SerialExecutor:
    """Runs every task in this process, in order: the path for one worker and for debugging."""

    workers = 1
    description = "serial (in process)"

    def map_unordered(self, fn: Callable[[S, T], R], shared: S, tasks: Sequence[T]) -> Iterator[R]:
        for task in tasks:
            yield fn(shared, task)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


_worker_fn: Callable[[Any, Any], Any] | None = None
_worker_shared: Any = None


def _install(fn: Callable[[Any, Any], Any], shared: Any) -> None:
    """Pool initializer: keep the function and the shared workload for every later task."""
    global _worker_fn, _worker_shared
    # Ctrl-C is the parent's to handle: it stops handing out work and keeps what finished.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_fn, _worker_shared = fn, shared


def _call(task: Any) -> Any:
    if _worker_fn is None:
        raise RuntimeError("pool worker used before its initializer ran")
    return _worker_fn(_worker_shared, task)


class LocalProcessExecutor:
    """A local pool of worker processes started by a fork server (no threads inherited).

    `preload` names modules the fork server imports once, so each worker starts with them
    already imported instead of paying the import time itself.
    """

    def __init__(self, workers: int, preload: Sequence[str] = ()) -> None:
        self._workers = workers
        self._preload = list(preload)
        self._pool: cf.ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def description(self) -> str:
        return f"process pool ({self._workers} workers)"

    def map_unordered(self, fn: Callable[[S, T], R], shared: S, tasks: Sequence[T]) -> Iterator[R]:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        context = multiprocessing.get_context("forkserver")
        if self._preload:
            context.set_forkserver_preload(self._preload)
        self._pool = cf.ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=context,
            initializer=_install,
            initargs=(fn, shared),
        )
        pool = self._pool
        queue = iter(tasks)
        running: set[cf.Future[Any]] = set()
        limit = self._workers * IN_FLIGHT_PER_WORKER
        for task in queue:
            running.add(pool.submit(_call, task))
            if len(running) >= limit:
                break
        while running:
            done, running = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for future in done:
                next_task = next(queue, None)
                if next_task is not None:
                    running.add(pool.submit(_call, next_task))
                yield future.result()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Tasks on a Dask cluster: `local` starts a LocalCluster on loopback, else an address.

    The local cluster talks TCP on 127.0.0.1 even with `processes=False` (workers as threads of
    this process, which tests use because they start in a second), so tasks and results always
    cross a real comm and are serialised as on a remote cluster.
    """

    def __init__(self, address: str, workers: int, *, processes: bool = True) -> None:
        self._address = address
        self._requested = workers
        self._processes = processes
        self._client: Any = None
        self._cluster: Any = None

    @property
    def workers(self) -> int:
        if self._client is None:
            return self._requested
        workers = self._client.scheduler_info()["workers"].values()
        return max(1, sum(int(w["nthreads"]) for w in workers))

    @property
    def description(self) -> str:
        where = "LocalCluster on 127.0.0.1" if self._address == "local" else self._address
        return f"dask ({where}, {self.workers} worker threads)"

    def __enter__(self) -> Self:
        try:
            distributed: Any = importlib.import_module("distributed")
        except ModuleNotFoundError:
            raise ExecutorError(
                "--dask needs Dask: pip install 'cbrn-ttx[dask]' (dask[distributed])"
            ) from None
        Client, LocalCluster = distributed.Client, distributed.LocalCluster
        if self._address == "local":
            dask_config: Any = importlib.import_module("dask").config
            # The workers' sampling profiler costs CPU on every replication; nobody reads it.
            with dask_config.set({"distributed.worker.profile.enabled": False}):
                self._cluster = LocalCluster(
                    n_workers=self._requested,
                    threads_per_worker=1,
                    processes=self._processes,
                    protocol="tcp",
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(self._address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as error:
                raise ExecutorError(
                    f"cannot reach the Dask scheduler at {self._address}: {error}"
                ) from None
        return self

    def map_unordered(self, fn: Callable[[S, T], R], shared: S, tasks: Sequence[T]) -> Iterator[R]:
        as_completed: Any = importlib.import_module("distributed").as_completed
        client = self._client
        if client is None:
            raise RuntimeError("DaskExecutor used outside its `with` block")
        shared_future = client.scatter(shared, broadcast=True, hash=False)
        queue = iter(tasks)
        limit = self.workers * IN_FLIGHT_PER_WORKER
        first = [
            client.submit(fn, shared_future, t, pure=False)
            for _, t in zip(range(limit), queue, strict=False)
        ]
        pending = as_completed(first)
        for future in pending:
            next_task = next(queue, None)
            if next_task is not None:
                pending.add(client.submit(fn, shared_future, next_task, pure=False))
            result: R = future.result()
            future.release()
            yield result

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def make_executor(jobs: int, dask: str | None = None, preload: Sequence[str] = ()) -> Executor:
    """The executor the CLI and API ask for: Dask when an address is given, else pool or serial."""
    if dask is not None:
        return DaskExecutor(dask, jobs)
    if jobs <= 1:
        return SerialExecutor()
    return LocalProcessExecutor(jobs, preload)
