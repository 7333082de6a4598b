"""Reading one content file: its YAML as a mapping, or one line saying what is wrong with it.

A file that is not UTF-8, YAML that does not parse, an impossible date (``2027-02-31``) or a
list where a mapping belongs is a problem of that file, like any other: reported with its name,
never a traceback.
"""

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError


class _Loader(yaml.SafeLoader):
    """The safe loader, whose impossible dates say where they are."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise ConstructorError(None, None, f"impossible date {node.value} ({error})",
                                   node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class FileProblem(Exception):
    """What is wrong with a content file, in one line without its name."""


def read_mapping(path: Path) -> dict[str, Any]:
    """The file's top-level mapping; :class:`FileProblem` when there is none to be had."""
    try:
        raw = yaml.load(path.read_bytes().decode("utf-8"), Loader=_Loader)  # a safe loader
    except UnicodeDecodeError as error:
        raise FileProblem(f"not UTF-8 (byte {error.object[error.start]:#04x} at offset "
                          f"{error.start}): save it as UTF-8") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise FileProblem(f"{where}{error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise FileProblem(" ".join(str(error).split())) from None
    if not isinstance(raw, dict):
        found = "nothing" if raw is None else f"a {type(raw).__name__}"
        raise FileProblem(f"expected a mapping at the top (pages: or keywords:), found {found}")
    return raw
