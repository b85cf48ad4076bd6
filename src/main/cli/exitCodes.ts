/** How the CLI exits: 0 ok, 1 the run failed, 2 bad usage or configuration (a UsageError). */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
