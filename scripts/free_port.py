"""Print the preferred TCP port if nothing listens on it on 127.0.0.1, else a free one."""

from __future__ import annotations

import socket
import sys


def free_port(preferred: int) -> int:
    """`preferred` when it can be bound on loopback, otherwise a port the kernel hands out."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise OSError("no free port")


if __name__ == "__main__":
    print(free_port(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
