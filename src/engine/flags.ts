/**
 * Flags of the engine's subcommands: `--name value` (or several values); errors name the flag and
 * the fix. A subcommand's flags are the protocol's (src/shared/protocol.ts) and the engine's own
 * extras, and only those names type-check, so a protocol flag renamed fails the compile here.
 */
import { PROTOCOL_FLAGS, type EngineSubcommand, type SubcommandFlags } from '../shared/protocol';

export class FlagError extends Error {}

export class Flags<Name extends string = string> {
  private readonly values = new Map<string, string[]>();

  /** The flags of a protocol subcommand and the engine's extras for it; any other is refused. */
  static of<C extends EngineSubcommand, X extends string = never>(command: C, argv: string[], extras: readonly X[] = []): Flags<(keyof SubcommandFlags[C] & string) | X> {
    const flags = new Flags<(keyof SubcommandFlags[C] & string) | X>(argv, command);
    flags.only([...PROTOCOL_FLAGS[command], ...extras]);
    return flags;
  }

  private constructor(
    argv: string[],
    private readonly command: string,
  ) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (!arg.startsWith('--')) throw new FlagError(`${command}: unexpected argument "${arg}"; flags look like --name value`);
      const list: string[] = [];
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) list.push(argv[++i]!);
      this.values.set(arg.slice(2), list);
    }
  }

  has(name: Name): boolean {
    return this.values.has(name);
  }

  list(name: Name): string[] {
    const values = this.values.get(name);
    if (!values || values.length === 0) throw new FlagError(`${this.command}: --${name} is required`);
    return values;
  }

  string(name: Name, fallback?: string): string {
    if (!this.values.has(name)) {
      if (fallback !== undefined) return fallback;
      throw new FlagError(`${this.command}: --${name} is required`);
    }
    const values = this.values.get(name)!;
    if (values.length !== 1) throw new FlagError(`${this.command}: --${name} takes one value (got ${values.length})`);
    return values[0]!;
  }

  number(name: Name, options: { min?: number; max?: number; int?: boolean; fallback?: number } = {}): number {
    const raw = this.values.has(name) || options.fallback === undefined ? this.string(name) : String(options.fallback);
    const n = Number(raw);
    const { min = -Infinity, max = Infinity, int = false } = options;
    if (!Number.isFinite(n) || (int && !Number.isInteger(n)) || n < min || n > max)
      throw new FlagError(`${this.command}: --${name} must be ${int ? 'a whole number' : 'a number'}${min > -Infinity ? ` from ${min}` : ''}${max < Infinity ? ` to ${max}` : ''} (got "${raw}")`);
    return n;
  }

  /** Refuse flags the command does not know (a typo must not be silently ignored). */
  private only(known: readonly string[]): void {
    for (const name of this.values.keys())
      if (!known.includes(name)) throw new FlagError(`${this.command}: unknown flag --${name}; ${known.length ? `known flags: ${known.map((k) => `--${k}`).join(' ')}` : 'it takes no flags'}`);
  }
}
