"""Free ports on loopback, for servers the tests start."""

import random
import socket
from pathlib import Path

RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on at 127.0.0.1 right now, below the range the kernel hands out
    for port 0: a port picked from that range could be taken by the next socket bound to 0 (the
    automation API's own server, say) before the test's server binds it."""
    ephemeral = int(RANGE.read_text().split()[0]) if RANGE.exists() else 32768
    ports: list[int] = []
    while len(ports) < count:
        port = random.randrange(10000, ephemeral)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        if port not in ports:
            ports.append(port)
    return ports
