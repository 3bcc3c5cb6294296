"""Sixty phones rating fifty boxes each on loopback, in bursts, with reconnects and lost answers."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter

import aiohttp
import pytest

from coprod_desktop.remote.fake import FakeRoom, matrix_screen
from coprod_desktop.remote.server import PhoneServer

PHONES = 60
BOXES = 50  # 10 criteria x 5 stages
BURST = 10


async def one_phone(server: PhoneServer, number: int, stats: Counter[str]) -> dict[str, str]:
    """Open the page and the event stream, rate every box in bursts; returns what it last chose."""
    rng = random.Random(number)
    base = server.url
    origin = {"Origin": f"http://{server.authority}"}
    chosen: dict[str, str] = {}
    jar = aiohttp.CookieJar(unsafe=True)  # the server is an IP address
    timeout = aiohttp.ClientTimeout(total=30)
    # Like a phone's browser: a few connections to one server at most.
    connector = aiohttp.TCPConnector(limit=4)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout, connector=connector) as session:
        async with session.get(base) as page:
            assert page.status == 200

        async def open_stream() -> aiohttp.ClientResponse:
            """Like a browser's EventSource: a refused stream (429, 503) is asked for again."""
            for _attempt in range(30):
                stream = await session.get(base + "events")
                if stream.status == 200:
                    first = await stream.content.readuntil(b"\n\n")  # "retry:"
                    assert first.startswith(b"retry")
                    return stream
                stats[f"stream {stream.status}"] += 1
                assert stream.status in (429, 503), await stream.text()
                wait = float(stream.headers.get("Retry-After", "0.3"))
                stream.close()
                await asyncio.sleep(wait)
            raise AssertionError(f"phone {number} could not open its event stream")

        stream = await open_stream()
        keys = [f"cell/c{c}/s{s}" for c in range(10) for s in range(5)]
        rng.shuffle(keys)

        async def vote(key: str, nonce: str, again: bool = False) -> None:
            choice = chosen[key] if again else str(rng.randrange(5))
            chosen[key] = choice
            body = {"question": key, "choice": choice, "id": nonce}
            for _attempt in range(30):
                try:
                    async with session.post(base + "vote", json=body, headers=origin) as answer:
                        if answer.status == 200:
                            stats["received"] += 1
                            return
                        stats[f"status {answer.status}"] += 1
                        assert answer.status in (429, 503), await answer.text()
                        await asyncio.sleep(float(answer.headers.get("Retry-After", "0.3")))
                except (TimeoutError, aiohttp.ClientConnectionError):
                    stats["connection lost"] += 1
                    await asyncio.sleep(0.2)
            raise AssertionError(f"phone {number} could not vote on {key}")

        for start in range(0, BOXES, BURST):
            burst = keys[start : start + BURST]
            await asyncio.gather(*(vote(k, f"p{number}-{k.replace('/', '-')}") for k in burst))
            # The phone's answer got lost: it sends the last vote again with the same id.
            await vote(burst[-1], f"p{number}-{burst[-1].replace('/', '-')}", again=True)
            if start % 20 == 0:
                # Wi-Fi dropped: the stream goes, and the phone comes back to it.
                stream.close()
                stats["reconnects"] += 1
                stream = await open_stream()
                data = b""
                for _event in range(5):  # a keep-alive comment may come first
                    data = await stream.content.readuntil(b"\n\n")
                    if b"data: " in data or not data:
                        break
                assert b"data: " in data, f"phone {number}'s stream sent {data!r}"
                view = json.loads(data.split(b"data: ", 1)[1])["view"]
                assert view["screen"]["kind"] == "matrix"
            await asyncio.sleep(rng.uniform(0.05, 0.3))
        stream.close()
    return chosen


@pytest.mark.timeout(120)
def test_sixty_phones_rate_fifty_boxes_and_each_vote_is_recorded_exactly_once() -> None:
    room = FakeRoom(matrix_screen(criteria=10, stages=5))
    server = PhoneServer(room.feed, room.sink, "127.0.0.1", 0)
    server.start()
    stats: Counter[str] = Counter()
    started = time.monotonic()
    try:

        async def everyone() -> list[dict[str, str]]:
            return await asyncio.gather(*(one_phone(server, n, stats) for n in range(PHONES)))

        chosen = asyncio.run(everyone())
        assert server.joined == PHONES
    finally:
        server.stop()
        room.close()
    took = time.monotonic() - started
    votes = room.recorded.votes
    assert len(votes) == PHONES * BOXES, stats
    per_box = Counter((v.device, v.question) for v in votes)
    assert set(per_box.values()) == {1}
    assert len({v.device for v in votes}) == PHONES
    # What each phone chose last is what the room has, box by box.
    recorded = sorted(sorted(answers.items()) for answers in room.votes_by_device().values())
    assert recorded == sorted(sorted(c.items()) for c in chosen)
    assert stats["reconnects"] == PHONES * 3
    assert took < 90, f"{took:.0f} s for {len(votes)} votes"
    print(f"\n{len(votes)} votes from {PHONES} phones in {took:.1f} s; {dict(stats)}")
