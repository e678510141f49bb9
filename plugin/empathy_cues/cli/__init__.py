"""The ``empathy-cues`` command.

Every failure a user can cause ends with one line on stderr and exit code 2 (1 for a failed check),
never a stack trace. Each module of this package adds its commands: ``scan``, ``packs``, ``service``
(serve, worker), ``deadletters`` (replay, deadletters), ``install`` (install, uninstall, status), ``reports`` (report,
feedback report) and ``history`` (preview, backfill).
"""
from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import EmpathyCuesError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="empathy-cues")
def main() -> None:
    """Spot customers who struggle, tag the ticket, suggest an empathetic reply."""


def run() -> None:
    """Entry point: our errors become one line on stderr and exit code 2, never a traceback."""
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except EmpathyCuesError as exc:
        click.echo(f"empathy-cues: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        # The queue or state store unreachable or unreadable (Redis down, a locked or damaged SQLite file,
        # a directory we may not read): one line naming it, not a traceback.
        sys.exit(_one_line(exc))


def _one_line(exc: Exception) -> int:
    kind = type(exc).__module__.split(".")[0]
    what = {"redis": "Redis unreachable or refused the command", "sqlite3": "the SQLite state could not be read",
            "huey": "the queue failed"}.get(kind)
    if what is None and isinstance(exc, OSError):
        what = "a file could not be used"
    if what is None:
        what = "unexpected error"
    detail = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
    click.echo(f"empathy-cues: {what}: {type(exc).__name__}" + (f": {detail}" if detail else ""), err=True)
    return 2


from . import deadletters, history, install, packs, reports, scan, service  # noqa: E402  (each adds its commands)

for _commands in (scan, packs, service, deadletters, install, reports, history):
    _commands.register(main)
