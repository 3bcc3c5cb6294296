"""The room's phones: a small voting page the laptop serves over the room's own network.

No Qt here. `server.PhoneServer` runs aiohttp on its own thread; it reads what phones may see
from a `RoomFeed` and hands their inputs to an `InputSink` (both in `interface`); the Qt glue
in `coprod_desktop.ui.phones` connects those to the open session.
"""
