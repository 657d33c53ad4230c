"""`python -m portal.preflight`: check the configuration before serving, in one line.

`make serve` runs it first, so a production start without SECRET_KEY or PUBLIC_URL stops with
a sentence saying what to set, not a traceback.
"""

from __future__ import annotations

import sys


def main() -> int:
    from config import load_config

    try:
        config = load_config()
    except RuntimeError as exc:
        print(f"crocevia: cannot start: {exc}", file=sys.stderr)
        return 2
    print(f"crocevia: configuration {type(config).__name__} ok "
          f"(database {config.SQLALCHEMY_DATABASE_URI.split('://')[0]}, search {config.SEARCH_BACKEND}, "
          f"jobs {config.JOBS_RUNNER})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
