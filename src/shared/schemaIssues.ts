/** Schema problems (valibot issues) as messages that name the field and what it must be. */
import * as v from 'valibot';

/**
 * The first issue as `<what>'s "<field>" must be <expected> (got <value>)`, or `<what> needs
 * "<field>"` for a missing one; the schemas' messages say what a value must be ("a whole number").
 */
export function describeIssue(what: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0]!;
  const path = v.getDotPath(issue);
  if (issue.input === undefined && path) return `${what} needs "${path}"`;
  return `${what}${path ? `'s "${path}"` : ''} must be ${issue.message} (got ${quote(issue.input)})`;
}

/** A received value as a message quotes it: JSON cut short, or its kind when it does not serialise (too deep, a cycle). */
export function quote(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return Array.isArray(value) ? `an array of ${value.length} items that does not serialise` : typeof value;
  }
}
