"""What an engine runs on, for the `version` subcommand: Python, the kit, and the versions of the
numerical libraries it has loaded (numpy always; PyTorch and others once the user's code imports them)."""
import platform
import subprocess
import sys

KIT_VERSION = "0.1.0"
LIBRARIES = ("numpy", "torch", "tensorflow", "jax", "onnxruntime")


def runtime_versions():
    versions = {"python": platform.python_version(), "loopdeck_kit": KIT_VERSION}
    for name in LIBRARIES:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__version__", None):
            versions[name] = str(module.__version__)
    return versions


def git_commit(folder):
    """The commit of the git checkout holding `folder`, with " (uncommitted changes)" when tracked files differ; None outside one."""
    def git(*args):
        return subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True, timeout=10)
    try:
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return None
        status = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.TimeoutExpired):
        return None
    return head.stdout.strip()[:12] + (" (uncommitted changes)" if status.returncode == 0 and status.stdout.strip() else "")
