"""``empathy-cues scan``: read a message (or a JSON Lines file of them) and show what the plugin sees."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click

from ..analyzer import analyze
from ..policy_file import PluginConfig
from ..core.decision import Analysis, Policy
from ..durations import minutes_text
from ..errors import InputError
from ..core.event import Channel
from ..core.packs import Pack, load_pack_file

CHANNELS = [c.value for c in Channel]
CATEGORY_COLOURS = {
    "struggle": "yellow", "confusion": "cyan", "frustration": "red", "problem": "yellow",
    "repeat_contact": "magenta", "urgency": "red", "churn_risk": "red", "life_event": "blue",
    "intensity": "red", "positive_tone": "green",
}


@click.command()
@click.argument("text", required=False)
@click.option("--subject", default="", help="Ticket subject, read together with the text.")
@click.option("--channel", type=click.Choice(CHANNELS), default="email", show_default=True,
              help="Where the message came from: sets the response target.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the readable view.")
@click.option("--jsonl", "jsonl", type=click.Path(dir_okay=False, allow_dash=True),
              help='Read lines {"id", "text", "subject"?, "channel"?} from FILE (- for stdin); write one JSON line each.')
@click.option("--note", is_flag=True, help="Also show the private note that would be posted on the ticket.")
@click.option("--pack", "pack_path", type=click.Path(dir_okay=False),
              help="Use this phrase pack file instead of the built-in English pack.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="EMPATHY_CONFIG",
              help="Settings file with tag names and response targets (default: $EMPATHY_CONFIG, else built-in).")
def scan(text: str | None, subject: str, channel: str, as_json: bool, jsonl: str | None, note: bool,
         pack_path: str | None, config_path: str | None) -> None:
    """Analyse TEXT (or - for stdin) and show the cues, the decision and the reasons.

    \b
    Examples:
      empathy-cues scan "Love the app! I tried to export my data but can't seem to find where"
      echo "Still broken, third time asking" | empathy-cues scan - --channel social --json
      empathy-cues scan --jsonl messages.jsonl > results.jsonl
    """
    pack = load_pack_file(pack_path) if pack_path else None
    policy = PluginConfig.load(config_path).policy
    if jsonl is not None:
        if text is not None:
            raise InputError("give either TEXT or --jsonl FILE, not both")
        if as_json:
            raise InputError("--json does nothing with --jsonl: its output is JSON lines already")
        # --channel and --subject are the defaults for lines without their own; --note adds each note.
        ctx = click.get_current_context()
        given = ctx.get_parameter_source("channel") is not click.core.ParameterSource.DEFAULT
        _scan_jsonl(jsonl, pack, policy, channel=channel if given else None, subject=subject, note=note)
        return
    if text is None:
        raise InputError('nothing to scan: give TEXT, - for stdin, or --jsonl FILE (see "empathy-cues scan --help")')
    if text == "-":
        text = sys.stdin.read()
    analysis = analyze(text, subject=subject, channel=channel, pack=pack, policy=policy)
    rendered_note = _compose(analysis) if note else None
    if as_json:
        data = analysis.to_dict()
        if note:
            data["note"] = rendered_note
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(render(analysis))
        if note and rendered_note is None:
            click.echo("\n" + click.style("No note would be posted:", bold=True)
                       + " neither an apology nor a priority follow-up is owed.")
        elif rendered_note is not None:
            click.echo("\n" + click.style("Private note that would be posted:", bold=True))
            click.echo(rendered_note)


def _compose(analysis: Analysis) -> str | None:
    """The note the worker would post, or None when it posts none (plan.build_plan: nothing owed)."""
    if not (analysis.apology or analysis.priority):
        return None
    from ..reply import compose_note  # the composer is only needed when a note is asked for

    return compose_note(analysis, ticket_id="scan").text


def render(analysis: Analysis) -> str:
    """The readable view: decision, tags, the text with its cues highlighted, cues and reasons."""
    yes = click.style("yes", fg="red", bold=True)
    no = click.style("no", fg="green")
    target = minutes_text(analysis.respond_within_minutes)
    lines = [
        f"Apology owed: {yes if analysis.apology else no}    "
        f"Priority follow-up: {yes if analysis.priority else no}    "
        f"First reply within: {target} ({analysis.channel})",
        "Tags: " + (" ".join(analysis.tags) if analysis.tags else "(none)"),
        "",
        "Text: " + highlight(analysis),
    ]
    if analysis.cues:
        lines += ["", "Cues:"]
        for c in analysis.cues:
            where = f"[{c.start}:{c.end}]" + (" in subject" if c.source == "subject" else "")
            colour = CATEGORY_COLOURS.get(c.category)
            lines.append(f"  {click.style(c.category, fg=colour):<24} \"{c.matched}\"  {c.cue_id}"
                         f"  score {c.score:.0f}  weight {c.weight:g}  {where}")
    lines += ["", "Understanding:"] + understanding_lines(analysis)
    lines += ["", "Reasons:"] + [f"  - {r}" for r in analysis.reasons]
    return "\n".join(lines)


def understanding_lines(analysis: Analysis) -> list[str]:
    """Situation, severity and asks, each with the customer's words that show it."""
    u = analysis.understanding
    if not u.language_covered:
        named = "not recognised" if u.language == "und" else u.language
        return [f"  language: {named} (not covered: no phrase pack reads it)"]

    def words(evidence) -> str:
        quoted = list(dict.fromkeys(f'"{e.words}"' for e in evidence))
        return ("  " + ", ".join(quoted[:4])) if quoted else ""

    kind = f" ({u.serious_kind.replace('_', ' ')})" if u.serious_kind else ""
    lines = [f"  situation: {u.situation}{words(u.situation_evidence)}",
             f"  severity:  {u.severity}{kind}{words(u.severity_evidence)}"]
    if u.asks:
        lines += [f"  asks:      {ask}{words(u.evidence_for(ask))}" for ask in u.asks]
    else:
        lines.append("  asks:      (none)")
    if u.objects:
        lines.append("  names:     " + ", ".join(u.objects))
    if u.settled:
        lines.append(f"  settled:   yes{words(u.settled)}")
    if u.own_doing:
        lines.append(f"  own doing: yes{words(u.own_doing)}")
    return lines


def highlight(analysis: Analysis) -> str:
    """The cleaned text with each body cue bracketed (and coloured on a terminal)."""
    text = analysis.text
    out: list[str] = []
    position = 0
    for c in sorted((c for c in analysis.cues if c.source == "body"), key=lambda c: c.start):
        if c.start < position:
            continue  # overlapping cues: the first one is highlighted
        out.append(text[position:c.start])
        out.append(click.style(f"[{text[c.start:c.end]}]", fg=CATEGORY_COLOURS.get(c.category), bold=True))
        position = c.end
    out.append(text[position:])
    return "".join(out)


def _scan_jsonl(source: str, pack: Pack | None, policy: Policy, *, channel: str | None = None, subject: str = "",
                note: bool = False) -> None:
    """Validate every line first, then write: a bad line means nothing is written (exit 2)."""
    items = [_jsonl_item(source, number, line, channel=channel, subject=subject)
             for number, line in enumerate(_read_source(source).splitlines(), start=1) if line.strip()]
    out = io.StringIO()
    stderr_is_tty = sys.stderr.isatty()
    with click.progressbar(items, label="scanning", file=sys.stderr if stderr_is_tty else io.StringIO(),
                           show_pos=True) as bar:
        for item in bar:
            a = analyze(item["text"], subject=item["subject"], channel=item["channel"], pack=pack, policy=policy)
            line = {
                "id": item.get("id"),
                "apology": a.apology,
                "priority": a.priority,
                "tags": list(a.tags),
                "cues": [c.to_dict() for c in a.cues],
                "respond_within_minutes": a.respond_within_minutes,
                "situation": a.situation,
                "severity": a.severity,
                "asks": list(a.asks),
                "language_covered": a.understanding.language_covered,
            }
            if note:
                line["note"] = _compose(a)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    click.echo(out.getvalue(), nl=False)


def _read_source(source: str) -> str:
    try:
        if source == "-":
            return sys.stdin.read()
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text") from None


def _jsonl_item(source: str, number: int, line: str, *, channel: str | None, subject: str) -> dict:
    """One input line as {"text", "subject", "channel", ...}, or an InputError naming the line."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: line {number} is not valid JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise InputError(f"{source}: line {number} must be a JSON object")
    if not isinstance(item.get("text"), str):
        raise InputError(f"{source}: line {number} has no \"text\" string")
    line_channel = item.get("channel", channel or "email")
    if line_channel not in CHANNELS:
        raise InputError(f"{source}: line {number} has unknown channel {line_channel!r} (one of {', '.join(CHANNELS)})")
    line_subject = item.get("subject", subject)
    if not isinstance(line_subject, str):
        raise InputError(f"{source}: line {number} has a \"subject\" that is not a string")
    return {**item, "channel": line_channel, "subject": line_subject}


def register(main: click.Group) -> None:
    main.add_command(scan)
