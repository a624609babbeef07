"""A wheel built by `maturin build` installs into a fresh virtual environment and works there.

The wheel is built from this checkout (reusing the build of `maturin develop`, so it takes
seconds) and installed with pip from the file alone, without an index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]

SMOKE = """
import sys, daicho
with daicho.Register.create(sys.argv[1]) as register:
    asset = register.add(kind="ア", name="住民記録システム", organization="市長部局",
                         confidentiality="3A", integrity="2", availability="2", my_number=True)
    assert register.get(asset.id) == asset
try:
    daicho.Register.open(sys.argv[1] + ".missing")
except FileNotFoundError:
    pass
print(daicho.__version__, daicho.__file__)
"""


def test_wheel_installs_into_a_fresh_venv(tmp_path: Path) -> None:
    maturin = shutil.which("maturin", path=str(Path(sys.executable).parent)) or shutil.which(
        "maturin"
    )
    if maturin is None:
        pytest.skip("maturin is not installed (scripts/test installs it)")
    env = {k: v for k, v in os.environ.items() if k not in ("CONDA_PREFIX", "VIRTUAL_ENV")}
    wheels = tmp_path / "wheels"
    subprocess.run(
        [maturin, "build", "--locked", "--interpreter", sys.executable, "--out", str(wheels)],
        cwd=PACKAGE,
        env=env,
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("daicho-*.whl")
    assert "abi3" in wheel.name
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("daicho/__init__.py", "daicho/_native.pyi", "daicho/py.typed"):
        assert shipped in names, shipped

    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check", str(wheel)],
        check=True,
        env=env,
    )
    completed = subprocess.run(
        [str(python), "-c", SMOKE, str(tmp_path / "smoke.db")],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    version, location = completed.stdout.split()
    assert location.startswith(str(venv)), location
    import daicho

    assert version == daicho.__version__
