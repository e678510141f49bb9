"""Reading a reply template file: validated and compiled once, errors naming the file and the key.

Every template string is compiled at load, so a typo in the file is found at start-up, with the file
and the template key in the message (``PackError(path, message, cue_id="parts.restate.default.minor[0]")``).
Two Jinja2 environments are built per template set: one for plain text / Markdown (no escaping; the
customer's words only ever arrive as variables, never as template source) and one with autoescaping
for the HTML note. Both use ``StrictUndefined`` so a missing variable fails the tests instead of
leaving a hole in a reply.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import jinja2
from jinja2 import meta

from ..core.datafile import read_yaml, word_list
from ..errors import PackError
from ..resources import data_path
from .templates import (_NOTE_VARS, _PARTS, _TARGET_VARS, OPTIONAL_VARIABLES, SINGULAR_THING, THING_AS_SUBJECT,
                        TONES, Limit, PartSpec, TemplateSet, Variant)


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
    list of literal/field pieces costs a fraction of setting up a Jinja context, and most reply parts
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


def _plain_template(source: str):
    """A renderer that needs no Jinja for plain text or plain ``{{ name }}`` fields (validated by the
    parse already), or None: compiling every part to Jinja bytecode would slow start-up for nothing."""
    if "{" not in source and "#" not in source:
        return Static(source[:-1] if source.endswith("\n") else source)
    return _substitution(source)


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
        self._check_words(source, key)
        template = None if html else _plain_template(source)
        if template is None:
            template = env.from_string(source)
        if "thing" in used and THING_AS_SUBJECT.search(source):
            used = used | {SINGULAR_THING}
        return Variant(template, frozenset(used), source, key)

    def _check_words(self, source: str, key: str) -> None:
        lowered = source.lower()
        for phrase in self.blame:
            if phrase in lowered:
                self.fail(key, f"template contains the blame phrase {phrase!r}")
        if "how_to" not in key:
            for phrase in self.how_to:
                if phrase in lowered:
                    self.fail(key, f"the how-to phrase {phrase!r} belongs only under a how_to key")

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
    return [w.strip() for w in word_list(data.get(name), loader.path, name, cue_id=name)]


_SECTIONS = (("language", str), ("version", int), ("limits", dict), ("targets", dict), ("parts", dict),
             ("note", dict), ("category_labels", dict), ("situation_labels", dict), ("object_heads", dict),
             ("contact_needs", dict))


# Word lists matched in lower case: what a reply never echoes, who counts as staff, what is a feeling
# rather than the problem, and what talks about contacting us.
_WORD_SETS = ("never_echo", "staff_words", "not_the_problem", "contact_words", "heated_feelings", "trip_over",
              "trip_ongoing", "stay_ongoing", "stay_as_remedy", "bag_trouble", "identifiers", "cannot_find", "our_objects", "recurring_words", "why_words",
              "our_failing", "the_objects", "all_owed_kinds", "paid_without_card",
              "said_once", "long_wait_words", "calm_only", "heads_up_words", "habitual_words")


def parse_templates(data: Any, path: str) -> TemplateSet:
    """Validate the parsed YAML of a template file and compile it. Errors name the file and key."""
    loader = _Loader(path)
    if not isinstance(data, dict):
        raise PackError(path, "a template file must be a YAML mapping")
    for key, kind in _SECTIONS:
        if not isinstance(data.get(key), kind):
            loader.fail(key, f"missing or not a {kind.__name__}")
    loader.blame = tuple(w.lower() for w in _words(data, "blame_phrases", loader))
    loader.how_to = tuple(w.lower() for w in _words(data, "how_to_phrases", loader))
    targets = {str(ch): loader.compile(s, f"targets.{ch}", _TARGET_VARS) for ch, s in data["targets"].items()}
    if "default" not in targets:
        loader.fail("targets", "needs a 'default' entry")
    parts, options = _parts(data["parts"], loader)
    needs, by_object = _contact_needs(data, loader)
    note = data["note"]
    return TemplateSet(
        language=data["language"], path=path, limits=_limits(data["limits"], loader),
        short_channels=frozenset(_channel_names(data.get("short_channels"), loader)),
        targets=targets, category_labels={str(k): str(v) for k, v in data["category_labels"].items()},
        situation_labels={str(k): str(v) for k, v in data["situation_labels"].items()},
        **{name: frozenset(w.lower() for w in _words(data, name, loader)) for name in _WORD_SETS},
        blame_phrases=loader.blame, how_to_phrases=loader.how_to,
        allowed_words=frozenset(_words(data, "allowed_words", loader)),
        object_heads={str(k): frozenset(w.lower() for w in _words(data["object_heads"], k, loader))
                      for k in data["object_heads"]},
        said_as_written=_word_map(data, "said_as_written", loader, "must map an object to the words said for it"),
        only_if_told=_word_map(data, "only_if_told", loader, "must map a phrasing's words to the customer's words"),
        feelings=_feelings(data, loader), ask_deeds=_ask_deeds(data, loader),
        remedy_words=_remedy_words(data, loader),
        contact_needs=needs, needs_by_object=by_object, parts=parts, options=options,
        note_text=loader.compile(note.get("text"), "note.text", _NOTE_VARS).template,
        note_html=loader.compile(note.get("html"), "note.html", _NOTE_VARS, html=True).template,
        raw=data,
    )


def _feelings(data: Mapping, loader: _Loader) -> dict[str, frozenset[str]]:
    """``feelings``: a feeling's stem as the templates write it ("disappoint") and the customer's words
    for it ("gutted", "let down"). Optional."""
    spec = data.get("feelings", {})
    if not isinstance(spec, dict):
        loader.fail("feelings", "must map a feeling's stem to the customer's words for it")
    return {str(stem).lower(): frozenset(w.lower() for w in _words(spec, stem, loader)) for stem in spec}


def _ask_deeds(data: Mapping, loader: _Loader) -> dict[str, frozenset[str]]:
    """``ask_deeds``: per ask, the words of an option that would do it again ("refund", "money back").
    Optional."""
    return _word_map(data, "ask_deeds", loader, "must map an ask to the words that do it")


def _remedy_words(data: Mapping, loader: _Loader) -> dict[str, frozenset[str]]:
    """``remedy_words``: per remedy a customer may turn down ("not a refund"), the words of an option that
    offers it. Optional."""
    return _word_map(data, "remedy_words", loader, "must map a remedy to the words of options that offer it")


def _word_map(data: Mapping, name: str, loader: _Loader, expected: str) -> dict[str, frozenset[str]]:
    spec = data.get(name, {})
    if not isinstance(spec, dict):
        loader.fail(name, expected)
    return {str(key).lower(): frozenset(w.lower() for w in _words(spec, key, loader)) for key in spec}


def _channel_names(value: Any, loader: _Loader) -> list:
    if value is not None and not isinstance(value, list):
        loader.fail("short_channels", "must be a list of channel names")
    return value or []


def _limits(specs: Mapping, loader: _Loader) -> dict[str, Limit]:
    limits: dict[str, Limit] = {}
    for channel, spec in specs.items():
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
    return limits


def _parts(parts_data: Mapping, loader: _Loader):
    """The reply parts (trees of variants) and the option sets per situation."""
    wanted = set(_PARTS) | {"options"}
    missing = [p for p in _PARTS if p not in parts_data] + ([] if "options" in parts_data else ["options"])
    if missing:
        loader.fail("parts", f"missing part(s): {', '.join(missing)}")
    unknown = [p for p in parts_data if p not in wanted]
    if unknown:
        loader.fail("parts", f"unknown part(s): {', '.join(map(str, unknown))}")
    parts = {name: loader.tree(parts_data[name], f"parts.{name}", spec) for name, spec in _PARTS.items()}
    return parts, _option_sets(parts_data["options"], loader)


def _option_sets(specs: Any, loader: _Loader) -> dict[str, tuple[tuple[Variant, ...], ...]]:
    """Per situation, the sets of two or three options a reply may offer."""
    if not isinstance(specs, dict) or "default" not in specs:
        loader.fail("parts.options", "must map a situation to lists of option sets, with a 'default'")
    options: dict[str, tuple[tuple[Variant, ...], ...]] = {}
    for situation, sets in specs.items():
        key = f"parts.options.{situation}"
        if not isinstance(sets, list) or not sets:
            loader.fail(key, "must be a non-empty list of option sets")
        compiled = []
        for i, opts in enumerate(sets):
            if not isinstance(opts, list) or not 2 <= len(opts) <= 3:
                loader.fail(f"{key}[{i}]", "an option set holds two or three options")
            compiled.append(loader.variants(opts, f"{key}[{i}]", frozenset()))
        options[str(situation)] = tuple(compiled)
    return options


def _contact_needs(data: Mapping, loader: _Loader):
    """What the private-contact line asks for, per situation and per object named; never a full card
    number or a password."""
    needs = {str(situation): tuple(_words(data["contact_needs"], situation, loader))
             for situation in data["contact_needs"]}
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
    return needs, by_object


def load_template_file(path: str | Path) -> TemplateSet:
    return parse_templates(read_yaml(path), str(path))


def builtin_templates_path(language: str = "en") -> Path:
    return data_path("phrase_packs") / "templates" / f"{language}.yaml"


@lru_cache(maxsize=4)
def load_builtin_templates(language: str = "en") -> TemplateSet:
    """The shipped template set of a language, loaded once per process."""
    return load_template_file(builtin_templates_path(language))
