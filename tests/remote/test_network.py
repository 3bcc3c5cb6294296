"""Addresses, the default a phone most likely reaches, the join screen and the network check."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET

import segno

from coprod_desktop.remote.join import join_screen, qr_svg, show_code
from coprod_desktop.remote.network import (
    NetworkAddress,
    check_network,
    choose_default,
    local_addresses,
)
from coprod_desktop.remote.server import PhoneServer


def test_this_machine_lists_its_loopback_and_names_each_interface() -> None:
    found = local_addresses()
    assert any(a.address == "127.0.0.1" for a in found)
    assert all(a.interface for a in found)
    assert all(not a.address.startswith("fe80") for a in found)  # link-local IPv6 left out


def test_the_default_is_the_room_wifi_not_a_container_or_loopback() -> None:
    addresses = [
        NetworkAddress("lo", "127.0.0.1"),
        NetworkAddress("docker0", "172.17.0.1"),
        NetworkAddress("eth0", "169.254.10.2"),
        NetworkAddress("wlp2s0", "192.168.1.23"),
        NetworkAddress("virbr0", "192.168.122.1"),
    ]
    assert choose_default(addresses, default_interface="").address == "192.168.1.23"


def test_the_laptops_own_hotspot_wins_over_another_wired_network() -> None:
    addresses = [NetworkAddress("enp0s31f6", "10.1.4.7"), NetworkAddress("wlan0", "10.42.0.1")]
    assert choose_default(addresses, default_interface="enp0s31f6").address == "10.42.0.1"


def test_with_nothing_else_the_default_is_loopback_and_is_said_to_be_unreachable() -> None:
    choice = choose_default([NetworkAddress("lo", "127.0.0.1")], default_interface="")
    assert choice.address == "127.0.0.1"
    assert not choice.reachable_by_phones
    assert choose_default([], default_interface="").address == "127.0.0.1"


def test_the_join_screen_shows_the_code_in_two_halves_and_a_scannable_svg() -> None:
    screen = join_screen("http://192.168.1.23:8765/TOKEN/", "192.168.1.23:8765", "ABCDEF", joined=3)
    assert screen.room_code == "ABC-DEF"
    assert show_code("ABC") == "ABC"
    assert screen.typed_address == "http://192.168.1.23:8765"
    svg = ET.fromstring(screen.qr_svg())
    assert svg.tag.endswith("svg")
    assert int(svg.get("width", "0")) >= 250  # quiet zone and modules at a readable scale
    # At least medium error correction: a projector at an angle, a smudged lens.
    code = segno.make("http://192.168.1.23:8765/TOKEN/", error="m")
    assert code.error in ("M", "Q", "H")  # segno raises it when the size allows
    assert qr_svg("http://192.168.1.23:8765/TOKEN/") == screen.qr_svg()


def test_the_network_check_finds_the_server_answering_on_its_address() -> None:
    from coprod_desktop.remote.fake import FakeRoom

    room = FakeRoom()
    server = PhoneServer(room.feed, room.sink, "127.0.0.1", 0)
    server.start()
    try:
        check = check_network(
            server.host, server.port, server.authority, server.url, server.joined, server.connected
        )
    finally:
        server.stop()
        room.close()
    assert check.listening
    assert f"The voting page answers on {server.authority}" in check.text
    assert "can only be reached from this laptop itself" in check.text  # loopback
    assert "0 phones joined" in check.text
    assert any("mobile data" in fix for fix in check.fixes)
    assert any("Guest" in fix for fix in check.fixes)
    assert any(f"port {server.port}" in fix for fix in check.fixes)


def test_the_network_check_says_when_nothing_answers() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check = check_network("127.0.0.1", port, f"127.0.0.1:{port}", "", 0, 0)
    assert not check.listening
    assert "Nothing answers" in check.text
