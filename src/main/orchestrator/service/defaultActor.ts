/** Who asked for a change, as the audit trails name them: "user@surface" ("ada@gui", "ada@cli"). */
import { userInfo } from 'node:os';

export function defaultActor(surface: string): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {}
  return `${user}@${surface}`;
}
