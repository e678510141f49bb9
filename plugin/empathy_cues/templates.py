"""Reply templates as data (``phrase_packs/templates/<language>.yaml``): loaded and validated once.

Every template string is compiled at load, so a typo in the file is found at start-up, with the file
and the template key in the message (``PackError(path, message, cue_id="parts.feeling.confusion")``).
Two Jinja2 environments are built per template set: one for plain text / Markdown (no escaping; the
customer's words only ever arrive as variables, never as template source) and one with autoescaping
for the HTML note. Both use ``StrictUndefined`` so a missing variable fails the tests instead of
leaving a hole in a reply.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import re

import jinja2
import yaml
from jinja2 import meta

from .errors import PackError
from .resources import data_path, load_yaml

TONES = ("casual", "neutral", "formal")

# Parts the composer needs, and the variables each may use. Anything else in a template is an error.
_PART_VARS: Mapping[str, frozenset[str]] = {
    "greeting": frozenset({"name"}),
    "reflect": frozenset({"paraphrase", "feeling"}),
    "feeling": frozenset(),
    "life_lead": frozenset(),
    "life_effort": frozenset(),
    "reflect_fallback": frozenset({"feeling"}),
    "life_reflect": frozenset({"paraphrase"}),
    "apology": frozenset(),
    "apology_life": frozenset(),
    "repeat_ack": frozenset(),
    "ownership": frozenset(),
    "short_ownership": frozenset(),
    "options_intro": frozenset({"options"}),
    "options": frozenset(),
    "ahead": frozenset(),
    "next_step": frozenset({"when"}),
    "private_channel": frozenset({"when"}),
    "closing": frozenset(),
    "closing_life": frozenset(),
}
_TARGET_VARS = frozenset({"minutes_text", "channel"})
_NOTE_VARS = frozenset({"flags", "cues", "target", "tone", "reply_paragraphs", "reasons_extra"})
_LIFE_KINDS = ("bereavement", "new_baby", "illness", "job_loss", "hardship", "general")


@dataclass(frozen=True)
class Limit:
    max_chars: int
    max_sentences: int


@dataclass(frozen=True)
class TemplateSet:
    language: str
    path: str
    limits: Mapping[str, Limit]
    short_channels: frozenset[str]
    targets: Mapping[str, jinja2.Template]
    category_labels: Mapping[str, str]
    never_echo: frozenset[str]
    blame_phrases: tuple[str, ...]
    private_channel_words: frozenset[str]
    contact_words: frozenset[str]
    life_kinds: tuple[tuple[str, tuple[str, ...]], ...]   # (kind, words), in file order: first match wins
    life_kind_by_cue: Mapping[str, str]
    parts: Mapping[str, Any]            # nested dicts; leaves are tuples of compiled templates
    options: Mapping[str, tuple[tuple[jinja2.Template, ...], ...]]
    note_text: jinja2.Template
    note_html: jinja2.Template
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    # leaf() answers are the same for the same (part, keys, tone): memoised, the walk is on the hot path.
    _leaves: dict = field(repr=False, compare=False, default_factory=dict)

    @property
    def life_words(self) -> frozenset[str]:
        """Single words that show a life event (never said back: the lead acknowledges them)."""
        return frozenset(w for _, words in self.life_kinds for w in words if " " not in w) | {
            "baby", "mother", "father", "husband", "wife", "mum", "mom", "dad", "son", "daughter"}

    def limit(self, channel: str) -> Limit:
        return self.limits.get(channel) or self.limits["default"]

    def leaf(self, part: str, *keys: str, tone: str = "neutral") -> tuple[jinja2.Template, ...]:
        """Variants of one part, following keys (e.g. a category) and then the tone.

        A missing key falls back to the part's ``default`` entry, a missing tone to ``neutral``:
        the file need not spell out every combination, and validation guarantees a fallback exists.
        """
        memo_key = (part, keys, tone)
        found = self._leaves.get(memo_key)
        if found is not None:
            return found
        node: Any = self.parts[part]
        for key in keys:
            if isinstance(node, Mapping) and key not in TONES:
                node = node.get(key, node.get("default", node))
        if isinstance(node, Mapping):
            node = node.get(tone) or node["neutral"]
        self._leaves[memo_key] = node
        return node

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


class Static:
    """A template without variables or tags: rendered once at load, so composing skips Jinja for it.

    Most reply parts are fixed sentences; building a Jinja context for each costs ~10 µs a part.
    """

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

    def fail(self, key: str, message: str):
        raise PackError(self.path, message, cue_id=key)

    def compile(self, source: Any, key: str, allowed: frozenset[str], *, html: bool = False) -> jinja2.Template:
        if not isinstance(source, str) or not source.strip():
            self.fail(key, f"a template must be a non-empty string, got {source!r}")
        env = self.html_env if html else self.text_env
        try:
            parsed = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            self.fail(key, f"template syntax error: {exc.message} (line {exc.lineno})")
        unknown = meta.find_undeclared_variables(parsed) - allowed
        if unknown:
            self.fail(key, f"unknown variable(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(allowed)) or 'none'}")
        lowered = source.lower()
        for phrase in self.blame:
            if phrase in lowered:
                self.fail(key, f"template contains the blame phrase {phrase!r}")
        template = env.from_string(source)
        if not html:
            if "{" not in source:
                return Static(template.render())  # type: ignore[return-value]
            fast = _substitution(source)
            if fast is not None:
                return fast  # type: ignore[return-value]
        return template

    def variants(self, node: Any, key: str, allowed: frozenset[str]) -> tuple[jinja2.Template, ...]:
        if not isinstance(node, list) or not node:
            self.fail(key, "must be a non-empty list of template strings")
        return tuple(self.compile(s, f"{key}[{i}]", allowed) for i, s in enumerate(node))

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

    def keyed(self, node: Any, key: str, allowed: frozenset[str], *, required: tuple[str, ...] = ()):
        """A mapping of some key (category, life kind, channel group) to tone leaves."""
        if not isinstance(node, dict) or not node:
            self.fail(key, "must be a mapping")
        for r in required:
            if r not in node:
                self.fail(key, f"missing required entry {r!r}")
        return {str(k): self.tone_leaf(v, f"{key}.{k}", allowed) for k, v in node.items()}


def _words(data: Mapping, name: str, loader: _Loader) -> list[str]:
    value = data.get(name)
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        loader.fail(name, "must be a list of non-empty strings (quote yes/no/on/off)")
    return [w.strip().lower() for w in value]


def parse_templates(data: Any, path: str) -> TemplateSet:
    """Validate the parsed YAML of a template file and compile it. Errors name the file and key."""
    loader = _Loader(path)
    if not isinstance(data, dict):
        raise PackError(path, "a template file must be a YAML mapping")
    for key, kind in (("language", str), ("version", int), ("limits", dict), ("targets", dict),
                      ("parts", dict), ("note", dict), ("category_labels", dict)):
        if not isinstance(data.get(key), kind):
            loader.fail(key, f"missing or not a {kind.__name__}")
    loader.blame = tuple(_words(data, "blame_phrases", loader))

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
    missing = [p for p in _PART_VARS if p not in parts_data]
    if missing:
        loader.fail("parts", f"missing part(s): {', '.join(missing)}")
    unknown = [p for p in parts_data if p not in _PART_VARS]
    if unknown:
        loader.fail("parts", f"unknown part(s): {', '.join(map(str, unknown))}")

    parts: dict[str, Any] = {}
    for name, node in parts_data.items():
        key, allowed = f"parts.{name}", _PART_VARS[name]
        if name == "greeting":
            parts[name] = loader.keyed(node, key, allowed, required=("named", "unnamed"))
        elif name in ("feeling", "ahead"):
            parts[name] = loader.keyed(node, key, allowed, required=("frustration",))
        elif name == "life_lead":
            parts[name] = loader.keyed(node, key, allowed, required=_LIFE_KINDS)
        elif name == "next_step":
            parts[name] = loader.keyed(node, key, allowed, required=("short", "long"))
        elif name == "options":
            continue
        else:
            parts[name] = loader.tone_leaf(node, key, allowed)
    # Fallbacks used by TemplateSet.leaf when a category has no entry of its own.
    for name in ("feeling", "ahead"):
        parts[name].setdefault("default", parts[name]["frustration"])

    options: dict[str, tuple[tuple[jinja2.Template, ...], ...]] = {}
    if not isinstance(parts_data["options"], dict):
        loader.fail("parts.options", "must map a category to lists of option sets")
    for category, sets in parts_data["options"].items():
        key = f"parts.options.{category}"
        if not isinstance(sets, list) or not sets:
            loader.fail(key, "must be a non-empty list of option sets")
        compiled = []
        for i, opts in enumerate(sets):
            if not isinstance(opts, list) or not 2 <= len(opts) <= 3:
                loader.fail(f"{key}[{i}]", "an option set holds two or three options")
            compiled.append(loader.variants(opts, f"{key}[{i}]", _PART_VARS["options"]))
        options[str(category)] = tuple(compiled)

    life_kinds_data = data.get("life_kinds")
    if not isinstance(life_kinds_data, dict):
        loader.fail("life_kinds", "must map a life-event kind to the words that show it")
    life_kinds = []
    for kind, words in life_kinds_data.items():
        if kind not in _LIFE_KINDS:
            loader.fail(f"life_kinds.{kind}", f"unknown kind; kinds are {', '.join(_LIFE_KINDS)}")
        life_kinds.append((kind, tuple(_words(life_kinds_data, kind, loader))))
    by_cue = data.get("life_kind_by_cue") or {}
    for cue_id, kind in by_cue.items():
        if kind not in _LIFE_KINDS:
            loader.fail(f"life_kind_by_cue.{cue_id}", f"unknown kind {kind!r}")

    note = data["note"]
    note_text = loader.compile(note.get("text"), "note.text", _NOTE_VARS)
    note_html = loader.compile(note.get("html"), "note.html", _NOTE_VARS, html=True)

    short = data.get("short_channels") or []
    if not isinstance(short, list):
        loader.fail("short_channels", "must be a list of channel names")
    return TemplateSet(
        language=data["language"], path=path, limits=limits, short_channels=frozenset(short),
        targets=targets, category_labels={str(k): str(v) for k, v in data["category_labels"].items()},
        never_echo=frozenset(_words(data, "never_echo", loader)), blame_phrases=loader.blame,
        private_channel_words=frozenset(_words(data, "private_channel_words", loader)),
        contact_words=frozenset(_words(data, "contact_words", loader)),
        life_kinds=tuple(life_kinds), life_kind_by_cue=dict(by_cue), parts=parts, options=options,
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
