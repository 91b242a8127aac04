"""Markdown rendering with a limit it cannot exceed: a worker process and a deadline.

Python-Markdown has inputs whose work grows far faster than their length: within the
200,000-character limit the probe found `"# a\\n" * 49,750` (319 s), deep quotes, code
spans, raw HTML, tables and admonitions (10–90 s), and `"a\\n: b\\n"` repeated, which
overflows the stack in the definition-list extension. Rules on the input cannot be shown
to bound every path through the parser, so the parser runs in a worker process instead:
each call gets RENDER_SECONDS, and a worker that overruns is killed and replaced. The
worker also caps its own memory. One worker per server process, started on first use and
reused; calls from several threads take turns.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from .source import ImportFailed, SourceProblem

# Every editor and preview must answer within 2 s; rendering gets most of that.
RENDER_SECONDS = 1.5
# How long a new worker may take to import the markdown stack (once per server process).
START_SECONDS = 60.0
WORKER_MEMORY_BYTES = 1024 * 1024 * 1024
_ROOT = str(Path(__file__).resolve().parents[2])
_HEADER = struct.Struct("!Q")


def _send(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes | None:
    """`size` bytes from `fd`, or None if the deadline passes first; EOFError if it closes."""
    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, deadline: float | None):
    header = _read_exact(fd, _HEADER.size, deadline)
    if header is None:
        return None
    body = _read_exact(fd, _HEADER.unpack(header)[0], deadline)
    return None if body is None else pickle.loads(body)  # noqa: S301 - our own worker's answer


def serve() -> None:
    """The worker's loop, on stdin and stdout: run each allowed call, answer (status, value)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):  # not on this platform: the deadline still holds
        pass
    import markdown

    from .render import render_module_in_process

    calls = {"render": render_module_in_process, "markdown": markdown.markdown}
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answers
    _send(stdout, ("ready", None))
    while True:
        try:
            number, name, args, kwargs = _receive(stdin.fileno(), None)
        except EOFError:
            return
        try:
            answer = ("ok", calls[name](*args, **kwargs))
        except ImportFailed as failed:
            answer = ("failed", failed.problems)
        except (RecursionError, MemoryError) as exc:
            answer = ("too-big", type(exc).__name__)
        _send(stdout, (number, *answer))


class TooSlowToRender(ImportFailed):
    """The text took longer than the limit to render; its single problem says so."""


class _Worker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._owner = None  # the pid that started it: a forked server process starts its own
        self._ready = False
        # After a text had to be stopped, a second worker is kept started and ready, so the
        # request after it does not wait for a fresh one to import (until then, none is kept).
        self._spare: subprocess.Popen | None = None
        self._number = 0  # of the last request sent

    @staticmethod
    def _new_process() -> subprocess.Popen:
        code = f"import sys; sys.path.insert(0, {_ROOT!r}); from trainer.content.bounded import serve; serve()"
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module, nothing from input
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)

    def _spawn(self) -> None:
        """Start a worker without waiting for it (or take the spare): it imports in the background."""
        spare, self._spare = self._spare, None
        if spare is not None and spare.poll() is None:
            self._process = spare
        else:
            self._process = self._new_process()
        self._owner, self._ready = os.getpid(), False

    def _wait_until_ready(self) -> None:
        try:
            ready = _receive(self._process.stdout.fileno(), time.monotonic() + START_SECONDS)
        except EOFError:
            ready = None
        if ready is None:
            self._stop()
            raise RuntimeError("the markdown worker did not start")
        self._ready = True

    def _stop(self) -> None:
        process, self._process, self._owner = self._process, None, None
        if process is not None:
            process.kill()
            process.wait()
            process.stdin.close()
            process.stdout.close()

    def warm_up(self) -> None:
        """Start the worker now, in the background, so the first render does not wait for it."""
        with self._lock:
            if self._owner != os.getpid():
                self._process = self._spare = None  # a fork's inherited workers are not ours
            if self._process is None:
                self._spawn()

    def call(self, name: str, args: tuple, kwargs: dict, seconds: float):
        with self._lock:
            if self._owner != os.getpid():
                # the parent's workers, inherited by a fork: not ours to use
                self._process = self._spare = None
            if self._process is None or self._process.poll() is not None:
                self._stop()
                self._spawn()
            if not self._ready:
                self._wait_until_ready()
            self._number += 1
            try:
                _send(self._process.stdin, (self._number, name, args, kwargs))
                deadline = time.monotonic() + seconds
                answer = _receive(self._process.stdout.fileno(), deadline)
                # Each answer names the request it answers: one left over from an earlier
                # request must never be taken for this text's (a module saved with another's HTML).
                while answer is not None and answer[0] != self._number:
                    answer = _receive(self._process.stdout.fileno(), deadline)
                if answer is not None:
                    answer = answer[1:]
            except (EOFError, OSError):  # killed from outside, or out of memory
                answer = ("too-big", "the worker stopped")
                self._stop()
                self._spawn()
            if answer is None:
                # Over time: this worker is busy with a text that will not finish. Replace it
                # now with the spare, and start a new spare for the next time.
                self._stop()
                self._spawn()
                self._spare = self._new_process()
                return "too-slow", None
            return answer


_WORKER = _Worker()


def warm_up() -> None:
    """Start this process's markdown worker in the background (the app factory calls it)."""
    _WORKER.warm_up()


def run_bounded(name: str, args: tuple, kwargs: dict | None = None, *, file: str = "<text>",
                line: int | None = 1):
    """Run an allowed markdown call ("render" or "markdown") in the worker; raise ImportFailed.

    Too slow, too deep or too large, the text is refused with one problem that says so.
    """
    status, value = _WORKER.call(name, args, kwargs or {}, RENDER_SECONDS)
    if status == "ok":
        return value
    if status == "failed":
        raise ImportFailed(value)
    if status == "too-slow":
        raise TooSlowToRender([SourceProblem(
            file, line, f"the text takes more than {RENDER_SECONDS:g} s to render; its markup is too "
                        "intricate (very many headings, deeply nested quotes, lists or code spans): "
                        "simplify it or split it into modules")])
    raise ImportFailed([SourceProblem(
        file, line, "the text nests too deeply or is too large to render "
                    "(definition lists, quotes or lists inside each other): simplify it")])
