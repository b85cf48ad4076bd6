"""The protocol's flags: `--name value`, lists as several values. Unknown or missing flags are
refused with their name, as docs/protocol.md asks."""
from .protocol import EngineError

# name -> (type, required); list-valued flags have type list.
SUBCOMMAND_FLAGS = {
    "selfplay": {"game": (str, True), "model": (str, True), "episodes": (int, True), "sims": (int, True),
                 "temp-threshold": (int, True), "seed": (int, True), "actor-id": (int, True), "out": (str, True)},
    "train": {"game": (str, True), "replay": (list, True), "init": (str, True), "steps": (int, True),
              "start-step": (int, True), "batch-size": (int, True), "lr": (float, True), "out": (str, True)},
    "arena": {"game": (str, True), "a": (str, True), "b": (str, True), "games": (int, True), "sims": (int, True),
              "temperature": (float, True), "seed": (int, True)},
    "bestmove": {"game": (str, True), "model": (str, True), "sims": (int, False)},
    "board": {"game": (str, True)},
    "games": {},
    "version": {},
}


def parse_flags(subcommand, argv, extra=None):
    """Parses argv after the subcommand; `extra` adds flags an engine takes beyond the protocol's."""
    known = {**SUBCOMMAND_FLAGS[subcommand], **(extra or {})}
    raw = {}
    i = 0
    while i < len(argv):
        token = argv[i]
        if not token.startswith("--"):
            raise EngineError(f"{subcommand}: unexpected argument {token!r}; flags are --name value", "bad_flags", 2)
        name = token[2:]
        if name not in known:
            raise EngineError(f"{subcommand}: unknown flag --{name}; it takes {', '.join('--' + k for k in known) or 'no flags'}", "bad_flags", 2)
        values = []
        while i + 1 < len(argv) and not (argv[i + 1].startswith("--") and not _is_number(argv[i + 1])):
            i += 1
            values.append(argv[i])
        raw[name] = values
        i += 1
    flags = {}
    for name, (kind, required) in known.items():
        if name not in raw:
            if required:
                raise EngineError(f"{subcommand}: the flag --{name} is missing", "bad_flags", 2)
            continue
        values = raw[name]
        if kind is list:
            flags[name] = values
            continue
        if len(values) != 1:
            raise EngineError(f"{subcommand}: --{name} takes one value (got {len(values)})", "bad_flags", 2)
        try:
            flags[name] = kind(values[0])
        except ValueError:
            raise EngineError(f"{subcommand}: --{name} must be {'a whole number' if kind is int else 'a number'} (got {values[0]!r})", "bad_flags", 2) from None
    return flags


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False
