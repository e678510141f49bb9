"""``empathy-cues packs check|show``: validate a phrase pack, list the built-in cues."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.packs import Pack, builtin_pack_path, load_pack_file
from ..errors import InputError, PackError
from ..resources import data_path


@click.group()
def packs() -> None:
    """Phrase packs: the cue phrases as data."""


@packs.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=True))
def packs_check(path: str | None) -> None:
    """Validate PATH (a pack file or a folder of them; default: the built-in packs)."""
    if path is None:
        files = sorted(data_path("phrase_packs").glob("*.yaml"))
    elif Path(path).is_dir():
        files = sorted(Path(path).glob("*.yaml"))
    else:
        files = [Path(path)]
    if not files:
        raise InputError(f"no pack files (*.yaml) in {path}")
    failed = 0
    for file in files:
        pack, errors = _check_pack(file)
        if errors:
            failed += 1
            for error in errors:
                click.echo(f"error: {error}", err=True)
            continue
        phrases = sum(len(c.phrases) + len(c.symbols) for c in pack.cues)
        click.echo(f"ok: {file} ({pack.language}, {len(pack.cues)} cues, {phrases} phrases and symbols, "
                   f"{len(pack.categories)} categories)")
    if failed:
        sys.exit(1)


def _check_pack(file: Path) -> tuple[Pack | None, list[str]]:
    """The pack, or every error found: the validator stops at its first error, so a cue at fault is set
    aside and the rest validated again, until an error names no cue (then nothing after it can be
    trusted) or none is left."""
    try:
        return load_pack_file(file), []
    except PackError as exc:
        first = exc
    if first.cue_id is None:
        return None, [str(first)]
    from ..core.datafile import read_yaml
    from ..core.packs import parse_pack

    data = read_yaml(file)
    errors, set_aside = [str(first)], {first.cue_id}
    while True:
        cues = [c for c in data.get("cues") or [] if not (isinstance(c, dict) and c.get("id") in set_aside)]
        try:
            parse_pack({**data, "cues": cues}, str(file))
            return None, errors
        except PackError as exc:
            errors.append(str(exc))
            if exc.cue_id is None or exc.cue_id in set_aside:
                return None, errors
            set_aside.add(exc.cue_id)


@packs.command("show")
@click.option("--language", default="en", show_default=True)
def packs_show(language: str) -> None:
    """List the cues of a built-in pack with their category, weight and what they imply."""
    pack = load_pack_file(builtin_pack_path(language))
    for cue in pack.cues:
        implies = ", ".join(k for k, v in (("apology", cue.apology), ("priority", cue.priority)) if v) or "tone only"
        found_by = (f"detector {cue.detector}" if cue.detector
                    else f"{len(cue.phrases) + len(cue.symbols)} phrases")
        click.echo(f"{cue.id:<32} {cue.category:<15} weight {cue.weight:<4g} {implies:<18} {found_by}")



def register(main: click.Group) -> None:
    main.add_command(packs)
