/** Flags of the engine's subcommands: `--name value` (or several values); errors name the flag and the fix. */
export class FlagError extends Error {}

export class Flags {
  private readonly values = new Map<string, string[]>();

  constructor(
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

  has(name: string): boolean {
    return this.values.has(name);
  }

  list(name: string): string[] {
    const values = this.values.get(name);
    if (!values || values.length === 0) throw new FlagError(`${this.command}: --${name} is required`);
    return values;
  }

  string(name: string, fallback?: string): string {
    if (!this.values.has(name)) {
      if (fallback !== undefined) return fallback;
      throw new FlagError(`${this.command}: --${name} is required`);
    }
    const values = this.values.get(name)!;
    if (values.length !== 1) throw new FlagError(`${this.command}: --${name} takes one value (got ${values.length})`);
    return values[0]!;
  }

  number(name: string, options: { min?: number; max?: number; int?: boolean; fallback?: number } = {}): number {
    const raw = this.values.has(name) || options.fallback === undefined ? this.string(name) : String(options.fallback);
    const n = Number(raw);
    const { min = -Infinity, max = Infinity, int = false } = options;
    if (!Number.isFinite(n) || (int && !Number.isInteger(n)) || n < min || n > max)
      throw new FlagError(`${this.command}: --${name} must be ${int ? 'a whole number' : 'a number'}${min > -Infinity ? ` from ${min}` : ''}${max < Infinity ? ` to ${max}` : ''} (got "${raw}")`);
    return n;
  }

  /** Refuse flags the command does not know (a typo must not be silently ignored). */
  only(known: string[]): void {
    for (const name of this.values.keys()) if (!known.includes(name)) throw new FlagError(`${this.command}: unknown flag --${name}; known flags: ${known.map((k) => `--${k}`).join(' ')}`);
  }
}
