"""The protocol's subcommands over kit Games: games, board, selfplay, train, arena, bestmove, version."""
import os
import sys
import time
import traceback

import numpy as np

from .flags import parse_flags
from .mcts import Evaluator, outcome_for, search
from .network import MlpNetwork
from .protocol import EngineError, claim_stdout, emit, hold_lifeline, log, reply
from .shards import read_replay, write_shard
from .versions import runtime_versions

SHARD_EPISODES = 25  # a shard every so many games, so a crashed actor loses little
PROGRESS_SECONDS = 0.5
DEFAULT_BESTMOVE_SIMS = 200


class Engine:
    """An engine for the given games. `network` is a Network class (create/load); `searcher` may
    replace the kit's PUCT search (same signature as mcts.search). `version` and `details` (an
    object of texts: a commit, a library's version) are what `version` answers for the run's record."""

    def __init__(self, games, network=MlpNetwork, searcher=search, name="engine", version="unversioned", details=None):
        self.games = {g.id: g for g in games}
        self.network = network
        self.searcher = searcher
        self.name = name
        self.version = version
        self.details = details or {}

    def main(self, argv=None):
        argv = sys.argv[1:] if argv is None else argv
        claim_stdout()
        if not argv or argv[0] not in COMMANDS:
            self._fail(EngineError(f"usage: {self.name} <{'|'.join(COMMANDS)}> --flag value ...", "usage", 2))
        subcommand = argv[0]
        try:
            flags = parse_flags(subcommand, argv[1:])
            hold_lifeline(stdin_is_lifeline=subcommand not in ("bestmove", "board", "games", "version"))
            COMMANDS[subcommand](self, flags)
        except EngineError as e:
            self._fail(e)
        except (ValueError, OSError) as e:
            self._fail(EngineError(f"{subcommand}: {e}"))
        except Exception as e:  # the game's or the network's own code: its traceback goes to the log
            log(traceback.format_exc())
            self._fail(EngineError(f"{subcommand}: {type(e).__name__}: {e}"))
        sys.exit(0)

    def _fail(self, error):
        log(f"{self.name}: {error}")
        emit("error", code=error.code, message=str(error))
        sys.exit(error.exit_code)

    def game(self, game_id):
        if game_id not in self.games:
            raise EngineError(f"--game {game_id}: this engine offers {', '.join(self.games)}", "unknown_game", 2)
        return self.games[game_id]

    def load_network(self, game, path):
        """The network in `path`, or None (uniform priors, rollouts) for "none"."""
        if path == "none":
            return None
        try:
            return self.network.load(game, path)
        except FileNotFoundError:
            raise EngineError(f"cannot load the model {path}: no such file", "no_model") from None


# --- games and board --------------------------------------------------------------------------


def cmd_games(engine, _flags):
    for game in engine.games.values():
        emit("game", **game.declaration())
    emit("done", games=len(engine.games))


def cmd_version(engine, _flags):
    """What this engine is, for the run's record: its name and version, Python's and the libraries'."""
    emit("version", name=engine.name, version=str(engine.version), details={**runtime_versions(), **engine.details})


def cmd_board(engine, flags):
    game = engine.game(flags["game"])
    for line in sys.stdin:
        text = line.rstrip("\n")
        try:
            state = game.replay(game.parse_position(text))
        except ValueError as e:
            reply({"position": text, "error": str(e)})
            continue
        result = game.result(state)
        reply({
            "position": text,
            "board": list(game.board(state)),
            "to_move": game.to_move(state),
            "legal": [] if result is not None else [a + 1 for a in game.legal(state)],
            "result": result,
        })


# --- selfplay --------------------------------------------------------------------------------


def cmd_selfplay(engine, flags):
    game = engine.game(flags["game"])
    network = engine.load_network(game, flags["model"])
    if network is None and engine.searcher is search:
        log("selfplay: no model yet; searching with uniform priors and random rollouts")
    rng = np.random.default_rng(flags["seed"])
    evaluator = Evaluator(game, network, rng)
    os.makedirs(flags["out"], exist_ok=True)
    record_games = int(os.environ.get("LOOPDECK_RECORD_GAMES", "0") or 0)
    started = time.perf_counter()
    pending, positions, shards, last_progress = [], 0, 0, 0.0
    episodes = flags["episodes"]

    def write_pending():
        nonlocal pending, shards
        if not pending:
            return
        path = os.path.join(flags["out"], f"actor-{flags['actor-id']}-{shards:03d}.safetensors")
        rows = [row for episode in pending for row in episode]
        write_shard(path, *zip(*rows))
        shards += 1
        emit("shard", path=path, positions=len(rows), episodes=len(pending))
        pending = []

    for episode in range(1, episodes + 1):
        rows, moves, searches, result = play_selfplay_game(engine, game, evaluator, flags, rng)
        positions += len(rows)
        pending.append(rows)
        if episode <= record_games:
            emit("game", moves=[a + 1 for a in moves], result=result, search=searches)
        if len(pending) >= SHARD_EPISODES or episode == episodes:
            write_pending()
        now = time.perf_counter()
        if now - last_progress >= PROGRESS_SECONDS or episode == episodes:
            emit("progress", episodes=episode, positions=positions)
            last_progress = now
    emit("done", episodes=episodes, positions=positions, seconds=time.perf_counter() - started)


def play_selfplay_game(engine, game, evaluator, flags, rng):
    state = game.initial()
    rows, moves, searches, movers = [], [], [], []
    while (result := game.result(state)) is None:
        visits, priors, value = engine.searcher(game, evaluator, state, flags["sims"], rng, noise=True)
        policy = visits / visits.sum()
        legal = np.zeros(game.actions, np.uint8)
        legal[game.legal(state)] = 1
        rows.append([game.observation(state).reshape(-1), policy, 0.0, legal, value])
        movers.append(game.to_move(state))
        searches.append({"visits": visits.astype(int).tolist(), "prior": np.round(priors, 4).tolist(), "value": round(value, 4)})
        explore = flags["temp-threshold"] == 0 or len(moves) < flags["temp-threshold"]
        action = int(rng.choice(game.actions, p=policy)) if explore else int(np.argmax(visits))
        moves.append(action)
        state = game.play(state, action)
    for row, mover in zip(rows, movers):
        row[2] = outcome_for(result, mover)
    return rows, moves, searches, result


# --- train -----------------------------------------------------------------------------------


def cmd_train(engine, flags):
    game = engine.game(flags["game"])
    data = read_replay(flags["replay"], game.actions)
    if data is None:
        raise EngineError(f"train: no readable shards in {', '.join(flags['replay'])}", "no_replay")
    observations, policies, values = augment(game, *data)
    network = initial_network(engine, game, flags)
    rng = np.random.default_rng(flags["start-step"])
    started = time.perf_counter()

    def report(steps_done, loss, policy_loss, value_loss, samples):
        emit("progress", step=flags["start-step"] + steps_done, loss=float(loss), policy_loss=float(policy_loss), value_loss=float(value_loss),
             lr=flags["lr"], samples_per_sec=samples / max(time.perf_counter() - started, 1e-9))

    loss = network.fit(observations, policies, values, flags["steps"], flags["batch-size"], flags["lr"], rng, report)
    network.save(flags["out"])
    emit("done", step=flags["start-step"] + flags["steps"], loss=float(loss))


def initial_network(engine, game, flags):
    init = flags["init"]
    if init != "none":
        try:
            return engine.network.load(game, init)
        except (OSError, ValueError, KeyError) as e:
            log(f"train: cannot continue from {init} ({e}); starting a fresh network")
    return engine.network.create(game, flags["start-step"])


def augment(game, observations, policies, values):
    """Adds each position's symmetric twins, when the game declares symmetries."""
    shape = game.observation_shape
    obs, pol, val = [], [], []
    for o, p, v in zip(observations, policies, values):
        for so, sp in game.symmetries(o.reshape(shape), p):
            obs.append(np.asarray(so, np.float32).reshape(-1))
            pol.append(sp)
            val.append(v)
    return np.array(obs, np.float32), np.array(pol, np.float32), np.array(val, np.float32)


# --- arena and bestmove ----------------------------------------------------------------------


ARENA_OPENING_PLIES = 1


def cmd_arena(engine, flags):
    game = engine.game(flags["game"])
    rng = np.random.default_rng(flags["seed"])
    a, b = make_player(engine, game, flags["a"], flags, rng), make_player(engine, game, flags["b"], flags, rng)
    totals = {"win": 0, "draw": 0, "loss": 0}
    opening = []
    for index in range(flags["games"]):
        a_first = index % 2 == 0
        if a_first:  # both games of a pair start from the same random opening, colours swapped
            opening = random_opening(game, rng, getattr(game, "arena_opening_plies", ARENA_OPENING_PLIES))
        players = (a, b) if a_first else (b, a)
        state = game.replay(opening)
        moves, searches = list(opening), [None] * len(opening)
        while game.result(state) is None:
            action, record = players[0 if game.to_move(state) == 1 else 1](state)
            moves.append(action)
            searches.append(record)
            state = game.play(state, action)
        outcome = outcome_for(game.result(state), 1 if a_first else 2)
        result = "win" if outcome > 0 else "loss" if outcome < 0 else "draw"
        totals[result] += 1
        emit("game", index=index, a_first=a_first, result=result, moves=[m + 1 for m in moves], opening=len(opening), search=searches)
    emit("done", wins=totals["win"], draws=totals["draw"], losses=totals["loss"])


def random_opening(game, rng, plies):
    state, moves = game.initial(), []
    for _ in range(plies):
        if game.result(state) is not None:
            break
        legal = game.legal(state)
        action = int(legal[rng.integers(len(legal))])
        moves.append(action)
        state = game.play(state, action)
    return moves if game.result(state) is None else []


def make_player(engine, game, spec, flags, rng):
    """A function state -> (action, search record or None)."""
    if spec == "random":
        return lambda state: (int(rng.choice(game.legal(state))), None)
    references = game.references()
    if spec in references:
        choose = references[spec][2]
        return lambda state: (int(choose(state, rng)), None)
    if not os.path.exists(spec):
        raise EngineError(f"arena: cannot play {spec!r}: not a model file, random or one of {', '.join(references) or 'no reference players'}", "unknown_player", 2)
    evaluator = Evaluator(game, engine.load_network(game, spec), rng)
    temperature = flags["temperature"]

    def play(state):
        visits, priors, value = engine.searcher(game, evaluator, state, flags["sims"], rng)
        if temperature > 0:
            weights = visits ** (1 / temperature)
            action = int(rng.choice(game.actions, p=weights / weights.sum()))
        else:
            action = int(np.argmax(visits))
        return action, {"visits": visits.astype(int).tolist(), "prior": np.round(priors, 4).tolist(), "value": round(value, 4)}

    return play


def cmd_bestmove(engine, flags):
    game = engine.game(flags["game"])
    rng = np.random.default_rng(0)
    evaluator = Evaluator(game, engine.load_network(game, flags["model"]), rng)
    sims = flags.get("sims", DEFAULT_BESTMOVE_SIMS)
    for line in sys.stdin:
        text = line.rstrip("\n")
        try:
            state = game.replay(game.parse_position(text))
            if game.result(state) is not None:
                raise ValueError("the game is over in this position")
        except ValueError as e:
            reply({"position": text, "error": str(e)})
            continue
        visits, _priors, value = engine.searcher(game, evaluator, state, sims, rng)
        reply({"position": text, "move": int(np.argmax(visits)) + 1, "policy": np.round(visits / visits.sum(), 4).tolist(), "value": round(value, 4)})


COMMANDS = {"games": cmd_games, "board": cmd_board, "selfplay": cmd_selfplay, "train": cmd_train, "arena": cmd_arena, "bestmove": cmd_bestmove,
            "version": cmd_version}


def run_engine(games, network=MlpNetwork, searcher=search, name=None, version="unversioned", details=None):
    """The engine's main: `python3 my_engine.py <subcommand> --flags ...`."""
    Engine(games, network, searcher, name or os.path.basename(sys.argv[0]), version, details).main()
