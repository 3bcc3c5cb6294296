"""This laptop's network addresses, the one a phone most likely reaches, and a network check.

Nothing here sends traffic off this machine: addresses come from psutil when it is installed,
else from the kernel (ioctl and /proc on Linux), and the check connects only to this laptop's
own address.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Interfaces that phones in the room cannot be on: containers, VMs, tunnels.
_VIRTUAL = (
    "docker",
    "veth",
    "br-",
    "virbr",
    "vmnet",
    "vboxnet",
    "lxc",
    "lxd",
    "podman",
    "cni",
    "flannel",
    "tun",
    "tap",
    "wg",
    "zt",
    "tailscale",
    "utun",
    "vEthernet",
    "ham",
)
_WIRELESS = ("wl", "wifi", "wi-fi", "wlan", "ap")
# Addresses that a laptop's own hotspot usually gives itself (NetworkManager, Windows, macOS).
_HOTSPOT = ("10.42.0.1", "192.168.137.1", "192.168.2.1", "172.20.10.1")


@dataclass(frozen=True)
class NetworkAddress:
    """One address of this laptop, with the interface it belongs to."""

    interface: str
    address: str

    @property
    def ip(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
        return ipaddress.ip_address(self.address.split("%")[0])

    @property
    def label(self) -> str:
        return f"{self.address} ({self.interface})"

    @property
    def reachable_by_phones(self) -> bool:
        ip = self.ip
        return not (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified)


def local_addresses() -> list[NetworkAddress]:
    """This laptop's IPv4 addresses (and global IPv6 ones) by interface; loopback included."""
    found: list[NetworkAddress] = []
    try:
        import psutil  # optional: used when installed, never required
    except ImportError:
        psutil = None
    if psutil is not None:
        for name, entries in psutil.net_if_addrs().items():
            for entry in entries:
                if entry.family in (socket.AF_INET, socket.AF_INET6):
                    found.append(NetworkAddress(name, entry.address.split("%")[0]))
    elif sys.platform.startswith("linux"):
        found = _linux_ipv4() + _linux_ipv6()
    if not found:
        found = _fallback()
    unique: dict[tuple[str, str], NetworkAddress] = {}
    for item in found:
        try:
            ip = item.ip
        except ValueError:
            continue  # not an address
        if ip.version == 6 and not ip.is_global and not ip.is_loopback:
            continue  # link-local and unique-local IPv6: a phone's browser cannot simply be sent there
        unique.setdefault((item.interface, item.address), item)
    return list(unique.values())


def _linux_ipv4() -> list[NetworkAddress]:
    import fcntl

    siocgifaddr = 0x8915
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _index, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(sock.fileno(), siocgifaddr, request)
            except OSError:
                continue  # no IPv4 address on this interface
            found.append(NetworkAddress(name, socket.inet_ntoa(answer[20:24])))
    return found


def _linux_ipv6() -> list[NetworkAddress]:
    found = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/if_inet6").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 6:
                raw = parts[0]
                text = ":".join(raw[i : i + 4] for i in range(0, 32, 4))
                found.append(NetworkAddress(parts[5], str(ipaddress.IPv6Address(text))))
    return found


def _fallback() -> list[NetworkAddress]:
    """Where nothing lists interfaces: the address the system would send from, found without sending."""
    found = [NetworkAddress("loopback", "127.0.0.1")]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            # connect() on a UDP socket only picks a route; no packet leaves the machine.
            sock.connect(("10.255.255.255", 9))
            found.append(NetworkAddress("default", sock.getsockname()[0]))
        except OSError:
            pass
    return found


def default_route_interface() -> str:
    """The interface of the default route (Linux), or empty when unknown."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/route").read_text().splitlines()[1:]:
            parts = line.split()
            if len(parts) > 2 and parts[1] == "00000000":
                return parts[0]
    return ""


def _score(item: NetworkAddress, default_interface: str) -> int:
    if not item.reachable_by_phones:
        return -100
    name = item.interface.lower()
    score = 0
    if any(name.startswith(prefix.lower()) for prefix in _VIRTUAL):
        score -= 30
    if item.ip.version == 4 and item.ip.is_private:
        score += 20
    if item.ip.version == 6:
        score -= 5  # phones type and scan IPv4 addresses more reliably
    if any(name.startswith(prefix) for prefix in _WIRELESS):
        score += 15
    if item.address in _HOTSPOT:
        score += 25
    if default_interface and item.interface == default_interface:
        score += 10
    return score


def choose_default(addresses: list[NetworkAddress], default_interface: str | None = None) -> NetworkAddress:
    """The address a phone in the room is most likely to reach; loopback when there is no other."""
    if default_interface is None:
        default_interface = default_route_interface()
    if not addresses:
        return NetworkAddress("loopback", "127.0.0.1")
    ranked = sorted(enumerate(addresses), key=lambda pair: (-_score(pair[1], default_interface), pair[0]))
    return ranked[0][1]


# --------------------------------------------------------------------------- the check


@dataclass
class NetworkCheck:
    """What the laptop can tell about whether phones can reach it, in plain sentences."""

    address: str
    url: str
    listening: bool
    joined: int
    connected: int
    findings: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        lines = [*self.findings, "", "If phones cannot open the page:"]
        lines += [f"- {fix}" for fix in self.fixes]
        return "\n".join(lines)


def port_answers(host: str, port: int, authority: str, timeout: float = 2.0) -> bool:
    """Whether the phone server answers on this address, asked from this laptop."""
    try:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        conn.request("GET", "/", headers={"Host": authority})
        status = conn.getresponse().status
        conn.close()
    except OSError:
        return False
    return status == 200


def firewall_hint() -> str:
    """A sentence about this laptop's firewall when one is known to be on, else empty."""
    with contextlib.suppress(OSError):
        conf = Path("/etc/ufw/ufw.conf").read_text()
        if "ENABLED=yes" in conf:
            return "The ufw firewall is on: allow the port with `sudo ufw allow PORT/tcp`."
    if Path("/run/firewalld").exists() and any(Path("/run/firewalld").iterdir()):
        return "firewalld may be running: allow the port with `sudo firewall-cmd --add-port=PORT/tcp`."
    if sys.platform == "win32":
        return (
            "Windows blocks incoming connections on networks marked Public: allow the app, "
            "or mark the network Private."
        )
    if sys.platform == "darwin":
        return "If macOS asks whether to accept incoming connections, choose Allow."
    return ""


def check_network(
    host: str, port: int, authority: str, url: str, joined: int, connected: int
) -> NetworkCheck:
    """Check the phone server on the address phones must reach, and say what usually helps."""
    item = NetworkAddress("", host)
    listening = port_answers(host, port, authority)
    check = NetworkCheck(address=authority, url=url, listening=listening, joined=joined, connected=connected)
    check.findings.append(f"Phones must reach this laptop at {authority}.")
    if listening:
        check.findings.append(f"The voting page answers on {authority} (checked from this laptop).")
    else:
        check.findings.append(
            f"Nothing answers on {authority}: turn Phones off and on again, or choose another port."
        )
    if not item.reachable_by_phones:
        check.findings.append(
            f"{host} can only be reached from this laptop itself: choose the address of the room's Wi-Fi."
        )
    check.findings.append(f"{joined} phone{'s' if joined != 1 else ''} joined; {connected} connected now.")
    check.fixes = [
        "Phones and this laptop must be on the same Wi-Fi: compare the network's name on a phone and here.",
        "Ask people to turn mobile data off for a moment: when the Wi-Fi has no internet, a phone may "
        "try the address over mobile data, where the laptop cannot be found.",
        "Guest and public Wi-Fi networks often keep devices apart, so phones cannot see the laptop: use a "
        "travel router or this laptop's own hotspot instead.",
        "A firewall may block phones, most often on a network marked Public: allow incoming connections "
        f"on port {port}, or mark this network as Private.",
        "If a camera cannot read the QR code, type the short address into the browser, then the room code.",
    ]
    hint = firewall_hint()
    if hint:
        check.fixes.insert(3, hint.replace("PORT", str(port)))
    return check
