"""Loopdeck's Python engine kit: the process protocol's plumbing, a PUCT search and a small numpy
network, so that an engine for a new game is the game's rules (and, if wanted, a network).

    from loopdeck_kit import Game, run_engine
    class MyGame(Game): ...
    if __name__ == "__main__":
        run_engine([MyGame()])

docs/bring-your-own-engine.md walks through it; docs/protocol.md is what the kit speaks.
"""
from .game import Game
from .network import MlpNetwork, Network
from .engine import run_engine

__all__ = ["Game", "Network", "MlpNetwork", "run_engine"]
