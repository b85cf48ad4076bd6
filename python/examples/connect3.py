"""Connect Three on a 5 x 4 board, an engine written with Loopdeck's Python kit: the game's rules
and drawing, nothing else. Run `python3 examples/connect3.py games` to see its declaration;
docs/bring-your-own-engine.md starts a run of it."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from loopdeck_kit import Game, run_engine  # noqa: E402

ROWS, COLS, LINE = 4, 5, 3


class ConnectThree(Game):
    id = "connect3-5x4"
    label = "Connect Three 5x4"
    players = ("Red", "Yellow")
    actions = COLS
    observation_shape = (2, ROWS, COLS)
    rows, cols = ROWS, COLS
    columns = True
    move_names = [str(c + 1) for c in range(COLS)]
    separator = ""
    colors = ("#dc2626", "#facc15")

    # A state is (grid, player to move): grid[r][c] is 0, 1 or 2, row 0 at the top.
    def initial(self):
        return (np.zeros((ROWS, COLS), np.int8), 1)

    def to_move(self, state):
        return state[1]

    def legal(self, state):
        return [c for c in range(COLS) if state[0][0, c] == 0]

    def play(self, state, action):
        grid, player = state
        row = max(r for r in range(ROWS) if grid[r, action] == 0)
        grid = grid.copy()
        grid[row, action] = player
        return (grid, 3 - player)

    def result(self, state):
        grid = state[0]
        for player in (1, 2):
            mine = grid == player
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                for r in range(ROWS):
                    for c in range(COLS):
                        if all(0 <= r + k * dr < ROWS and 0 <= c + k * dc < COLS and mine[r + k * dr, c + k * dc] for k in range(LINE)):
                            return "first" if player == 1 else "second"
        return "draw" if (grid != 0).all() else None

    def observation(self, state):
        grid, player = state
        return np.stack([grid == player, grid == 3 - player]).astype(np.float32)

    def board(self, state):
        return ["".join(".xo"[v] for v in row) for row in state[0]]

    def symmetries(self, observation, policy):
        return [(observation, policy), (observation[:, :, ::-1], policy[::-1])]

    def references(self):
        return {"greedy": ("Greedy (wins, else blocks)", 100, self._greedy)}

    def _greedy(self, state, rng):
        moves = self.legal(state)
        for player in (state[1], 3 - state[1]):
            for move in moves:
                if self.result(self.play((state[0], player), move)) in ("first", "second"):
                    return move  # wins, or takes the cell the opponent would win on
        return moves[rng.integers(len(moves))]


if __name__ == "__main__":
    run_engine([ConnectThree()])
