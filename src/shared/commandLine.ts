/**
 * Command lines as settings hold them: split like a POSIX shell into an argv
 * (nothing expanded, no shell operators), and joined back for logs.
 */
import { parse as parseShell } from 'shell-quote';

/**
 * Split a command line as a POSIX shell would split it into words (quotes and backslashes), with
 * nothing expanded: `$HOME` stays as written. Commands run without a shell, so shell operators are
 * refused rather than passed on as words.
 */
export function splitCommandLine(line: string): string[] {
  const open = unclosedQuote(line);
  if (open) throw new Error(`unclosed ${open} quote`);
  return parseShell(line, (name) => `$${name}`).map((entry) => {
    if (typeof entry === 'string') return entry;
    if ('op' in entry && entry.op === 'glob') return entry.pattern;
    const what = 'comment' in entry ? '#' : entry.op;
    throw new Error(`"${what}" needs a shell, and commands run without one: wrap the command as sh -c '...'`);
  });
}

/** The quote a command line leaves open, if any. */
function unclosedQuote(line: string): '"' | "'" | null {
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
    } else if (c === '\\') i++;
    else if (quote === '"') {
      if (c === '"') quote = null;
    } else if (c === "'" || c === '"') quote = c;
  }
  return quote;
}

/**
 * Join argv back into a line that splitCommandLine (and a shell) reads back unchanged. Quotes only
 * what needs it, so logged command lines stay readable (`--jobid=16`, not shell-quote's `--jobid\=16`).
 */
export function joinCommandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
