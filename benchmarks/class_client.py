"""A student without a browser: Streamlit's own websocket protocol, spoken as the browser speaks it.

:class:`Student` connects to ``/_stcore/stream`` as the app's frontend does, asks for a page
(``BackMsg.rerun_script`` with the page's URL path and query string), reads every ``ForwardMsg``
back (the widgets it shows, the auto-rerun timers of its fragments, ``script_finished``), clicks
buttons and sets sliders by their widget ids, and keeps the frontend's message cache (a message
of 10 KB or more that it already holds comes back as a reference: ``cached_message_hashes``; it
ages as the frontend's ``ForwardMessageCache`` does: a fragment run expires only that fragment's
messages). Every element message's size is logged (:attr:`Student.deltas`), so a benchmark can
say which element a tick's bytes went to.
Fragment timers work as the frontend's do: a fixed-rate ``setInterval`` per fragment that has
an ``auto_rerun``, all cleared at the start of every full run, so a page that stops polling in
the browser stops polling here.

Used by ``bench_class.py`` (a whole class on one server) and its smoke test.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

__all__ = ["DeltaSize", "Run", "Student"]

_FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "full",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "error",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "early",
}
_MAX_CACHE_AGE = 2  # global.maxCachedMessageAge: runs a cached message survives unused


@dataclass
class Run:
    """One script run as the student saw it: what asked for it, when, how long it took to
    finish, the bytes that came back, and how it ended."""

    fragment: str  # "" for a full run
    sent: float
    seconds: float = 0.0
    bytes: int = 0
    kind: str = ""  # "full", "fragment", "absorbed" (folded into a full run), "error"
    texts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeltaSize:
    """One element message as the student received it: the fragment that drew it ("" outside
    fragments), what it is (``plotly_chart``, ``progress``, ..., ``block`` for a container),
    its widget id (or else its delta path), its bytes on the wire, and whether it came as a
    reference to a message the student had cached."""

    fragment: str
    element: str
    key: str
    bytes: int
    ref: bool


@dataclass
class _Widget:
    kind: str
    label: str


class Student:
    """One browser session on ``url`` (``http://host:port``), in ``lang``."""

    def __init__(self, url: str, name: str = "student", lang: str = "en") -> None:
        self.url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.name = name
        self.lang = lang
        self.page = ""
        self.runs: list[Run] = []
        self.widgets: dict[str, _Widget] = {}
        self.timers: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self.intervals: dict[str, float] = {}  # fragment id -> the shortest interval it asked
        self.errors: list[str] = []
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._outstanding: dict[str, Run] = {}  # "" (a full run) or a fragment id -> its request
        # message hash -> (the run count when last used, the fragment that drew it)
        self._cache: dict[str, tuple[int, str]] = {}
        self._run_count = 0
        self._kinds: dict[str, tuple[str, str]] = {}  # message hash -> (element, key)
        self.deltas: list[DeltaSize] = []  # every element message received, in order
        self.kind_bytes: dict[str, int] = {}  # bytes received by message type
        self._finished = asyncio.Event()
        self._closed = False
        self._page_hash = ""
        self._requests: set[asyncio.Task[None]] = set()
        self._bytes = 0  # received since the last finished run
        self._fragment_bytes: dict[str, int] = {}  # of those, the elements each fragment drew
        self._texts: list[str] = []  # progress texts since then
        self.trace: list[tuple[float, str, list[str]]] | None = None  # every message, if a list

    # ------------------------------------------------------------------------- connection

    async def open(self, page: str) -> Run:
        """Connect and load ``page`` (its URL path, "" for the home page)."""
        self.page = page
        self._page_hash = ""
        self._ws = await connect(self.url, subprotocols=["streamlit"], max_size=None)  # type: ignore[list-item]
        self._reader = asyncio.create_task(self._read())
        return await self.rerun()

    async def close(self) -> None:
        """Stop the timers and hang up (the server sees the tab close)."""
        for _, task in self.timers.values():
            task.cancel()
        self.timers.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # ---------------------------------------------------------------------------- actions

    def widget_id(self, suffix: str) -> str:
        """The id of the widget whose key is ``suffix`` (ids end with ``-<key>``)."""
        for widget_id in self.widgets:
            if widget_id.endswith(f"-{suffix}"):
                return widget_id
        raise KeyError(f"{self.name}: no widget with key {suffix} on /{self.page}")

    async def click(self, key: str) -> Run:
        """Press the button with widget key ``key``; wait for the run it causes."""
        msg = BackMsg()
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = self.widget_id(key)
        state.trigger_value = True
        return await self._send(msg, "")

    async def set_slider(self, key: str, value: float) -> Run:
        """Move the slider with widget key ``key`` to ``value``; wait for the rerun."""
        msg = BackMsg()
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = self.widget_id(key)
        state.double_array_value.data.append(float(value))
        return await self._send(msg, "")

    async def rerun(self, fragment: str = "") -> Run:
        """A full run of the page (or one fragment's auto-rerun); wait until it finishes."""
        msg = BackMsg()
        if fragment:
            msg.rerun_script.fragment_id = fragment
            msg.rerun_script.is_auto_rerun = True
        return await self._send(msg, fragment)

    async def wait_polling_ends(self, timeout: float) -> bool:
        """Wait until no fragment timer is left (the page stopped polling); False on timeout."""
        deadline = time.monotonic() + timeout
        while self.timers or self._outstanding:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.1)
        return True

    # ---------------------------------------------------------------------------- protocol

    async def _send(self, msg: BackMsg, fragment: str) -> Run:
        """Send a rerun request and wait for the run that answers it.

        As in the browser, a request is sent even when one for the same fragment is still
        waiting (the server folds them into one run); it then shares that run's record.
        """
        assert self._ws is not None
        client = msg.rerun_script
        client.query_string = f"lang={self.lang}"
        client.page_name = self.page
        client.page_script_hash = self._page_hash  # as the browser does once it knows it
        client.cached_message_hashes.extend(self._cache)
        run = self._outstanding.get(fragment)
        if run is None:
            run = self._outstanding[fragment] = Run(fragment, time.perf_counter())
        await self._ws.send(msg.SerializeToString())
        while not run.kind:
            if self._ws is None or self._closed:
                raise ConnectionError(f"{self.name}: the server hung up")
            self._finished.clear()
            await self._finished.wait()
        return run

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for frame in self._ws:
                data = frame if isinstance(frame, bytes) else frame.encode()
                self._handle(data)
        except Exception as exc:  # the benchmark reports it; the other students go on
            self.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            self._closed = True
            self._finished.set()

    def _handle(self, data: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        self._bytes += len(data)
        kind = msg.WhichOneof("type")
        self.kind_bytes[kind or ""] = self.kind_bytes.get(kind or "", 0) + len(data)
        if self.trace is not None:
            self.trace.append((time.perf_counter(), kind, list(msg.metadata.run.fragment_ids)))
        if kind == "navigation":  # the page the router chose: later runs name it by its hash
            self._page_hash = msg.navigation.page_script_hash or self._page_hash
        elif kind == "new_session":
            if not msg.metadata.run.fragment_ids:  # a full run: the frontend clears its timers
                for _, task in self.timers.values():
                    task.cancel()
                self.timers.clear()
        elif kind == "delta":
            self._element(msg, len(data))
            fragment = msg.delta.fragment_id
            self._fragment_bytes[fragment] = self._fragment_bytes.get(fragment, 0) + len(data)
        elif kind == "ref_hash":
            _, fragment = self._cache.get(msg.ref_hash, (0, ""))
            self._fragment_bytes[fragment] = self._fragment_bytes.get(fragment, 0) + len(data)
            self._cache[msg.ref_hash] = (self._run_count, fragment)  # used again: kept
            element, key = self._kinds.get(msg.ref_hash, ("?", ""))
            self.deltas.append(DeltaSize(fragment, element, key, len(data), True))
        elif kind == "auto_rerun":
            self._timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                entry = self.timers.pop(fragment, None)
                if entry is not None:
                    entry[1].cancel()
        elif kind == "script_finished":
            self._finish(msg)

    def _finish(self, msg: ForwardMsg) -> None:
        """A run ended: close the requests it answered (a full run answers every request, as
        the server folds waiting fragment reruns into it)."""
        how = _FINISHED.get(msg.script_finished, str(msg.script_finished))
        fragments = list(msg.metadata.run.fragment_ids)
        early = how == "early"
        if early and not fragments:  # a full run interrupted by a newer one, which answers
            return
        if early:
            # a fragment's run whose end the server relabelled because the next run started
            # before it was flushed (``forward_msg_queue._update_script_finished_message``):
            # its elements reached the browser, so it answers its request like any other
            how = "fragment"
        keys = fragments if fragments else list(self._outstanding)
        now = time.perf_counter()
        answered = [self._outstanding.pop(key) for key in keys if key in self._outstanding]
        if not answered and not fragments:
            # a full run nobody here asked for: the server reran the page (``st.rerun`` from a
            # fragment, e.g. when a job ends); the browser shows it all the same
            answered = [Run("", now)]
        # one run may serve several fragments (the server folds waiting reruns together): each
        # fragment's request gets the bytes of the elements it drew, the first also the rest
        # (the run's own messages); a full run gets them all
        drawn = sum(self._fragment_bytes.get(run.fragment, 0) for run in answered)
        for i, run in enumerate(answered):
            run.seconds = now - run.sent
            if fragments and run.fragment:
                run.bytes = self._fragment_bytes.get(run.fragment, 0)
                run.bytes += self._bytes - drawn if i == 0 else 0
            else:
                run.bytes = self._bytes if i == 0 else 0
            run.kind = how if not run.fragment or fragments else "absorbed"
            run.texts = list(self._texts)
            self.runs.append(run)
        self._bytes = 0
        self._fragment_bytes = {}
        self._texts = []
        if not early:  # as the frontend: an early end does not age the message cache
            self._age_cache(fragments)
        self._finished.set()

    def _element(self, msg: ForwardMsg, size: int) -> None:
        delta = msg.delta
        element = delta.new_element
        kind = element.WhichOneof("type") if delta.WhichOneof("type") == "new_element" else None
        proto: Any = getattr(element, kind, None) if kind else None
        key = str(getattr(proto, "id", "")) if proto is not None else ""
        key = key or "path " + ".".join(map(str, msg.metadata.delta_path))
        self.deltas.append(DeltaSize(delta.fragment_id, kind or "block", key, size, False))
        if msg.metadata.cacheable and msg.hash:
            _, fragment = self._cache.get(msg.hash, (0, delta.fragment_id))
            self._cache[msg.hash] = (self._run_count, fragment)  # new, or used again
            self._kinds[msg.hash] = (kind or "block", key)
        if kind is None:
            return
        if proto is not None and getattr(proto, "id", ""):
            self.widgets[proto.id] = _Widget(kind or "", getattr(proto, "label", ""))
        if kind == "progress":
            self._texts.append(element.progress.text)
        elif kind == "exception":
            self.errors.append(f"exception on /{self.page}: {element.exception.message}")

    def _age_cache(self, fragments: list[str]) -> None:
        """A run finished: as the frontend's ``ForwardMessageCache.incrementRunCount``, count
        it and drop the messages unused for more than ``_MAX_CACHE_AGE`` runs, a fragment run
        only those that its fragments drew (a full run any)."""
        self._run_count += 1
        for key, (used, fragment) in list(self._cache.items()):
            if fragments and (not fragment or fragment not in fragments):
                continue
            if self._run_count - used > _MAX_CACHE_AGE:
                del self._cache[key]

    def _timer(self, fragment: str, interval: float) -> None:
        self.intervals[fragment] = min(interval, self.intervals.get(fragment, interval))
        known = self.timers.get(fragment)
        if known is not None and known[0] == interval:
            return
        if known is not None:
            known[1].cancel()
        self.timers[fragment] = (interval, asyncio.create_task(self._tick(fragment, interval)))

    async def _tick(self, fragment: str, interval: float) -> None:
        """The frontend's ``setInterval``: ask for a fragment rerun every ``interval`` seconds."""
        next_at = time.monotonic() + interval
        while True:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            if fragment not in self.timers:
                return
            request = asyncio.create_task(self._rerun_quietly(fragment))
            self._requests.add(request)  # keep a reference until it is done
            request.add_done_callback(self._requests.discard)

    async def _rerun_quietly(self, fragment: str) -> None:
        with contextlib.suppress(Exception):
            await self.rerun(fragment)
