"""Ending a child process."""

import subprocess


def reap(process: "subprocess.Popen[bytes]", timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds; reaped either way."""
    process.terminate()  # a no-op on one that has exited
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
