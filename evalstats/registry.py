"""Definitions as data: a registry of pydantic models from built-in files, user files and plugins.

Instruments, GAS scales and classification rules are all found the same way:

1. built-in definition files shipped inside a package folder (TOML or JSON);
2. definition files a user loads explicitly (:meth:`Registry.load`);
3. third-party packages that register definitions under an entry-point group. An entry point may
   point at a model instance, a dict, a path to a TOML/JSON file, a list of those, or a callable
   returning any of those.

Two definitions with the same id from different sources raise :class:`RegistryError` naming both.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from evalstats.errors import RegistryError

M = TypeVar("M", bound=BaseModel)


def read_definition_file(path: str | Path) -> Any:
    """Read a TOML or JSON definition file into plain Python data.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.toml"
    >>> _ = p.write_text('id = "demo"')
    >>> read_definition_file(p)
    {'id': 'demo'}
    """
    path = Path(path)
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8")
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON: {exc}") from exc
    raise ValueError(f"{path}: definition files must end in .toml or .json, got {suffix!r}")


class Registry(Generic[M]):
    """A registry of definitions of one model type.

    Parameters
    ----------
    model:
        The pydantic model class of the definitions.
    kind:
        A human name used in messages ("instrument", "GAS scale").
    builtin_dir:
        Folder with built-in ``*.toml``/``*.json`` files, read lazily.
    entry_point_group:
        Entry-point group through which plugins register definitions.

    Examples
    --------
    >>> from pydantic import BaseModel
    >>> class Thing(BaseModel):
    ...     id: str
    ...     size: int
    >>> reg = Registry(Thing, "thing", entry_point_group="zorgeval.example_things")
    >>> reg.register(Thing(id="a", size=1), source="doctest")
    >>> reg.get("a").size
    1
    >>> reg.ids()
    ['a']
    """

    def __init__(
        self,
        model: type[M],
        kind: str,
        builtin_dir: Path | None = None,
        entry_point_group: str | None = None,
    ):
        self.model = model
        self.kind = kind
        self.builtin_dir = builtin_dir
        self.entry_point_group = entry_point_group
        self._items: dict[str, M] = {}
        self._sources: dict[str, str] = {}
        self._discovered = False
        self._discovering = False

    # -- loading -----------------------------------------------------------------------------
    def parse(self, data: Any, source: str) -> M:
        """Validate plain data (or a model instance) as a definition; errors name the source."""
        if isinstance(data, self.model):
            return data
        if isinstance(data, BaseModel):
            data = data.model_dump()
        try:
            return self.model.model_validate(data)
        except ValidationError as exc:
            raise ValueError(f"invalid {self.kind} definition in {source}:\n{exc}") from exc

    def load_file(self, path: str | Path) -> M:
        """Read and validate one definition file without registering it."""
        path = Path(path)
        return self.parse(read_definition_file(path), source=str(path))

    def load(self, path: str | Path, register: bool = True) -> M:
        """Read, validate and (by default) register a definition file."""
        obj = self.load_file(path)
        if register:
            self.register(obj, source=str(Path(path)))
        return obj

    def register(self, obj: M, source: str, replace: bool = False) -> None:
        """Register a definition; the same id from another source is an error."""
        self._discover()
        self._add(obj, source, replace)

    def _add(self, obj: M, source: str, replace: bool = False) -> None:
        key = obj.id  # type: ignore[attr-defined]
        if key in self._items and not replace:
            if self._sources[key] == source and self._items[key] == obj:
                return
            raise RegistryError(
                f"{self.kind} id {key!r} is defined twice: in {self._sources[key]} and in {source}"
            )
        self._items[key] = obj
        self._sources[key] = source

    def _discover(self) -> None:
        if self._discovered:
            return
        if self._discovering:
            raise RegistryError(
                f"the {self.kind} registry was used while it was still reading its built-in "
                "definitions and plugins (a plugin's entry point looks definitions up on load)"
            )
        # Discovery fills the registry only when every source loads: after an error (a duplicate
        # id, an invalid plugin file) each later lookup raises the same error again instead of
        # answering from a partial registry.
        self._discovering = True
        try:
            found = self._builtins_and_plugins()
        finally:
            self._discovering = False
        items, sources = dict(self._items), dict(self._sources)
        try:
            for obj, source in found:
                self._add(obj, source)
        except RegistryError:
            self._items, self._sources = items, sources
            raise
        self._discovered = True

    def _builtins_and_plugins(self) -> list[tuple[M, str]]:
        found: list[tuple[M, str]] = []
        if self.builtin_dir is not None and self.builtin_dir.is_dir():
            for path in sorted(self.builtin_dir.iterdir()):
                if path.suffix.lower() in (".toml", ".json"):
                    found.append((self.load_file(path), f"built-in {path.name}"))
        if self.entry_point_group:
            for ep in metadata.entry_points(group=self.entry_point_group):
                source = f"entry point {ep.name!r} ({ep.value}) of {self._dist_name(ep)}"
                found += [(obj, source) for obj in self._from_plugin(ep.load(), source)]
        return found

    @staticmethod
    def _dist_name(ep: metadata.EntryPoint) -> str:
        dist = getattr(ep, "dist", None)
        return f"package {dist.name!r}" if dist is not None else "an installed package"

    def _from_plugin(self, value: Any, source: str) -> Iterable[M]:
        if isinstance(value, Callable) and not isinstance(value, type):  # type: ignore[arg-type]
            value = value()
        if isinstance(value, str | Path) and Path(value).suffix.lower() in (".toml", ".json"):
            return [self.load_file(value)]
        if isinstance(value, list | tuple):
            out: list[M] = []
            for v in value:
                out.extend(self._from_plugin(v, source))
            return out
        return [self.parse(value, source)]

    # -- lookup ------------------------------------------------------------------------------
    def get(self, key: str) -> M:
        """The definition with this id; unknown ids raise :class:`RegistryError` listing known ids."""
        self._discover()
        try:
            return self._items[key]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise RegistryError(f"unknown {self.kind} {key!r}; known: {known}") from None

    def source(self, key: str) -> str:
        """Where the definition with this id came from."""
        self.get(key)
        return self._sources[key]

    def ids(self) -> list[str]:
        """Sorted ids of every known definition."""
        self._discover()
        return sorted(self._items)

    def reset(self) -> None:
        """Forget everything registered; built-ins and plugins are found again on next use."""
        self._items.clear()
        self._sources.clear()
        self._discovered = False
