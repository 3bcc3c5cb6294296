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
from dataclasses import dataclass
from pathlib import Path

from ..domain.i18n import _, ngettext

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
    """What the laptop found about whether phones can reach it.

    It keeps the facts; its sentences (`findings`, `fixes`, `text`) are said in the language
    in force when they are read, so a check made in English reads in Welsh once the app is."""

    address: str  # the authority phones must reach, "192.168.1.20:8765"
    url: str
    listening: bool
    joined: int
    connected: int
    host: str = ""
    port: int = 0
    firewall: str = ""  # which firewall is known to be on (FIREWALLS), else ""

    @property
    def findings(self) -> list[str]:
        authority = self.address
        found = [_("Phones must reach this laptop at {address}.").format(address=authority)]
        if self.listening:
            answers = _("The voting page answers on {address} (checked from this laptop).")
            found.append(answers.format(address=authority))
        else:
            silent = _("Nothing answers on {address}: turn Phones off and on again, or choose another port.")
            found.append(silent.format(address=authority))
        if self.host and not NetworkAddress("", self.host).reachable_by_phones:
            found.append(
                _(
                    "{address} can only be reached from this laptop itself: choose the address of the "
                    "room's Wi-Fi."
                ).format(address=self.host)
            )
        # Translators: both counts are numbers of phones; the sentence follows the first.
        found.append(
            ngettext(
                "{joined} phone joined; {connected} connected now.",
                "{joined} phones joined; {connected} connected now.",
                self.joined,
            ).format(joined=self.joined, connected=self.connected)
        )
        return found

    @property
    def fixes(self) -> list[str]:
        fixes = [
            _(
                "Phones and this laptop must be on the same Wi-Fi: compare the network's name on a phone "
                "and here."
            ),
            _(
                "Ask people to turn mobile data off for a moment: when the Wi-Fi has no internet, a phone "
                "may try the address over mobile data, where the laptop cannot be found."
            ),
            _(
                "Guest and public Wi-Fi networks often keep devices apart, so phones cannot see the "
                "laptop: use a travel router or this laptop's own hotspot instead."
            ),
            _(
                "A firewall may block phones, most often on a network marked Public: allow incoming "
                "connections on port {port}, or mark this network as Private."
            ).format(port=self.port),
            _(
                "If a camera cannot read the QR code, type the short address into the browser, then "
                "the room code."
            ),
        ]
        hint = firewall_sentence(self.firewall, self.port)
        if hint:
            fixes.insert(3, hint)
        return fixes

    @property
    def text(self) -> str:
        lines = [*self.findings, "", _("If phones cannot open the page:")]
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


FIREWALLS = ("ufw", "firewalld", "windows", "macos")


def firewall_in_use() -> str:
    """Which firewall this laptop is known to have on (one of FIREWALLS), else ""."""
    with contextlib.suppress(OSError):
        conf = Path("/etc/ufw/ufw.conf").read_text()
        if "ENABLED=yes" in conf:
            return "ufw"
    if Path("/run/firewalld").exists() and any(Path("/run/firewalld").iterdir()):
        return "firewalld"
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return ""


def firewall_sentence(firewall: str, port: int) -> str:
    """What to do about `firewall` (from firewall_in_use) for `port`, in the current language."""
    if firewall == "ufw":
        return _("The ufw firewall is on: allow the port with `sudo ufw allow {port}/tcp`.").format(port=port)
    if firewall == "firewalld":
        return _(
            "firewalld may be running: allow the port with `sudo firewall-cmd --add-port={port}/tcp`."
        ).format(port=port)
    if firewall == "windows":
        return _(
            "Windows blocks incoming connections on networks marked Public: allow the app, "
            "or mark the network Private."
        )
    if firewall == "macos":
        return _("If macOS asks whether to accept incoming connections, choose Allow.")
    return ""


def firewall_hint(port: int = 0) -> str:
    """A sentence about this laptop's firewall when one is known to be on, else empty."""
    return firewall_sentence(firewall_in_use(), port)


def check_network(
    host: str, port: int, authority: str, url: str, joined: int, connected: int
) -> NetworkCheck:
    """Check the phone server on the address phones must reach; the check says what usually helps."""
    return NetworkCheck(
        address=authority,
        url=url,
        listening=port_answers(host, port, authority),
        joined=joined,
        connected=connected,
        host=host,
        port=port,
        firewall=firewall_in_use(),
    )
