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
  let got: string;
  try {
    got = (JSON.stringify(issue.input) ?? String(issue.input)).slice(0, 80);
  } catch {
    got = String(issue.input);
  }
  return `${what}${path ? `'s "${path}"` : ''} must be ${issue.message} (got ${got})`;
}
