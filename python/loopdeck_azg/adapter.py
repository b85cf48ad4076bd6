"""alpha-zero-general's Game and NNetWrapper APIs, seen as a Loopdeck kit game and network.

The user's code stays as it is: its Game class gives the rules (canonical boards, valid moves,
symmetries), its NNetWrapper predicts, trains with its own settings and saves its checkpoints,
and, when --mcts names it, its own MCTS class searches."""
import importlib
import json
import os
import sys
import traceback

import numpy as np

from loopdeck_kit import Game, Network
from loopdeck_kit.engine import COMMANDS, Engine
from loopdeck_kit.files import sync_folder
from loopdeck_kit.mcts import search as kit_search
from loopdeck_kit.protocol import EngineError, claim_stdout, emit, log
from loopdeck_kit.versions import KIT_VERSION, git_commit

USAGE = ("usage: loopdeck_azg --root DIR --game MODULE:CLASS [--game-args V ...] --net MODULE:CLASS "
         "[--mcts MODULE:CLASS] [--mcts-args JSON] [--id ID] [--label TEXT] <subcommand> --flag value ...")
COLUMN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class AzgGame(Game):
    """A kit game over an alpha-zero-general Game: a state is (board, player), player 1 or -1."""

    def __init__(self, azg, game_id, label):
        self.azg = azg
        self.id, self.label = game_id, label
        self.players = ("Black", "White")
        self.colors = ("#111827", "#f9fafb")
        rows, cols = (int(x) for x in azg.getBoardSize())
        self.rows, self.cols = rows, cols
        self.actions = int(azg.getActionSize())
        board = np.asarray(azg.getCanonicalForm(azg.getInitBoard(), 1))
        self.observation_shape = board.shape
        cells = [(a // cols, a % cols) for a in range(rows * cols)]
        if self.actions in (rows * cols, rows * cols + 1):
            self.cells = cells + ([None] if self.actions == rows * cols + 1 else [])
            self.move_names = [f"{COLUMN_LETTERS[c]}{r + 1}" for r, c in cells] + (["pass"] if self.actions > rows * cols else [])
            self.separator = " "
        elif self.actions == cols:
            self.columns = True
            self.move_names = [str(c + 1) for c in range(cols)]
            self.separator = "" if cols <= 9 else " "
        else:
            raise EngineError(
                f"--game: {label} has {self.actions} actions on a {rows} x {cols} board; the adapter draws games whose actions "
                f"are its cells ({rows * cols}), its cells and a pass ({rows * cols + 1}), or its columns ({cols})", "bad_game", 2)
        if cols > len(COLUMN_LETTERS):
            raise EngineError(f"--game: {label} has {cols} columns; the adapter names at most {len(COLUMN_LETTERS)}", "bad_game", 2)

    def initial(self):
        return (self.azg.getInitBoard(), 1)

    def to_move(self, state):
        return 1 if state[1] == 1 else 2

    def legal(self, state):
        return [int(a) for a in np.flatnonzero(np.asarray(self.azg.getValidMoves(state[0], state[1])))]

    def play(self, state, action):
        board, player = self.azg.getNextState(state[0], state[1], action)
        return (board, player)

    def result(self, state):
        ended = self.azg.getGameEnded(state[0], state[1])
        if ended == 0:
            return None
        if abs(ended) != 1:
            return "draw"
        mover_won = ended == 1
        return "first" if mover_won == (state[1] == 1) else "second"

    def observation(self, state):
        return np.asarray(self.azg.getCanonicalForm(state[0], state[1]), dtype=np.float32)

    def board(self, state):
        grid = np.asarray(state[0]).reshape(self.rows, self.cols)
        return ["".join("x" if v == 1 else "o" if v == -1 else "." for v in row) for row in grid]

    def symmetries(self, observation, policy):
        return [(np.asarray(b, np.float32), np.asarray(p, np.float32)) for b, p in self.azg.getSymmetries(observation, list(policy))]


def network_class(wrapper_class):
    """A kit Network over the user's NNetWrapper class."""

    class AzgNetwork(Network):
        def __init__(self, game, nnet):
            self.game, self.nnet = game, nnet

        @classmethod
        def create(cls, game, seed):
            np.random.seed(seed % 2**32)
            seed_torch(seed)
            return cls(game, wrapper_class(game.azg))

        @classmethod
        def load(cls, game, path):
            if not os.path.exists(path):
                raise FileNotFoundError(path)
            nnet = wrapper_class(game.azg)
            nnet.load_checkpoint(os.path.dirname(os.path.abspath(path)), os.path.basename(path))
            return cls(game, nnet)

        def predict(self, observations):
            policies, values = [], []
            for o in observations:
                pi, v = self.nnet.predict(o.reshape(self.game.observation_shape))
                policies.append(np.asarray(pi, np.float64).reshape(-1))
                values.append(float(np.ravel(v)[0]))
            return np.array(policies), np.array(values)

        def fit(self, observations, policies, values, steps, batch_size, lr, rng, report):
            shape = self.game.observation_shape
            examples = [(o.reshape(shape), p, float(v)) for o, p, v in zip(observations, policies, values)]
            log(f"train: {len(examples)} examples to the network's own train() (its own epochs and batch size; --steps, --batch-size and --lr are the bundled trainer's)")
            self.nnet.train(examples)
            sample = rng.choice(len(observations), size=min(512, len(observations)), replace=False)
            predicted, predicted_values = self.predict(observations[sample])
            policy_loss = float(-(policies[sample] * np.log(predicted + 1e-9)).sum(axis=1).mean())
            value_loss = float(((predicted_values - values[sample]) ** 2).mean())
            report(steps, policy_loss + value_loss, policy_loss, value_loss, len(examples))
            return policy_loss + value_loss

        def save(self, path):
            folder, name = os.path.split(os.path.abspath(path))
            temp = f".{name}.{os.getpid()}.tmp"
            self.nnet.save_checkpoint(folder, temp)
            written = os.path.join(folder, temp)
            if not os.path.exists(written):
                raise EngineError(f"the network's save_checkpoint({folder!r}, {temp!r}) wrote no file of that name", "bad_network")
            with open(written, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(written, path)
            sync_folder(folder)

    return AzgNetwork


def seed_torch(seed):
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)


def their_search(mcts_class, mcts_args, network_cls):
    """A kit searcher that runs the user's MCTS class (constructed per search, as MCTS(game, nnet, args));
    before the first model it searches with a fresh network, as their own loop would."""
    fresh = {}

    def search(game, evaluator, state, sims, rng, noise=False, **_):
        network = evaluator.network
        if network is None:
            network = fresh.setdefault("net", network_cls.create(game, 0))
        args = Args({"cpuct": 1.0, **mcts_args, "numMCTSSims": sims})
        canonical = game.azg.getCanonicalForm(state[0], state[1])
        probs = np.asarray(mcts_class(game.azg, network.nnet, args).getActionProb(canonical, temp=1), np.float64)
        priors, value = network.predict(np.asarray(canonical, np.float32).reshape(1, -1))
        return probs * sims, priors[0], float(value[0])

    return search


class Args(dict):
    """alpha-zero-general's dotdict: args.numMCTSSims and args["numMCTSSims"] alike."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def load_class(spec, option):
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise EngineError(f"{option} {spec}: name a class as MODULE:CLASS (e.g. othello.OthelloGame:OthelloGame)", "usage", 2)
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        missing = getattr(e, "name", None)
        if missing and not (module_name == missing or module_name.startswith(missing + ".")):
            raise EngineError(f"{option} {spec}: {module_name} imports {missing}, which {sys.executable} cannot import; "
                              f"install it for that interpreter (on Debian: apt-get install python3-{missing.split('.')[0]})", "usage", 2) from None
        raise EngineError(f"{option} {spec}: cannot import {module_name} ({e}); is --root the folder that holds it?", "usage", 2) from None
    except Exception as e:  # the module itself failed while loading
        log(traceback.format_exc())
        raise EngineError(f"{option} {spec}: importing {module_name} failed: {type(e).__name__}: {e}", "usage", 2) from None
    if not hasattr(module, class_name):
        raise EngineError(f"{option} {spec}: {module_name} has no {class_name}", "usage", 2)
    return getattr(module, class_name)


def parse_options(argv):
    """Splits the adapter's own options from the protocol subcommand and its flags."""
    at = next((i for i, token in enumerate(argv) if token in COMMANDS), None)
    if at is None:
        raise EngineError(USAGE, "usage", 2)
    options, key = {}, None
    for token in argv[:at]:
        if token.startswith("--"):
            key = token[2:]
            options[key] = []
        elif key is None:
            raise EngineError(f"unexpected {token!r}; {USAGE}", "usage", 2)
        else:
            options[key].append(token)
    known = {"root", "game", "game-args", "net", "mcts", "mcts-args", "id", "label"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise EngineError(f"unknown option --{unknown[0]}; {USAGE}", "usage", 2)
    for required in ("root", "game", "net"):
        if not options.get(required):
            raise EngineError(f"--{required} is missing; {USAGE}", "usage", 2)
    return options, argv[at:]


def literal(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def build_engine(options):
    root = os.path.abspath(options["root"][0])
    if not os.path.isdir(root):
        raise EngineError(f"--root {root}: no such folder", "usage", 2)
    sys.path.insert(0, root)
    game_class = load_class(options["game"][0], "--game")
    try:
        azg = game_class(*[literal(v) for v in options.get("game-args", [])])
    except Exception as e:  # the user's own code: its traceback goes to the log
        log(traceback.format_exc())
        raise EngineError(f"--game {options['game'][0]}: {game_class.__name__}({', '.join(options.get('game-args', []))}) failed: {type(e).__name__}: {e}", "bad_game", 2) from None
    name = game_class.__name__.removesuffix("Game") or game_class.__name__
    game_id = (options.get("id") or [name.lower()])[0]
    label = " ".join(options.get("label") or [name, *options.get("game-args", [])])
    game = AzgGame(azg, game_id, label)
    network = network_class(load_class(options["net"][0], "--net"))
    searcher = kit_search
    if options.get("mcts"):
        searcher = their_search(load_class(options["mcts"][0], "--mcts"), json.loads(" ".join(options.get("mcts-args") or ["{}"])), network)
    # The record of a run names the user's code: their checkout's commit, and the classes it runs.
    details = {"game": options["game"][0], "net": options["net"][0], **({"mcts": options["mcts"][0]} if options.get("mcts") else {})}
    commit = git_commit(root)
    if commit:
        details["checkout"] = commit
    return Engine([game], network, searcher, name="loopdeck_azg", version=KIT_VERSION, details=details)


def main(argv):
    claim_stdout()  # before the user's modules are imported: they may print
    try:
        options, rest = parse_options(argv)
        engine = build_engine(options)
    except EngineError as e:
        log(f"loopdeck_azg: {e}")
        emit("error", code=e.code, message=str(e))
        sys.exit(e.exit_code)
    engine.main(rest)
