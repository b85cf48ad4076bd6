"""Connect Three (examples/connect3.py) with a PyTorch network in place of the kit's numpy one: the
game stays as it is, and `network=` names the network. Needs Debian's python3-torch."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from connect3 import ConnectThree  # noqa: E402
from loopdeck_kit import run_engine  # noqa: E402
from loopdeck_kit.torch_network import TorchNetwork  # noqa: E402

if __name__ == "__main__":
    run_engine([ConnectThree()], network=TorchNetwork)
