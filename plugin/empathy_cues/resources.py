"""Where the shipped data files (phrase packs, templates, manifests) are found.

In a built wheel they sit inside the package under ``_data/`` (see ``pyproject.toml``:
hatch force-include). In a source checkout or an editable install they are read from the
top-level folders of the repository, so a developer edits one copy only.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def data_path(kind: str) -> Path:
    """Folder of one kind of shipped data: ``"phrase_packs"`` or ``"manifests"``."""
    installed = _PACKAGE_DIR / "_data" / kind
    if installed.is_dir():
        return installed
    source = _REPO_ROOT / kind
    if source.is_dir():
        return source
    raise FileNotFoundError(f"empathy-cues data folder {kind!r} is missing from this installation")


def load_yaml(text):
    """``yaml.safe_load`` through libyaml's C parser when PyYAML was built with it (its wheels are), else
    the pure-Python one: the same documents and errors, and parsing the packs is most of a worker's
    start-up and of every ``scan``, where the C parser is many times quicker. A key given twice in one
    mapping is an error: YAML would keep the last silently, and a cue missing its ``- id:`` line would
    quietly take over the fields of the next one."""
    import yaml

    return yaml.load(text, Loader=_strict_loader())


@lru_cache(maxsize=1)
def _strict_loader():
    import yaml

    class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if isinstance(key, (str, int, float, bool)) and key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark)
                seen.add(key if isinstance(key, (str, int, float, bool)) else id(key_node))
            return super().construct_mapping(node, deep=deep)

    return StrictLoader


@lru_cache(maxsize=1)
def english_word_counts() -> tuple[dict[str, int], str]:
    """English words with their frequencies, and the file they came from: symspellpy's frequency list
    (82,765 words from Google Books n-grams checked against SCOWL; common misspellings are not in it).
    Read once per process (about 0.05 s)."""
    from importlib import resources

    path = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    words: dict[str, int] = {}
    with resources.as_file(path) as file:
        with open(file, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) == 2:
                    words[parts[0]] = int(parts[1])
        if not words:
            raise RuntimeError(f"symspellpy's dictionary is missing or empty: {file}")
        return words, str(file)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The words of :func:`english_word_counts`."""
    return frozenset(english_word_counts()[0])
