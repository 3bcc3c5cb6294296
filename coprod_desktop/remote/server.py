"""The room's phone server: aiohttp on its own thread and event loop, off until started.

It binds only to the one address it is given, serves the phone page under a random token,
and passes each validated input to the app's `InputSink`; a phone hears "received" only once
the sink's future says the input is on disk. Every request is checked before it can reach the
app: Host (no DNS rebinding), Origin (no cross-site posts), body size, a rate per device, a
cap on connections and timeouts for slow clients. No IP address is stored or logged: a phone
is known only by the keyed hash of a random id kept in its cookie.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

from ..domain.errors import PhoneServerError
from ..domain.i18n import N_, _, available, current, using
from .guard import (
    BadInput,
    DeviceKeys,
    Limits,
    RateLimits,
    Replays,
    new_room_code,
    new_token,
    nonce_of,
    normalise_code,
    parse_join,
    parse_note,
    parse_vote,
    same_secret,
)
from .interface import InputSink, PhoneInput, PhoneJoin, PhoneLeave, Receipt, RoomFeed
from .page import LANGUAGE_COOKIE, base_language, render_code_page, render_page

log = logging.getLogger(__name__)


class _NoAddresses(logging.Filter):
    """aiohttp's connection messages name the client's IP address; this keeps it out of any log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "from %s" in record.msg and isinstance(record.args, tuple):
            record.args = tuple("a phone" for _arg in record.args)
        return True


_SERVER_LOG = logging.getLogger("coprod_desktop.remote.connections")
_SERVER_LOG.addFilter(_NoAddresses())

COOKIE = "coprod_phone"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STATIC = {
    "app.js": "application/javascript",
    "style.css": "text/css",
    "index.html": "text/html",
}
_REFUSAL = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def _phone_file(name: str) -> bytes:
    return resources.files("coprod_desktop.resources").joinpath("phone", name).read_bytes()


class _Refuse(asyncio.Protocol):
    """Answers a connection over the cap with 503 and closes it."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(_REFUSAL)
        transport.close()


@dataclass
class _Connection:
    seen: float
    busy: int = 0


@dataclass
class _Presence:
    streams: int = 0
    last_seen: float = 0.0
    joined: bool = False


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=json.dumps(data, ensure_ascii=False), content_type="application/json"
    )


def _refuse(message: str, status: int) -> web.Response:
    return _json({"error": message}, status=status)


class PhoneServer:
    """Serve the phone page on `host:port` until `stop()`. `port=0` picks a free port."""

    def __init__(
        self,
        feed: RoomFeed,
        sink: InputSink,
        host: str,
        port: int = 0,
        limits: Limits | None = None,
        languages: list[str] | None = None,
    ) -> None:
        self.feed = feed
        # The languages a phone may pick (those the app has catalogues for), English first.
        self.languages = [base_language(tag) for tag in (languages if languages is not None else available())]
        self.sink = sink
        self.host = host
        self.port = port
        self.limits = limits or Limits()
        self.token = new_token()
        self.room_code = new_room_code()
        self._devices = DeviceKeys(self.limits.max_devices)
        self._rates = RateLimits(self.limits)
        self._replays = Replays()
        self._presence: dict[str, _Presence] = {}
        self._connections: dict[Any, _Connection] = {}  # aiohttp's handler of each open connection
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._stopping: asyncio.Event | None = None
        self._changed: asyncio.Event | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._refused_connections = 0

    # ------------------------------------------------------------------ life cycle

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._ready.is_set()

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == 80 else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """The join address: the one a phone opens, secret token included."""
        return f"http://{self.authority}/{self.token}/"

    @property
    def short_address(self) -> str:
        """What a person types where a camera fails; the page there asks for the room code."""
        return self.authority

    @property
    def joined(self) -> int:
        """How many phones have opened the page this session."""
        return sum(1 for p in self._presence.values() if p.joined)

    @property
    def connected(self) -> int:
        """How many phones are connected now (an open stream, or a poll in the last seconds)."""
        now = time.monotonic()
        return sum(
            1
            for p in list(self._presence.values())
            if p.streams > 0 or now - p.last_seen < self.limits.leave_after
        )

    def start(self, timeout: float = 10.0) -> str:
        """Listen, and return the join address once listening. Raises PhoneServerError."""
        if self._thread is not None:
            raise RuntimeError("a PhoneServer starts once")
        if self.host in ("", "0.0.0.0", "::", "*"):
            raise PhoneServerError(
                _("Choose one of this laptop's addresses: phones are served on one address only, not on all.")
            )
        # The server's thread says why it could not start in the language of the one starting it.
        self._thread = threading.Thread(
            target=self._run, args=(current(),), name="coprod-phones", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(timeout):
            raise PhoneServerError(_("The phone server did not start in time; try again."))
        if self._failure is not None:
            self._thread.join(timeout)
            raise self._failure
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """Close every connection and the listening socket; returns once the thread is gone."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        stopping = self._stopping
        if stopping is not None:
            loop.call_soon_threadsafe(stopping.set)
        thread.join(timeout)

    def __enter__(self) -> PhoneServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self, language: str) -> None:
        with using(language):  # what goes wrong here is said in the starter's language
            self._run_loop()

    def _run_loop(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            if not self._ready.is_set():
                self._failure = (
                    exc
                    if isinstance(exc, PhoneServerError)
                    else PhoneServerError(
                        _("The phone server could not start: {problem}.").format(problem=exc)
                    )
                )
                self._ready.set()
            else:
                log.exception("the phone server stopped on an error")
        finally:
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._changed = asyncio.Event()
        app = web.Application(middlewares=[self._guard], client_max_size=self.limits.max_body)
        t = "/" + self.token
        app.router.add_get("/", self._code_page)
        app.router.add_post("/code", self._code_typed)
        app.router.add_get("/s/{name}", self._static)
        app.router.add_get(t, self._to_page)
        app.router.add_get(t + "/", self._page)
        app.router.add_get(t + "/state", self._state)
        app.router.add_get(t + "/events", self._events)
        app.router.add_post(t + "/vote", self._vote)
        app.router.add_post(t + "/note", self._note)
        app.router.add_post(t + "/join", self._join)
        runner = web.AppRunner(
            app,
            access_log=None,  # an access log would keep every phone's IP address
            handle_signals=False,
            keepalive_timeout=self.limits.header_timeout,
            max_line_size=2048,
            max_field_size=4096,
            shutdown_timeout=1.0,
            logger=_SERVER_LOG,  # aiohttp names the client's address in its messages: not here
        )
        await runner.setup()
        handler = runner.server
        assert handler is not None

        def factory() -> asyncio.BaseProtocol:
            if len(handler.connections) >= self.limits.max_connections:
                self._refused_connections += 1
                return _Refuse()
            return handler()

        try:
            server = await loop.create_server(factory, self.host, self.port, reuse_address=True, backlog=128)
        except OSError as exc:
            await runner.cleanup()
            raise PhoneServerError(self._bind_problem(exc)) from None
        self.port = server.sockets[0].getsockname()[1]

        def on_change(_version: int) -> None:
            loop.call_soon_threadsafe(self._wake)

        self._unsubscribe = self.feed.subscribe(on_change)
        watchdog = asyncio.create_task(self._watchdog(handler))
        self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            if self._unsubscribe is not None:
                self._unsubscribe()
            watchdog.cancel()
            self._wake()
            server.close()
            await runner.cleanup()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(server.wait_closed(), 2.0)

    def _bind_problem(self, exc: OSError) -> str:
        import errno

        if exc.errno == errno.EADDRINUSE:
            return _("Port {port} is already in use on {address}; choose another port.").format(
                port=self.port, address=self.host
            )
        if exc.errno == errno.EADDRNOTAVAIL:
            return _("This computer has no address {address} now; choose one from the list.").format(
                address=self.host
            )
        if exc.errno == errno.EACCES:
            return _("Port {port} needs administrator rights; choose a port above 1024.").format(
                port=self.port
            )
        return _("The phone server could not listen on {address} port {port} ({problem}).").format(
            address=self.host, port=self.port, problem=exc.strerror
        )

    def _wake(self) -> None:
        # Wake every open event stream: each compares its phone's view with what it last sent.
        old, self._changed = self._changed, asyncio.Event()
        if old is not None:
            old.set()

    async def _watchdog(self, handler: web.Server) -> None:
        """Close connections that send their request too slowly, or sit idle between requests."""
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            open_now = handler.connections
            for gone in set(self._connections) - set(open_now):
                del self._connections[gone]
            for proto in open_now:
                state = self._connections.get(proto)
                if state is None:
                    self._connections[proto] = _Connection(seen=now)
                elif state.busy == 0 and now - state.seen > self.limits.header_timeout:
                    transport = proto.transport
                    if transport is not None:
                        transport.close()
            self._note_departures(now)

    def _note_departures(self, now: float) -> None:
        for device, presence in list(self._presence.items()):
            quiet = now - presence.last_seen
            if presence.joined and presence.streams == 0 and quiet > self.limits.leave_after:
                presence.joined = False
                self._send(PhoneLeave(device=device))

    # ------------------------------------------------------------------ the guard

    def _device(self, request: web.Request) -> str | None:
        return self._devices.known(request.cookies.get(COOKIE))

    def _allowed_hosts(self) -> set[str]:
        return {self.authority.lower()}

    def room_language(self) -> str:
        """The workshop's language (the room view says it), or English."""
        tag = base_language(str(self.feed.view("").get("language", "") or ""))
        return tag if tag in self.languages else self.languages[0] if self.languages else "en"

    def _language(self, request: web.Request) -> str:
        """The phone's language: the one it picked from the page's switch, else the workshop's."""
        picked = request.cookies.get(LANGUAGE_COOKIE, "")
        if picked not in self.languages:
            return self.room_language()
        self.feed.want(picked)
        return picked

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        with using(self._language(request)):
            return await self._guarded(request, handler)

    async def _guarded(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        state = self._connections.get(request.protocol)
        if state is None:
            state = self._connections[request.protocol] = _Connection(seen=time.monotonic())
        state.busy += 1
        try:
            response = await self._checked(request, handler)
        except (web.HTTPException, asyncio.CancelledError, ConnectionError):
            raise
        except Exception:
            log.exception("a phone request failed")  # the request's details only, never its sender
            response = _refuse(_("Something went wrong on the laptop; try again."), 500)
        finally:
            state.busy -= 1
            state.seen = time.monotonic()
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    async def _checked(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        host = request.headers.get("Host", "").lower()
        if host not in self._allowed_hosts():
            # Another name for this address (DNS rebinding) or a request meant for someone else.
            return _refuse(_("This address is not served here."), 421)
        device = self._device(request)
        if not self._rates.allow(device):
            response = _refuse(_("Too many requests; wait a moment."), 429)
            response.headers["Retry-After"] = "1"
            return response
        if request.method == "POST":
            problem = self._cross_site(request)
            if problem:
                return _refuse(problem, 403)
            length = request.content_length
            if length is not None and length > self.limits.max_body:
                return _refuse(_("That request is too large."), 413)
        elif request.method not in ("GET", "HEAD"):
            return _refuse(_("That is not a request this server answers."), 405)
        try:
            return await handler(request)
        except BadInput as exc:
            return _refuse(str(exc), exc.status)
        except web.HTTPException as exc:
            if exc.status in (404, 405):
                return _refuse(_("Nothing is here."), exc.status)
            raise

    def _cross_site(self, request: web.Request) -> str:
        """Why a POST may come from another site's page, or empty when it comes from ours."""
        expected = f"http://{self.authority}".lower()
        origin = request.headers.get("Origin")
        if origin is not None:
            return "" if origin.lower() == expected else _("Requests from other sites are refused.")
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            return _("Requests from other sites are refused.")
        referer = request.headers.get("Referer")
        if referer is not None and not referer.lower().startswith(expected + "/"):
            return _("Requests from other sites are refused.")
        return ""

    async def _body(self, request: web.Request, json_body: bool = True) -> Any:
        if json_body and request.content_type != "application/json":
            # A cross-site form cannot send this type without a preflight we never allow.
            raise BadInput(_("Send the request as JSON."), 415)
        chunks: list[bytes] = []
        size = 0

        async def read_all() -> None:
            nonlocal size
            while True:
                chunk = await request.content.read(1024)
                if not chunk:
                    return
                size += len(chunk)
                if size > self.limits.max_body:
                    raise BadInput(_("That request is too large."), 413)
                chunks.append(chunk)

        try:
            await asyncio.wait_for(read_all(), self.limits.body_timeout)
        except TimeoutError:
            raise BadInput(_("The request arrived too slowly."), 408) from None
        raw = b"".join(chunks)
        if not json_body:
            return raw
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise BadInput(_("The request is not valid JSON.")) from None
        if not isinstance(body, dict):
            raise BadInput(_("The request must be a JSON object."))
        return body

    def _need_device(self, request: web.Request) -> str:
        device = self._device(request)
        if device is None:
            raise BadInput(_("This phone is not known here; open the join address again."), 403)
        return device

    def _seen(self, device: str) -> _Presence:
        presence = self._presence.get(device)
        if presence is None:
            presence = self._presence[device] = _Presence()
        presence.last_seen = time.monotonic()
        if not presence.joined:
            presence.joined = True
            self._send(PhoneJoin(device=device))
        return presence

    # ------------------------------------------------------------------ pages

    async def _code_page(self, request: web.Request) -> web.StreamResponse:
        return self._code_form(request, "")

    def _code_form(self, request: web.Request, message: str, status: int = 200) -> web.Response:
        page = render_code_page(self._language(request), message)
        return web.Response(status=status, text=page, content_type="text/html")

    async def _code_typed(self, request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/x-www-form-urlencoded":
            raise BadInput(_("Type the room code into the form."), 415)
        if self._rates.codes_locked():
            return self._code_form(
                request, _("Too many wrong codes were typed. Wait a minute, or scan the QR code."), 429
            )
        raw = await self._body(request, json_body=False)
        typed = parse_qs(raw.decode("utf-8", "replace")).get("code", [""])[0]
        if same_secret(normalise_code(typed), self.room_code):
            raise web.HTTPSeeOther(f"/{self.token}/")
        self._rates.wrong_code()
        return self._code_form(
            request, _("That is not this room's code. Look at the projector and try again."), 403
        )

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC or name == "index.html":
            return _refuse(_("Nothing is here."), 404)
        return web.Response(body=_phone_file(name), content_type=STATIC[name])

    async def _to_page(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPMovedPermanently(f"/{self.token}/")

    async def _page(self, request: web.Request) -> web.StreamResponse:
        picked = request.query.get("lang", "")
        language = picked if picked in self.languages else self._language(request)
        response = web.Response(text=render_page(language, self.languages), content_type="text/html")
        if picked in self.languages:
            self.feed.want(picked)
            # Only a language tag from the app's own list: the phone's choice, kept on the phone.
            response.set_cookie(LANGUAGE_COOKIE, picked, path="/", max_age=24 * 3600, samesite="Strict")
        if self._device(request) is None:
            issued = self._devices.issue()
            if issued is None:
                return _refuse(_("This room is full; no more phones can join."), 503)
            device_id, _digest = issued
            response.set_cookie(
                COOKIE,
                device_id,
                path=f"/{self.token}/",
                max_age=24 * 3600,
                httponly=True,
                samesite="Strict",
            )
        return response

    def _view(self, device: str, request: web.Request | None = None) -> Mapping[str, Any]:
        return self.feed.view(device, self._language(request) if request is not None else "")

    async def _state(self, request: web.Request) -> web.StreamResponse:
        """The plain polling answer, for phones whose browser has no event streams."""
        device = self._need_device(request)
        self._seen(device)
        version = self.feed.version
        return _json({"version": version, "view": self._view(device, request)})

    async def _events(self, request: web.Request) -> web.StreamResponse:
        device = self._need_device(request)
        presence = self._seen(device)
        if presence.streams >= self.limits.streams_per_device:
            return _refuse(_("This phone has too many pages open."), 429)
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
                **SECURITY_HEADERS,
            }
        )
        presence.streams += 1
        language = self._language(request)
        try:
            await response.prepare(request)
            await self._write(response, b"retry: 2000\n\n")
            last = ""
            assert self._stopping is not None
            while not self._stopping.is_set():
                changed = self._changed
                version = self.feed.version
                view = self.feed.view_json(device, language)
                if view != last:
                    text = f'{{"version": {version}, "view": {view}}}'
                    await self._write(response, f"id: {version}\ndata: {text}\n\n".encode())
                    last = view
                if changed is None:
                    break
                try:
                    await asyncio.wait_for(changed.wait(), self.limits.heartbeat)
                    # A burst of votes is one update for the phones, not one each.
                    await asyncio.sleep(self.limits.coalesce)
                except TimeoutError:
                    await self._write(response, b": still here\n\n")
                presence.last_seen = time.monotonic()
        except (ConnectionError, TimeoutError, asyncio.CancelledError):
            pass
        finally:
            presence.streams -= 1
            presence.last_seen = time.monotonic()
        return response

    async def _write(self, response: web.StreamResponse, data: bytes) -> None:
        await asyncio.wait_for(response.write(data), self.limits.write_timeout)

    # ------------------------------------------------------------------ inputs

    async def _vote(self, request: web.Request) -> web.StreamResponse:
        return await self._input(request, parse_vote)

    async def _note(self, request: web.Request) -> web.StreamResponse:
        return await self._input(request, parse_note)

    async def _join(self, request: web.Request) -> web.StreamResponse:
        return await self._input(request, parse_join)

    async def _input(
        self, request: web.Request, parse: Callable[[Mapping[str, Any], Mapping[str, Any], str], PhoneInput]
    ) -> web.StreamResponse:
        device = self._need_device(request)
        body = await self._body(request)
        nonce = nonce_of(body)
        self._seen(device)
        pending = self._replays.get(device, nonce)
        if pending is None:
            item = parse(body, self._view(device, request), device)
            pending = asyncio.ensure_future(self._confirmed(item))
            self._replays.put(device, nonce, pending)
        try:
            receipt: Receipt = await asyncio.shield(pending)
        except TimeoutError:
            self._replays.forget(device, nonce)
            return _refuse(_("The laptop has not saved this yet; try again."), 503)
        if not receipt.recorded:
            return _refuse(self._translated(receipt), 409)
        return _json({"received": True, "version": self.feed.version})

    @staticmethod
    def _translated(receipt: Receipt) -> str:
        """The app's refusal in the phone's language (this request's), its fields filled in."""
        text = _(receipt.message) if receipt.message else _("The laptop did not take this.")
        if receipt.fields:
            try:
                text = text.format(**dict(receipt.fields))
            except (KeyError, IndexError, ValueError):  # a translation with a broken field: the English
                text = receipt.message.format(**dict(receipt.fields))
        return text

    async def _confirmed(self, item: PhoneInput) -> Receipt:
        future = self._send(item)
        return await asyncio.wait_for(asyncio.wrap_future(future), self.limits.sink_timeout)

    def _send(self, item: PhoneInput) -> Future[Receipt]:
        try:
            return self.sink(item)
        except Exception:  # a broken sink must not take the server down
            log.exception("the app refused a phone input")
            failed: Future[Receipt] = Future()
            failed.set_result(Receipt.refused(N_("The laptop could not take this.")))
            return failed
