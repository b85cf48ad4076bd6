/** The bundled Tic-tac-toe's and Connect Four's notation: actions by number from 1, no separator (`4453`). */
export function numberedNotation(actions: number): { moves: string[]; separator: string } {
  return { moves: Array.from({ length: actions }, (_, a) => String(a + 1)), separator: '' };
}
