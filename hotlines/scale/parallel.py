"""Process-parallel page building, in input order (`--jobs N`).

`ordered_map(work, tasks, jobs=N)` runs `work(task)` in N worker processes and yields
`(task, result)` in the order the tasks came, whatever order the workers finish in, so the
output of `--jobs N` is byte for byte that of `--jobs 1`. `work` returns a value or raises; an
exception is the result (`InputError` and the like are how a page fails). The same function
runs in every process: with `fork` (Linux) the workers are copies of a parent that has already
loaded the tables, so they start in milliseconds and share those pages; with `spawn` each
worker loads its own.

Each worker owns a pipe and is given at most `PREFETCH` tasks at a time, built in the order
given, so the parent always knows which task a worker is on: when a worker dies (killed, out of memory, a crash in native
code) the task at the head of its queue is the one that killed it. That task's result is an
`InputError` naming it; the worker's other tasks go to a fresh worker, and the batch goes on.

Memory stays flat: the parent reads ahead at most `jobs * (PREFETCH + REORDER)` tasks, and
results wait for their turn only as long as an earlier task is still being built.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from hotlines.errors import InputError
from hotlines.scale import usable_cores  # noqa: F401  (here too, beside the pool it sizes)

Task = TypeVar("Task")

# Tasks handed to a worker at once: the one it is building and the next, waiting in its inbox,
# so that it never idles while the parent comes round. (A worker reads its pipe in a thread of
# its own: with a plain recv loop, the parent could block writing a large page into a full pipe
# while the worker blocks writing a large result into the other, neither reading.)
PREFETCH = 2
REORDER = 6  # per worker: finished results held back while an earlier one is still building


class WorkerDied(InputError):
    """The worker process building this input ended without a result (a crash, a kill, OOM)."""

    def __init__(self, name: str, exitcode: int | None) -> None:
        if exitcode is not None and exitcode < 0:
            how = f"killed by signal {signal.Signals(-exitcode).name}" if -exitcode in signal.valid_signals() else f"signal {-exitcode}"
        else:
            how = f"exit code {exitcode}"
        super().__init__(name, f"the worker process building this input died ({how}); the rest of the batch goes on")
        self.exitcode = exitcode

    def __reduce__(self) -> tuple[type, tuple[str, int | None]]:
        return type(self), (self.name, self.exitcode)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _serve(connection: Connection, work: Callable[[Any], Any], setup: Callable[[], None] | None) -> None:
    """A worker: tasks in, results out, until the parent sends None or goes away.

    A thread of its own takes tasks off the pipe as they come, so the parent's sends never wait
    on this worker's work: the parent can hand over the next task while this one is built, and
    neither side can block the other with a full pipe (the parent always reads results).
    """
    import queue
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the workers
    if setup is not None:
        setup()
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def receive() -> None:
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                message = None
            inbox.put(message)
            if message is None:
                return

    threading.Thread(target=receive, name="hotlines-worker-inbox", daemon=True).start()
    while (message := inbox.get()) is not None:
        number, task = message
        try:
            result: Any = work(task)
        except Exception as error:  # an input that fails: its error is the result
            result = error if _picklable(error) else InputError(getattr(task, "name", str(task)), f"{type(error).__name__}: {error}")
        try:
            connection.send((number, result))
        except OSError:  # the parent is gone
            return


def _picklable(error: Exception) -> bool:
    import pickle

    try:
        pickle.dumps(error)
    except Exception:
        return False
    return True


class _Worker(Generic[Task]):
    def __init__(self, context: Any, work: Callable[[Task], Any], setup: Callable[[], None] | None) -> None:
        self.connection, child = context.Pipe()
        forked = context.get_start_method() == "fork"  # a copy of the parent: nothing to set up
        self.process = context.Process(target=_serve, args=(child, work, None if forked else setup), daemon=True)
        self.process.start()
        child.close()
        self.queue: deque[int] = deque()  # task numbers handed over, oldest (being built) first

    def stop(self, *, now: bool = False) -> None:
        """Ask it to finish (it ends after its current task), or with `now` end it at once."""
        if now:
            self.process.kill()
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def ordered_map(
    work: Callable[[Task], Any],
    tasks: Iterable[Task],
    *,
    jobs: int,
    setup: Callable[[], None] | None = None,
    inline: Callable[[Task], bool] | None = None,
    prepare: Callable[[], None] | None = None,
) -> Iterator[tuple[Task, Any]]:
    """`(task, work(task) or the exception it raised)` for every task, in order, over `jobs` processes.

    `setup` runs once in each worker started by `spawn`, before its first task (load the tables);
    a forked worker starts as a copy of this process, with whatever it has loaded.
    `inline(task)` true: the task runs here, in this process, in its turn (stdin can't be read
    by a worker). `prepare` runs here just before workers are started (load what they should
    share). With `jobs` 1, or fewer than two tasks, no worker is started at all.
    """
    iterator = iter(tasks)
    head = [task for _, task in zip(range(2), iterator)]
    if jobs <= 1 or len(head) < 2:
        for task in [*head, *iterator]:
            yield task, _attempt(work, task)
        return
    if prepare is not None:
        prepare()  # here, once, before the workers are forked from this process
    yield from _Pool(work, jobs, setup, inline).run(head, iterator)


def _attempt(work: Callable[[Task], Any], task: Task) -> Any:
    try:
        return work(task)
    except Exception as error:
        return error


class _Pool(Generic[Task]):
    def __init__(self, work: Callable[[Task], Any], jobs: int, setup: Callable[[], None] | None, inline: Callable[[Task], bool] | None) -> None:
        self.work, self.jobs, self.setup, self.inline = work, jobs, setup, inline
        self.context = _context()
        self.workers: list[_Worker[Task]] = []
        self.tasks: dict[int, Task] = {}  # read, result not yet yielded
        self.results: dict[int, Any] = {}  # finished, waiting for their turn
        self.retry: deque[int] = deque()  # handed to a worker that died before building them

    def run(self, head: list[Task], rest: Iterator[Task]) -> Iterator[tuple[Task, Any]]:
        numbered = enumerate(_chain(head, rest))
        next_out = 0
        exhausted = False
        limit = self.jobs * (PREFETCH + REORDER)
        finished = False
        try:
            self.workers = [_Worker(self.context, self.work, self.setup) for _ in range(self.jobs)]
            while True:
                # Hand out work: retries first, then new tasks, while read-ahead stays bounded.
                while True:
                    worker = min(self.workers, key=lambda w: len(w.queue))
                    if len(worker.queue) >= PREFETCH:
                        break
                    if self.retry:
                        self._send(worker, self.retry.popleft())
                        continue
                    if exhausted or len(self.tasks) >= limit:
                        break
                    try:
                        number, task = next(numbered)
                    except StopIteration:
                        exhausted = True
                        break
                    self.tasks[number] = task
                    if self.inline is not None and self.inline(task):
                        self.results[number] = _attempt(self.work, task)
                    else:
                        self._send(worker, number)
                # Yield whatever is next in order.
                while next_out in self.results:
                    yield self.tasks.pop(next_out), self.results.pop(next_out)
                    next_out += 1
                if exhausted and not self.tasks:
                    finished = True
                    return
                if any(w.queue for w in self.workers):
                    self._collect()
        finally:  # done, or abandoned (Ctrl-C, the consumer failed): then the workers end at once
            for worker in self.workers:
                worker.stop(now=not finished)

    def _send(self, worker: _Worker[Task], number: int) -> None:
        worker.queue.append(number)
        try:
            worker.connection.send((number, self.tasks[number]))
        except OSError:  # it died already; _collect finds out and replaces it
            pass

    def _collect(self) -> None:
        """Wait for at least one result or one dead worker, and take in every result ready."""
        by_handle: dict[Any, _Worker[Task]] = {}
        for worker in self.workers:
            if worker.queue:
                by_handle[worker.connection] = worker
                by_handle[worker.process.sentinel] = worker
        for worker in {id(by_handle[h]): by_handle[h] for h in wait(list(by_handle))}.values():
            if not self._drain(worker) or not worker.process.is_alive():
                self._replace(worker)

    def _drain(self, worker: _Worker[Task]) -> bool:
        """Take in every result waiting in the worker's pipe; False when the pipe is closed."""
        try:
            while worker.connection.poll():
                number, result = worker.connection.recv()
                worker.queue.remove(number)
                self.results[number] = result
        except (EOFError, OSError):
            return False
        return True

    def _replace(self, worker: _Worker[Task]) -> None:
        worker.process.join()
        self._drain(worker)  # what it sent before it died is in the pipe: keep it
        if worker.queue:
            culprit = worker.queue.popleft()  # the task it was building when it died
            task = self.tasks[culprit]
            self.results[culprit] = WorkerDied(getattr(task, "name", str(task)), worker.process.exitcode)
            self.retry.extend(worker.queue)  # handed over but never started: build them elsewhere
            worker.queue.clear()
        worker.connection.close()
        self.workers[self.workers.index(worker)] = _Worker(self.context, self.work, self.setup)


def _chain(head: list[Task], rest: Iterator[Task]) -> Iterator[Task]:
    yield from head
    yield from rest
