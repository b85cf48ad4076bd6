"""What an engine author writes: a game's rules and how to draw it. The kit does the rest."""
import numpy as np


class Game:
    """A two-player, alternating, zero-sum game with a fixed number of actions.

    Class attributes (the game's declaration, docs/protocol.md `games`):
      id, label            the --game value (lowercase letters, digits, . - _) and a name for people
      players              two names, the first player's first
      actions              the number of actions; the kit numbers them 0..actions-1, the protocol 1..actions
      observation_shape    the shape of observation()
      rows, cols           the board's grid for drawing
      cells                for each action the [row, col] it places a piece on, or None (a pass);
                           or leave it None and set columns = True for actions that name a column
      move_names           the name of each action; separator joins them in a position line
      colors / letters     optional: two "#rrggbb" colours, or two letters, for the pieces
    States are whatever the game likes, but play() must return a new state, never change one.
    """

    id = None
    label = None
    players = ("First", "Second")
    actions = None
    observation_shape = None
    rows = None
    cols = None
    cells = None
    columns = False
    move_names = None
    separator = " "
    colors = None
    letters = None

    def initial(self):
        raise NotImplementedError

    def to_move(self, state):
        """1 or 2."""
        raise NotImplementedError

    def legal(self, state):
        """The legal actions (0-based); never empty while the game goes on (a game with passes lists the pass)."""
        raise NotImplementedError

    def play(self, state, action):
        raise NotImplementedError

    def result(self, state):
        """None while the game goes on, else "first", "second" or "draw"."""
        raise NotImplementedError

    def observation(self, state):
        """A float32 array of observation_shape, from the view of the player to move."""
        raise NotImplementedError

    def board(self, state):
        """The grid, top row first: `rows` strings of `cols` characters, "." empty, "x" the first
        player's piece, "o" the second's."""
        raise NotImplementedError

    def symmetries(self, observation, policy):
        """Equivalent (observation, policy) pairs for training, the given one included."""
        return [(observation, policy)]

    def references(self):
        """Reference players the arena plays besides random: {spec: (label, elo, choose(state, rng) -> action)}."""
        return {}

    # The rest is derived.

    def declaration(self):
        board = {"rows": self.rows, "cols": self.cols}
        if self.columns:
            board["moves"] = "columns"
        else:
            board["moves"] = "cells"
            board["cells"] = [None if c is None else [int(c[0]), int(c[1])] for c in self.cells]
        if self.colors:
            board["colors"] = list(self.colors)
        if self.letters:
            board["letters"] = list(self.letters)
        refs = [{"player": spec, "label": label, **({} if elo is None else {"elo": elo})} for spec, (label, elo, _) in self.references().items()]
        return {
            "id": self.id,
            "label": self.label,
            "players": list(self.players),
            "actions": self.actions,
            "observation": list(self.observation_shape),
            "board": board,
            "notation": {"moves": list(self.move_names), "separator": self.separator},
            "capabilities": {"bestmove": True, "references": refs},
        }

    def observation_size(self):
        return int(np.prod(self.observation_shape))

    def parse_position(self, text):
        """The actions (0-based) of a position line, or a ValueError saying what is wrong."""
        names = {name: i for i, name in enumerate(self.move_names)}
        text = text.strip()
        if self.separator:
            tokens = text.split(self.separator.strip() or None) if text else []
            unknown = next((t for t in tokens if t not in names), None)
            if unknown is not None:
                raise ValueError(f"{unknown!r} is not a move of {self.label}")
            return [names[t] for t in tokens]
        moves, rest = [], text
        longest_first = sorted(names, key=len, reverse=True)
        while rest:
            match = next((n for n in longest_first if rest.startswith(n)), None)
            if match is None:
                raise ValueError(f"{rest!r} does not start with a move of {self.label}")
            moves.append(names[match])
            rest = rest[len(match) :]
        return moves

    def replay(self, actions):
        """The state after the actions from the start; a ValueError for an illegal one."""
        state = self.initial()
        for ply, action in enumerate(actions, 1):
            if self.result(state) is not None:
                raise ValueError(f"move {ply} comes after the game ended")
            if action not in self.legal(state):
                raise ValueError(f"move {ply} ({self.move_names[action]}) is not legal")
            state = self.play(state, action)
        return state

    def position_text(self, actions):
        return self.separator.join(self.move_names[a] for a in actions)
