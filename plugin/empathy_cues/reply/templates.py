"""Reply templates as data (``phrase_packs/templates/<language>.yaml``): loaded and validated once.

Every template string is compiled at load, so a typo in the file is found at start-up, with the file
and the template key in the message (``PackError(path, message, cue_id="parts.restate.default.minor[0]")``).
Two Jinja2 environments are built per template set: one for plain text / Markdown (no escaping; the
customer's words only ever arrive as variables, never as template source) and one with autoescaping
for the HTML note. Both use ``StrictUndefined`` so a missing variable fails the tests instead of
leaving a hole in a reply.

Parts are trees: a mapping of keys (situation, severity band, ask, serious kind) down to a *tone
leaf* (a list of variants, or a mapping of tone to lists). :meth:`TemplateSet.leaf` follows keys with
a ``default`` fallback at each level, so the file need not spell out every combination; validation
guarantees the fallbacks exist.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import jinja2
import yaml
from jinja2 import meta

from ..errors import PackError
from ..resources import data_path, load_yaml

TONES = ("casual", "neutral", "formal")
BANDS = ("minor", "significant", "serious")
ASKS_ANSWERED = ("callback", "refund", "escalate", "status", "fix", "explain", "change")
SERIOUS_KINDS = ("bereavement", "illness", "new_baby", "hardship", "safety", "legal", "assault",
                 "discrimination", "vulnerable")


@dataclass(frozen=True)
class PartSpec:
    """What a part may hold: its variables, the keys it must have at each level, and its depth."""

    variables: frozenset[str]
    required: tuple[tuple[str, ...], ...] = ()   # required keys per level below the part (before tones)
    depth: int = 0                               # levels of keys above the tone leaf


_PARTS: Mapping[str, PartSpec] = {
    "greeting": PartSpec(frozenset({"name"}), (("named", "unnamed"),), 1),
    "care": PartSpec(frozenset({"thing"}), (("default",) + SERIOUS_KINDS,), 1),
    "restate": PartSpec(frozenset({"thing"}), (("default",), BANDS), 2),
    "restate_after_care": PartSpec(frozenset({"thing"})),
    "short_action": PartSpec(frozenset(), (("default",),), 1),
    "ownership": PartSpec(frozenset()),
    "money_too": PartSpec(frozenset()),
    "act_short": PartSpec(frozenset(), (ASKS_ANSWERED,), 1),
    "restate_clause": PartSpec(frozenset({"clause"}), (BANDS,), 1),
    "restate_question": PartSpec(frozenset({"clause"})),
    "repeat_ack": PartSpec(frozenset()),
    "history_ack": PartSpec(frozenset()),
    "info_ack": PartSpec(frozenset()),
    "act": PartSpec(frozenset({"thing"}), (ASKS_ANSWERED, ("default",)), 2),
    "actions_sentence": PartSpec(frozenset({"actions"})),
    "options_sentence": PartSpec(frozenset({"options"})),
    "tip": PartSpec(frozenset(), (("how_to",),), 1),
    "contact": PartSpec(frozenset({"needs", "when"}),
                        (("short", "long", "callback", "callback_long", "given"),), 1),
    "next_step": PartSpec(frozenset({"when"}), (("short", "long", "status", "how_to"),), 1),
    "closing": PartSpec(frozenset()),
    "closing_serious": PartSpec(frozenset()),
}
# Variables whose value may be missing: a variant using one is only chosen when it is known.
OPTIONAL_VARIABLES = frozenset({"thing"})
_TARGET_VARS = frozenset({"minutes_text", "channel"})
_NOTE_VARS = frozenset({"flags", "cues", "target", "tone", "reply_paragraphs", "reasons_extra"})


@dataclass(frozen=True)
class Limit:
    max_chars: int
    max_sentences: int


class Variant:
    """One phrasing of a part: renders with the given variables; ``needs`` are the variables it uses."""

    __slots__ = ("template", "needs", "source", "key")

    def __init__(self, template: Any, needs: frozenset[str], source: str, key: str) -> None:
        self.template = template
        self.needs = needs
        self.source = source
        self.key = key

    def render(self, **variables: object) -> str:
        return self.template.render(**variables)

    def usable(self, known: frozenset[str]) -> bool:
        """False when it uses an optional variable that has no value for this message."""
        return not ((self.needs & OPTIONAL_VARIABLES) - known)


@dataclass(frozen=True)
class TemplateSet:
    language: str
    path: str
    limits: Mapping[str, Limit]
    short_channels: frozenset[str]
    targets: Mapping[str, Any]
    category_labels: Mapping[str, str]
    situation_labels: Mapping[str, str]
    never_echo: frozenset[str]
    staff_words: frozenset[str]
    not_the_problem: frozenset[str]
    contact_words: frozenset[str]
    blame_phrases: tuple[str, ...]
    how_to_phrases: tuple[str, ...]
    allowed_words: frozenset[str]
    object_heads: Mapping[str, frozenset[str]]
    contact_needs: Mapping[str, tuple[str, ...]]
    needs_by_object: Mapping[str, tuple[str, ...]]
    parts: Mapping[str, Any]            # nested dicts; leaves are tuples of Variants
    options: Mapping[str, tuple[tuple[Variant, ...], ...]]
    note_text: jinja2.Template
    note_html: jinja2.Template
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    # leaf() answers are the same for the same (part, keys, tone): memoised, the walk is on the hot path.
    _leaves: dict = field(repr=False, compare=False, default_factory=dict)

    def limit(self, channel: str) -> Limit:
        return self.limits.get(channel) or self.limits["default"]

    def leaf(self, part: str, *keys: str, tone: str = "neutral") -> tuple[Variant, ...]:
        """Variants of one part, following keys (each falling back to ``default``) and then the tone."""
        memo_key = (part, keys, tone)
        found = self._leaves.get(memo_key)
        if found is not None:
            return found
        node: Any = self.parts[part]
        for key in keys:
            if isinstance(node, Mapping) and not (set(node) <= set(TONES)):
                node = node[key] if key in node else node["default"]
        if isinstance(node, Mapping):
            node = node.get(tone) or node["neutral"]
        self._leaves[memo_key] = node
        return node

    def object_allowed(self, head: str, situation: str) -> bool:
        head = head.lower()
        return head in self.object_heads.get(situation, ())

    def needs_for(self, situation: str, thing: str | None = None, objects: tuple[str, ...] = ()) -> tuple[str, ...]:
        """What the private-contact line asks for: by the object said back ("your loan"), else by the
        situation, else by the first object named that says what finds it (a flight: its booking reference)."""
        if thing:
            found = self.needs_by_object.get(thing.split()[1].lower() if " " in thing else thing)
            if found:
                return found
        if situation in self.contact_needs:
            return self.contact_needs[situation]
        for obj in objects:
            found = self.needs_by_object.get(obj.split()[0].lower() if obj else "")
            if found:
                return found
        return self.contact_needs["default"]

    def all_templates(self):
        """Every compiled part template with its key (for tests that render them all)."""
        def walk(node, key):
            if isinstance(node, Mapping):
                for k, v in node.items():
                    yield from walk(v, f"{key}.{k}")
            else:
                for i, t in enumerate(node):
                    yield f"{key}[{i}]", t
        for name, node in self.parts.items():
            yield from walk(node, f"parts.{name}")
        for situation, sets in self.options.items():
            for i, variants in enumerate(sets):
                for j, t in enumerate(variants):
                    yield f"parts.options.{situation}[{i}][{j}]", t


class Static:
    """A template without variables or tags: rendered once at load, so composing skips Jinja for it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def render(self, **_: object) -> str:
        return self.text


class Substitution:
    """A template made only of text and plain ``{{ name }}`` fields, rendered without a Jinja context.

    Jinja2 still parses and validates it at load (syntax, unknown variables); rendering a parsed
    list of literal/field pieces costs ~1 µs against ~15 µs for a Jinja context, and most reply parts
    are of this kind. Missing variables raise ``jinja2.UndefinedError`` as ``StrictUndefined`` would;
    values are converted with ``str`` as Jinja does. Only used for plain-text parts (no escaping).
    A test renders every part both ways and compares.
    """

    __slots__ = ("pieces", "source")

    def __init__(self, pieces: tuple[tuple[bool, str], ...], source: str) -> None:
        self.pieces = pieces      # (is_field, text or variable name)
        self.source = source

    def render(self, **variables: object) -> str:
        out = []
        for is_field, value in self.pieces:
            if is_field:
                try:
                    out.append(str(variables[value]))
                except KeyError:
                    raise jinja2.UndefinedError(f"{value!r} is undefined") from None
            else:
                out.append(value)
        return "".join(out)


_FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def _substitution(source: str) -> Substitution | None:
    """The fast form of a template, when it is only text and ``{{ name }}`` fields."""
    pieces: list[tuple[bool, str]] = []
    pos = 0
    for m in _FIELD.finditer(source):
        if m.start() > pos:
            pieces.append((False, source[pos:m.start()]))
        pieces.append((True, m.group(1)))
        pos = m.end()
    if pos < len(source):
        pieces.append((False, source[pos:]))
    literal = "".join(text for is_field, text in pieces if not is_field)
    if "{" in literal or "}" in literal:
        return None  # tags, filters, comments: leave it to Jinja
    return Substitution(tuple(pieces), source)


def _environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    common = dict(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, auto_reload=False)
    return (jinja2.Environment(autoescape=False, **common),
            jinja2.Environment(autoescape=True, **common))


class _Loader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.text_env, self.html_env = _environments()
        self.blame: tuple[str, ...] = ()
        self.how_to: tuple[str, ...] = ()

    def fail(self, key: str, message: str):
        raise PackError(self.path, message, cue_id=key)

    def compile(self, source: Any, key: str, allowed: frozenset[str], *, html: bool = False):
        if not isinstance(source, str) or not source.strip():
            self.fail(key, f"a template must be a non-empty string, got {source!r}")
        env = self.html_env if html else self.text_env
        try:
            parsed = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            self.fail(key, f"template syntax error: {exc.message} (line {exc.lineno})")
        used = meta.find_undeclared_variables(parsed)
        unknown = used - allowed
        if unknown:
            self.fail(key, f"unknown variable(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(allowed)) or 'none'}")
        lowered = source.lower()
        for phrase in self.blame:
            if phrase in lowered:
                self.fail(key, f"template contains the blame phrase {phrase!r}")
        if "how_to" not in key:
            for phrase in self.how_to:
                if phrase in lowered:
                    self.fail(key, f"the how-to phrase {phrase!r} belongs only under a how_to key")
        # Compiling a Jinja template to Python costs ~1 ms; most parts are plain text or plain
        # {{ name }} fields, validated by the parse above and rendered without Jinja.
        template = None
        if not html:
            if "{" not in source and "#" not in source:
                template = Static(source[:-1] if source.endswith("\n") else source)
            else:
                template = _substitution(source)
        if template is None:
            template = env.from_string(source)
        return Variant(template, frozenset(used), source, key)

    def variants(self, node: Any, key: str, allowed: frozenset[str]) -> tuple[Variant, ...]:
        if not isinstance(node, list) or not node:
            self.fail(key, "must be a non-empty list of template strings")
        compiled = tuple(self.compile(s, f"{key}[{i}]", allowed) for i, s in enumerate(node))
        if all(v.needs & OPTIONAL_VARIABLES for v in compiled):
            self.fail(key, f"needs a variant without {', '.join(sorted(OPTIONAL_VARIABLES))} "
                           "(used when the customer named nothing we can say back)")
        return compiled

    def tone_leaf(self, node: Any, key: str, allowed: frozenset[str]):
        if isinstance(node, list):
            return self.variants(node, key, allowed)
        if not isinstance(node, dict):
            self.fail(key, "must be a list of variants or a mapping of tone (casual/neutral/formal) to variants")
        unknown = set(node) - set(TONES)
        if unknown:
            self.fail(key, f"unknown tone(s) {', '.join(sorted(map(str, unknown)))}; tones are {', '.join(TONES)}")
        if "neutral" not in node:
            self.fail(key, "a tone mapping needs a 'neutral' entry (the fallback)")
        return {tone: self.variants(v, f"{key}.{tone}", allowed) for tone, v in node.items()}

    def tree(self, node: Any, key: str, spec: PartSpec, level: int = 0):
        if level == spec.depth:
            return self.tone_leaf(node, key, spec.variables)
        if not isinstance(node, dict) or not node:
            self.fail(key, "must be a mapping")
        required = spec.required[level] if level < len(spec.required) else ()
        # Below the first level (e.g. a situation's bands), a key present under `default` is required
        # only there: other entries fall back to default's.
        if level == 0 or key.endswith(".default"):
            for r in required:
                if r not in node:
                    self.fail(key, f"missing required entry {r!r}")
        return {str(k): self.tree(v, f"{key}.{k}", spec, level + 1) for k, v in node.items()}


def _words(data: Mapping, name: str, loader: _Loader) -> list[str]:
    value = data.get(name)
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        loader.fail(name, "must be a list of non-empty strings (quote yes/no/on/off)")
    return [w.strip() for w in value]


def parse_templates(data: Any, path: str) -> TemplateSet:
    """Validate the parsed YAML of a template file and compile it. Errors name the file and key."""
    loader = _Loader(path)
    if not isinstance(data, dict):
        raise PackError(path, "a template file must be a YAML mapping")
    for key, kind in (("language", str), ("version", int), ("limits", dict), ("targets", dict),
                      ("parts", dict), ("note", dict), ("category_labels", dict), ("situation_labels", dict),
                      ("object_heads", dict), ("contact_needs", dict)):
        if not isinstance(data.get(key), kind):
            loader.fail(key, f"missing or not a {kind.__name__}")
    loader.blame = tuple(w.lower() for w in _words(data, "blame_phrases", loader))
    loader.how_to = tuple(w.lower() for w in _words(data, "how_to_phrases", loader))

    limits: dict[str, Limit] = {}
    for channel, spec in data["limits"].items():
        key = f"limits.{channel}"
        if not isinstance(spec, dict):
            loader.fail(key, "must be a mapping with max_chars and max_sentences")
        chars, sentences = spec.get("max_chars"), spec.get("max_sentences")
        if not isinstance(chars, int) or chars < 120:
            loader.fail(key, f"max_chars must be a whole number of at least 120, got {chars!r}")
        if not isinstance(sentences, int) or sentences < 2:
            loader.fail(key, f"max_sentences must be a whole number of at least 2, got {sentences!r}")
        limits[str(channel)] = Limit(chars, sentences)
    if "default" not in limits:
        loader.fail("limits", "needs a 'default' entry")

    targets = {str(ch): loader.compile(s, f"targets.{ch}", _TARGET_VARS) for ch, s in data["targets"].items()}
    if "default" not in targets:
        loader.fail("targets", "needs a 'default' entry")

    parts_data = data["parts"]
    wanted = set(_PARTS) | {"options"}
    missing = [p for p in _PARTS if p not in parts_data] + ([] if "options" in parts_data else ["options"])
    if missing:
        loader.fail("parts", f"missing part(s): {', '.join(missing)}")
    unknown = [p for p in parts_data if p not in wanted]
    if unknown:
        loader.fail("parts", f"unknown part(s): {', '.join(map(str, unknown))}")
    parts = {name: loader.tree(parts_data[name], f"parts.{name}", spec) for name, spec in _PARTS.items()}

    options: dict[str, tuple[tuple[Variant, ...], ...]] = {}
    if not isinstance(parts_data["options"], dict) or "default" not in parts_data["options"]:
        loader.fail("parts.options", "must map a situation to lists of option sets, with a 'default'")
    for situation, sets in parts_data["options"].items():
        key = f"parts.options.{situation}"
        if not isinstance(sets, list) or not sets:
            loader.fail(key, "must be a non-empty list of option sets")
        compiled = []
        for i, opts in enumerate(sets):
            if not isinstance(opts, list) or not 2 <= len(opts) <= 3:
                loader.fail(f"{key}[{i}]", "an option set holds two or three options")
            compiled.append(loader.variants(opts, f"{key}[{i}]", frozenset()))
        options[str(situation)] = tuple(compiled)

    heads = {str(k): frozenset(w.lower() for w in _words(data["object_heads"], k, loader))
             for k in data["object_heads"]}
    needs: dict[str, tuple[str, ...]] = {}
    for situation in data["contact_needs"]:
        needs[str(situation)] = tuple(_words(data["contact_needs"], situation, loader))
    if "default" not in needs:
        loader.fail("contact_needs", "needs a 'default' entry")
    by_object_data = data.get("contact_needs_by_object") or {}
    if not isinstance(by_object_data, dict):
        loader.fail("contact_needs_by_object", "must map an object to what finds it")
    by_object = {str(k): tuple(_words(by_object_data, k, loader)) for k in by_object_data}
    for situation, phrases in list(needs.items()) + [(f"by_object.{k}", v) for k, v in by_object.items()]:
        for phrase in phrases:
            if re.search(r"\b(?:full|whole|entire) (?:card )?number\b", phrase) and "never" not in phrase:
                loader.fail(f"contact_needs.{situation}", "never ask for a full card number")
            if "password" in phrase.lower() and not re.search(r"never|don't|do not", phrase):
                loader.fail(f"contact_needs.{situation}", "never ask for a password")

    note = data["note"]
    note_text = loader.compile(note.get("text"), "note.text", _NOTE_VARS).template
    note_html = loader.compile(note.get("html"), "note.html", _NOTE_VARS, html=True).template

    short = data.get("short_channels") or []
    if not isinstance(short, list):
        loader.fail("short_channels", "must be a list of channel names")
    return TemplateSet(
        language=data["language"], path=path, limits=limits, short_channels=frozenset(short),
        targets=targets, category_labels={str(k): str(v) for k, v in data["category_labels"].items()},
        situation_labels={str(k): str(v) for k, v in data["situation_labels"].items()},
        never_echo=frozenset(w.lower() for w in _words(data, "never_echo", loader)),
        staff_words=frozenset(w.lower() for w in _words(data, "staff_words", loader)),
        not_the_problem=frozenset(w.lower() for w in _words(data, "not_the_problem", loader)),
        contact_words=frozenset(w.lower() for w in _words(data, "contact_words", loader)),
        blame_phrases=loader.blame, how_to_phrases=loader.how_to,
        allowed_words=frozenset(_words(data, "allowed_words", loader)),
        object_heads=heads, contact_needs=needs, needs_by_object=by_object, parts=parts, options=options,
        note_text=note_text, note_html=note_html, raw=data,
    )


def load_template_file(path: str | Path) -> TemplateSet:
    path = str(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = load_yaml(fh)
    except OSError as exc:
        raise PackError(path, f"cannot read template file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise PackError(path, f"not valid YAML: {exc}") from exc
    return parse_templates(data, path)


def builtin_templates_path(language: str = "en") -> Path:
    return data_path("phrase_packs") / "templates" / f"{language}.yaml"


@lru_cache(maxsize=4)
def load_builtin_templates(language: str = "en") -> TemplateSet:
    """The shipped template set of a language, loaded once per process."""
    return load_template_file(builtin_templates_path(language))
