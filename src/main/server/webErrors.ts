/**
 * Error replies as a web client sees them: bounded in size (a hostile request
 * cannot make the server echo megabytes back) and free of absolute paths (the
 * layout of the server's disk is none of a browser's business).
 */
import type { ApiErrorBody } from '../../shared/api';

export const MAX_ERRORS_PER_REPLY = 20;
export const MAX_MESSAGE_CHARS = 500;

/** Absolute POSIX or Windows paths: the part from the root up to the last separator. */
const ABSOLUTE_PATH = /(?<![\w.~-])(?:\/(?:[\w.@+~-]+\/)+|[A-Za-z]:\\(?:[\w.@+~ -]+\\)+)/g;

export function withoutAbsolutePaths(text: string, named: readonly { path: string; label: string }[] = []): string {
  let out = text;
  for (const { path, label } of named) if (path) out = out.split(path).join(label);
  return out.replace(ABSOLUTE_PATH, '…/');
}

function cut(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}… (${text.length - MAX_MESSAGE_CHARS} more characters)` : text;
}

export function errorForWebClient(body: ApiErrorBody, named: readonly { path: string; label: string }[] = []): ApiErrorBody {
  const clean = (text: string) => cut(withoutAbsolutePaths(text, named));
  const errors = body.errors?.slice(0, MAX_ERRORS_PER_REPLY).map((e) => ({ field: cut(String(e.field)), message: clean(e.message) }));
  const dropped = (body.errors?.length ?? 0) - (errors?.length ?? 0);
  return {
    code: body.code,
    message: clean(body.message) + (dropped > 0 ? ` (and ${dropped} more errors)` : ''),
    ...(errors ? { errors } : {}),
  };
}
