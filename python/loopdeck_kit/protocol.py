"""The protocol's plumbing: JSON lines out, logs on stderr, error events, the lifeline."""
import json
import os
import sys
import threading
import time


class EngineError(Exception):
    """A failure the orchestrator is told about in an error event before the engine exits."""

    def __init__(self, message, code="failed", exit_code=1):
        super().__init__(message)
        self.code = code
        self.exit_code = exit_code


_protocol_out = None


def claim_stdout():
    """Keeps stdout for protocol lines alone. The game's and the network's own code may print (a
    training loop's "EPOCH 1", a progress bar, a C library): from here on, whatever else writes to
    stdout, sys.stdout or file descriptor 1 alike, goes to stderr, the process's log, where it cannot
    break the JSON lines. Idempotent; the first call should come before the user's code is imported."""
    global _protocol_out
    if _protocol_out is None:
        sys.stdout.flush()
        _protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
        os.dup2(2, 1)
        sys.stdout = sys.stderr
    return _protocol_out


def _write_line(obj):
    out = claim_stdout()
    out.write(json.dumps(obj, separators=(",", ":")) + "\n")
    out.flush()


def emit(event, **fields):
    """Prints one protocol event as a JSON line and flushes it at once."""
    _write_line({"event": event, **fields})


def reply(obj):
    """Prints one answer line of bestmove or board."""
    _write_line(obj)


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def hold_lifeline(stdin_is_lifeline):
    """Exits when the orchestrator dies: with LOOPDECK_LIFELINE=1 its end of our stdin closes (even
    when it is SIGKILLed), and our parent changes. Commands whose stdin carries input pass False."""
    if os.environ.get("LOOPDECK_LIFELINE") != "1":
        return
    parent = os.getppid()

    def watch_stdin():
        # The raw descriptor, not sys.stdin: a daemon thread blocked in a buffered read aborts the
        # interpreter's shutdown.
        while os.read(0, 65536):
            pass
        os._exit(129)

    def watch_parent():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(129)

    if stdin_is_lifeline:
        threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=watch_parent, daemon=True).start()
