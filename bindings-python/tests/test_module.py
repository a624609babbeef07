"""Checks on the installed `daicho` package as a whole."""

from pathlib import Path

import pytest

import daicho

# The workspace manifest holds the one version that every crate and the wheel share.
WORKSPACE_MANIFEST = Path(__file__).resolve().parents[2] / "Cargo.toml"


def workspace_version() -> str:
    # tomllib is in the standard library from Python 3.11; the package supports 3.9.
    tomllib = pytest.importorskip("tomllib")
    with WORKSPACE_MANIFEST.open("rb") as f:
        version: str = tomllib.load(f)["workspace"]["package"]["version"]
    return version


def test_version_is_the_workspace_version() -> None:
    assert daicho.__version__ == workspace_version()


def test_version_comes_from_the_native_module() -> None:
    from daicho import _native

    assert daicho.__version__ is _native.__version__


def test_all_lists_only_names_that_exist() -> None:
    for name in daicho.__all__:
        assert hasattr(daicho, name), name


def test_the_package_re_exports_every_native_name() -> None:
    from daicho import _native

    public = [name for name in _native.__all__ if not name.startswith("_") or name == "__version__"]
    # `types` (the dicts' shapes) and `frames` (DataFrame schemas) are pure Python.
    assert sorted(daicho.__all__) == sorted([*public, "frames", "types"])
    for name in public:
        assert getattr(daicho, name) is getattr(_native, name), name


def test_py_typed_ships_next_to_the_stub() -> None:
    package = Path(daicho.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_native.pyi").exists()
