"""Atomic writes: a temp file of our own in the same folder, fsync, rename, then fsync the folder,
so a killed process never leaves half a model or shard, and a crash right after leaves the rename."""
import os
import secrets


def write_atomic(path, write):
    """Calls write(file) on a temp file beside `path`, then moves it into place durably."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    sync_folder(folder)


def sync_folder(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
