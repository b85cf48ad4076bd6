"""PUCT Monte Carlo tree search over a kit Game, with a network (or random rollouts) at the leaves."""
import math

import numpy as np


class Evaluator:
    """Priors and a value for the player to move; with no network, uniform priors and a random rollout."""

    def __init__(self, game, network, rng):
        self.game, self.network, self.rng = game, network, rng

    def __call__(self, state, legal):
        if self.network is None:
            return np.full(len(legal), 1 / len(legal)), self._rollout(state)
        policy, value = self.network.predict(self.game.observation(state).reshape(1, -1))
        priors = policy[0][legal]
        total = priors.sum()
        return (priors / total if total > 0 else np.full(len(legal), 1 / len(legal))), float(value[0])

    def _rollout(self, state):
        game, me = self.game, self.game.to_move(state)
        while (result := game.result(state)) is None:
            moves = game.legal(state)
            state = game.play(state, moves[self.rng.integers(len(moves))])
        return outcome_for(result, me)


def outcome_for(result, player):
    """+1, 0 or -1 for `player` (1 or 2) from a finished game's result."""
    if result == "draw":
        return 0.0
    return 1.0 if (result == "first") == (player == 1) else -1.0


class Node:
    __slots__ = ("state", "to_move", "legal", "priors", "visits", "values", "children", "terminal")

    def __init__(self, game, state):
        self.state = state
        self.to_move = game.to_move(state)
        result = game.result(state)
        self.terminal = None if result is None else outcome_for(result, self.to_move)
        self.legal = None if result is not None else np.array(game.legal(state))
        self.children = {}
        self.visits = None


def search(game, evaluator, state, sims, rng, noise=False, c_puct=1.5, dirichlet=0.3, noise_share=0.25):
    """Runs `sims` simulations from `state`; returns (visits over all actions, the root's priors over
    all actions, the root's mean value for the player to move)."""
    root = Node(game, state)
    if root.terminal is not None:
        raise ValueError("the game is over in this position")
    _expand(root, evaluator)
    if noise and len(root.legal) > 1:
        root.priors = (1 - noise_share) * root.priors + noise_share * rng.dirichlet([dirichlet] * len(root.legal))
    root_value = 0.0
    for _ in range(max(sims, 1)):
        node, path = root, []
        while True:
            if node.terminal is not None:
                value = node.terminal
                break
            if node.visits is None:
                value = _expand(node, evaluator)
                break
            i = _select(node, c_puct)
            action = int(node.legal[i])
            child = node.children.get(action)
            if child is None:
                child = node.children[action] = Node(game, game.play(node.state, action))
            path.append((node, i))
            node = child
        # `value` is for the player to move at the leaf; each edge is credited from its mover's view.
        for parent, i in path:
            parent.visits[i] += 1
            parent.values[i] += value if parent.to_move == node.to_move else -value
        root_value += value if root.to_move == node.to_move else -value
    visits = np.zeros(game.actions)
    visits[root.legal] = root.visits
    priors = np.zeros(game.actions)
    priors[root.legal] = root.priors
    return visits, priors, root_value / max(sims, 1)


def _expand(node, evaluator):
    node.priors, value = evaluator(node.state, node.legal)
    node.visits = np.zeros(len(node.legal))
    node.values = np.zeros(len(node.legal))
    return value


def _select(node, c_puct):
    total = node.visits.sum()
    q = np.divide(node.values, node.visits, out=np.zeros_like(node.values), where=node.visits > 0)
    u = c_puct * node.priors * math.sqrt(total + 1) / (1 + node.visits)
    return int(np.argmax(q + u))
