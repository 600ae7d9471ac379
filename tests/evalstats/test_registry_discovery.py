"""The generic registry: discovery from a folder of definition files, and errors that persist."""

import pytest
from pydantic import BaseModel

from evalstats.errors import RegistryError
from evalstats.registry import Registry


class Thing(BaseModel):
    id: str
    size: int


def test_builtin_folder_is_read(tmp_path):
    (tmp_path / "a.toml").write_text('id = "a"\nsize = 1\n')
    (tmp_path / "b.json").write_text('{"id": "b", "size": 2}')
    reg = Registry(Thing, "thing", builtin_dir=tmp_path)
    assert reg.ids() == ["a", "b"]
    assert reg.get("b").size == 2
    assert reg.source("a") == "built-in a.toml"


def test_duplicate_ids_keep_failing_instead_of_leaving_a_partial_registry(tmp_path):
    (tmp_path / "one.toml").write_text('id = "x"\nsize = 1\n')
    (tmp_path / "two.toml").write_text('id = "x"\nsize = 2\n')
    (tmp_path / "three.toml").write_text('id = "y"\nsize = 3\n')
    reg = Registry(Thing, "thing", builtin_dir=tmp_path)
    for _ in range(2):  # the second lookup must not answer from what the first one half-loaded
        with pytest.raises(RegistryError, match=r"built-in one\.toml and in built-in two\.toml"):
            reg.ids()
    (tmp_path / "two.toml").unlink()
    reg.reset()
    assert reg.ids() == ["x", "y"]


def test_unknown_id_lists_known_ones(tmp_path):
    (tmp_path / "a.toml").write_text('id = "a"\nsize = 1\n')
    reg = Registry(Thing, "thing", builtin_dir=tmp_path)
    with pytest.raises(RegistryError, match="unknown thing 'z'; known: a"):
        reg.get("z")


def test_lookup_from_inside_a_plugin_load_is_a_clear_error(tmp_path, monkeypatch):
    from importlib import metadata

    reg = Registry(Thing, "thing", builtin_dir=tmp_path, entry_point_group="zorgeval.test_things")

    class EP:
        name, value, dist = "loop", "pkg:things", None

        def load(self):
            reg.ids()  # a plugin that looks definitions up while it is being loaded
            return {"id": "p", "size": 1}

    monkeypatch.setattr(metadata, "entry_points", lambda group: [EP()] if group == "zorgeval.test_things" else [])
    with pytest.raises(RegistryError, match="still reading its built-in definitions"):
        reg.ids()
