"""Who holds a claim on a row of background work (a delivery, a queued mail, a job).

A claim names the host and process that took it, so a process on the same host can tell
that the claimant has died and release its rows at once; claims of other hosts are
released when they are older than the caller's stale limit.
"""

from __future__ import annotations

import os
import socket
import uuid

HOST = socket.gethostname()


def worker_id() -> str:
    """`host:pid:random`: unique per call, and tells which process holds the claim."""
    return f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claimant_is_dead(claimed_by: str) -> bool:
    """True only when the claim is this host's and its process no longer runs."""
    host, _, rest = claimed_by.partition(":")
    pid = rest.partition(":")[0]
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
