"""Where partitions run: Dask's local schedulers or a ``dask.distributed`` cluster, results in input order.

Every partition is one ``dask.delayed`` task. Up to two tasks per worker are in flight, so no worker
waits for the client while it stores a batch, and the client never holds more than that many coded
partitions. Results come back in partition order (the store's cross-report dedup depends on order).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import dask
from dask.delayed import Delayed

from detente.errors import InputError
from detente.scale.worker import KnownDocuments, KnownDocumentsFile, start_worker_process

__all__ = ["LOCAL_SCHEDULERS", "Cluster"]

LOCAL_SCHEDULERS = ("processes", "threads", "synchronous")
_REMOTE_PREFIXES = ("tcp://", "tls://", "inproc://", "ucx://")


def _describe(scheduler: str) -> str:
    return (
        f"--scheduler {scheduler!r}: expected processes, threads, synchronous "
        "or a Dask scheduler address such as tcp://10.0.0.5:8786"
    )


class Cluster:
    """A running scheduler: ``Cluster(scheduler, workers)``; use as a context manager.

    ``scheduler`` is "processes" (a pool of ``workers`` processes on this machine, the default), "threads",
    "synchronous" (one thread, for debugging) or the address of a ``dask.distributed`` scheduler
    ("tcp://host:8786"), whose workers are whatever the cluster runs (``workers`` is then ignored).
    An unknown name, or an address that does not answer within ``connect_timeout`` seconds, raises
    ``InputError`` here, before anything is done.
    """

    def __init__(
        self, scheduler: str = "processes", workers: int | None = None, *, connect_timeout: float = 10.0
    ) -> None:
        if workers is not None and workers < 1:
            raise InputError(f"--workers {workers}: must be 1 or more")
        self.scheduler = scheduler
        self._client: Any = None
        self._pool: Executor | None = None
        self._feeder: ThreadPoolExecutor | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        if scheduler.startswith(_REMOTE_PREFIXES):
            self._client = _connect(scheduler, connect_timeout)
            self.workers = max(1, self._threads_of_cluster())
        elif scheduler in LOCAL_SCHEDULERS:
            self.workers = 1 if scheduler == "synchronous" else workers or (os.cpu_count() or 1)
            if scheduler == "processes":
                # spawn, not fork: the client may hold threads (progress bar, DuckDB) a fork would copy
                # mid-state; each worker starts clean and loads the model once.
                self._pool = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=start_worker_process,
                    initargs=(os.getpid(),),
                )
            elif scheduler == "threads":
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="detente-scale")
            if scheduler != "synchronous":
                # Local schedulers compute synchronously: one feeder thread per in-flight task turns
                # them into futures, so partitions overlap instead of running window by window.
                self._feeder = ThreadPoolExecutor(2 * self.workers, thread_name_prefix="detente-feed")
        else:
            raise InputError(_describe(scheduler))

    @property
    def distributed(self) -> bool:
        return self._client is not None

    def _threads_of_cluster(self) -> int:
        info = self._client.scheduler_info()
        return sum(int(worker.get("nthreads", 1)) for worker in info.get("workers", {}).values())

    def share(self, known: KnownDocuments) -> KnownDocuments | KnownDocumentsFile | Any:
        """``known`` as a task argument, sent to each worker once rather than with every task.

        A cluster gets it scattered to every worker; local worker processes map a file of it; threads
        share the object itself.
        """
        if self._client is not None:
            return self._client.scatter(known, broadcast=True, hash=False)
        if self.scheduler != "processes":
            return known
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="detente-scale-")
        return known.save(self._folder.name)

    def compute(self, collection: Any) -> Any:
        """Compute one Dask collection (a dataframe reduction, say) on these workers."""
        if self._client is not None:
            return self._client.compute(collection).result()
        (result,) = dask.compute(collection, scheduler=self.scheduler, pool=self._pool)
        return result

    def run(self, task: Delayed) -> Any:
        """Compute one task on a worker, beside the tasks already in flight, and wait for it."""
        return self._result(self._submit(task))

    def map_ordered(
        self, tasks: Iterable[Delayed], on_submit: Callable[[int], None] | None = None
    ) -> Iterator[Any]:
        """Results of ``tasks`` in order, with at most two tasks per worker computing at once."""
        window = 2 * self.workers
        pending: deque[Future[Any] | Any] = deque()
        submitted = 0
        iterator = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                task = next(iterator, None)
                if task is None:
                    exhausted = True
                    break
                pending.append(self._submit(task))
                submitted += 1
                if on_submit is not None:
                    on_submit(submitted)
            if not pending:
                return
            yield self._result(pending.popleft())

    def _submit(self, task: Delayed) -> Any:
        if self._client is not None:
            return self._client.compute(task)
        if self._feeder is None:
            return task  # synchronous: computed when its turn comes
        return self._feeder.submit(self._compute_local, task)

    def _compute_local(self, task: Delayed) -> Any:
        (result,) = dask.compute(task, scheduler=self.scheduler, pool=self._pool)
        return result

    def _result(self, handle: Any) -> Any:
        if isinstance(handle, Delayed):
            (result,) = dask.compute(handle, scheduler="synchronous")
            return result
        return handle.result()

    def close(self) -> None:
        if self._feeder is not None:
            self._feeder.shutdown(wait=False, cancel_futures=True)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._client is not None:
            self._client.close()
        if self._folder is not None:
            self._folder.cleanup()
        self._feeder = self._pool = self._client = self._folder = None

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(address: str, timeout: float) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            f"--scheduler {address}: dask.distributed is not installed (pip install distributed)"
        ) from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        if len(reason) > 160:
            reason = reason[:157] + "..."
        raise InputError(f"--scheduler {address}: cannot reach the Dask scheduler ({reason})") from None
    except ValueError as error:
        raise InputError(f"--scheduler {address}: not a scheduler address ({error})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        client.close()
        raise InputError(
            f"--scheduler {address}: the scheduler has no workers (start some with `dask worker {address}`)"
        ) from None
    return client
