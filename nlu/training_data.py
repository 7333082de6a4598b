"""Rasa 3 NLU YAML: ``- intent: NAME`` blocks whose ``examples`` are ``- text`` lines.

Entities are annotated inline, as Rasa does: ``[Has]{"entity": "municipality", "value": "has"}``
or the short form ``[Has](municipality)`` (the value is then the text itself).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\{(?P<json>[^}]*)\}|\((?P<name>[^)]+)\))")


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Entity, ...] = field(default_factory=tuple)


def parse_example(line: str, intent: str) -> Example:
    """The plain text of an annotated line, with its entities' spans in that plain text."""
    parts: list[str] = []
    entities: list[Entity] = []
    position = 0
    length = 0
    for match in _ANNOTATION.finditer(line):
        before = line[position : match.start()]
        parts.append(before)
        length += len(before)
        surface = match.group("text")
        if match.group("json") is not None:
            spec = json.loads("{" + match.group("json") + "}")
            name, value = spec["entity"], str(spec.get("value", surface))
        else:
            name, value = match.group("name"), surface
        entities.append(Entity(name, value, length, length + len(surface)))
        parts.append(surface)
        length += len(surface)
        position = match.end()
    parts.append(line[position:])
    return Example("".join(parts), intent, tuple(entities))


def load_examples(path: Path) -> list[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: list[Example] = []
    for block in data.get("nlu", []):
        intent = block.get("intent")
        if not intent:
            continue  # synonyms, lookups, regexes: not used by the embedded classifier
        for raw in str(block.get("examples", "")).splitlines():
            line = raw.strip()
            if line.startswith("- "):
                examples.append(parse_example(line[2:].strip(), intent))
    return examples
