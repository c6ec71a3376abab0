"""Fixtures of the model tests: a compiled module exposing the cdef API to Python tests.

The model's Cython-only API (``create`` factories, ``Order`` setters, ``InstrumentId.same_as``)
cannot be called from Python. ``model_cython_api.pyx`` wraps each of those calls in a ``def``;
the ``cython_api`` fixture compiles it once per session into a temporary directory against the
``.pxd`` files of the working tree, so it can never be stale.
"""

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy
import pytest
from Cython.Build import cythonize
from setuptools import Distribution, Extension

HERE = Path(__file__).resolve().parent
REPOSITORY_ROOT = HERE.parents[2]
MODULE_NAME = "model_cython_api"


@pytest.fixture(scope="session")
def cython_api(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """Compile and import ``model_cython_api.pyx``.

    Parameters
    ----------
    tmp_path_factory : pytest.TempPathFactory
        Where the build goes.

    Returns
    -------
    types.ModuleType
        The compiled module.
    """
    build_dir = tmp_path_factory.mktemp("cython_api")
    extension = Extension(
        MODULE_NAME,
        [str(HERE / f"{MODULE_NAME}.pyx")],
        include_dirs=[numpy.get_include(), str(REPOSITORY_ROOT)],
        extra_compile_args=["-O0"],
    )
    modules = cythonize(
        [extension],
        build_dir=str(build_dir / "c"),
        include_path=[str(REPOSITORY_ROOT)],
        compiler_directives={"language_level": 3},
        quiet=True,
    )
    command = Distribution({"ext_modules": modules}).get_command_obj("build_ext")
    command.build_lib = str(build_dir / "lib")
    command.build_temp = str(build_dir / "tmp")
    command.ensure_finalized()
    command.run()
    spec = importlib.util.spec_from_file_location(
        MODULE_NAME, command.get_ext_fullpath(MODULE_NAME)
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
