/**
 * Models that answer moves on demand (the panel's Play): a long-lived `bestmove` process per
 * model and simulation count (process/answerSession.ts).
 */
import { PROTOCOL_PARSERS, type BestmoveReply } from '../../../shared/protocol';
import { AnswerSessionPool } from '../process/answerSession';

export class ModelPlayerPool {
  private readonly pool = new AnswerSessionPool(PROTOCOL_PARSERS.bestmove, "the model's bestmove");

  async bestMove(o: { command: string[]; game: string; model: string; sims: number; position: string }): Promise<BestmoveReply> {
    const reply = await this.pool.ask([...o.command, 'bestmove', '--game', o.game, '--model', o.model, '--sims', String(o.sims)], o.position);
    return { ...reply, position: o.position };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
