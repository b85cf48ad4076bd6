/** A run's name: its folder's name, so letters, digits, ".", "-" and "_", starting with a letter or digit. */
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const RUN_NAME_RULE = '1-100 letters, digits, ".", "-" or "_", starting with a letter or digit';

export function isRunName(name: unknown): name is string {
  return typeof name === 'string' && RUN_NAME.test(name);
}
