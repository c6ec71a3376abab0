"""Build hftcore's Cython extensions.

Every ``.pyx`` under ``hftcore/``, ``backtest/`` and ``adapters/`` becomes an extension module.
``HFT_CYTHON_DEBUG=1`` turns on profiling and line tracing; ``HFT_BUILD_ONLY`` (comma-separated
path prefixes such as ``hftcore/book``) limits a development build to some modules.
"""

import os
from pathlib import Path

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

ROOT = Path(__file__).parent
SOURCE_DIRS = ("hftcore", "backtest", "adapters")
DEBUG = os.environ.get("HFT_CYTHON_DEBUG") == "1"
BUILD_ONLY = [p.strip() for p in os.environ.get("HFT_BUILD_ONLY", "").split(",") if p.strip()]


def _wanted(relative_path: str) -> bool:
    return not BUILD_ONLY or any(relative_path.startswith(prefix) for prefix in BUILD_ONLY)


def _extensions() -> list[Extension]:
    macros = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]
    if DEBUG:
        macros.append(("CYTHON_TRACE_NOGIL", "1"))
    extensions = []
    for source_dir in SOURCE_DIRS:
        for pyx in sorted((ROOT / source_dir).rglob("*.pyx")):
            relative = pyx.relative_to(ROOT).as_posix()
            if not _wanted(relative):
                continue
            module = relative[: -len(".pyx")].replace("/", ".")
            extensions.append(
                Extension(
                    module,
                    [relative],
                    include_dirs=[numpy.get_include(), str(ROOT)],
                    define_macros=macros,
                    extra_compile_args=["-O3", "-Wno-unused-function", "-Wno-unreachable-code"],
                )
            )
    return extensions


COMPILER_DIRECTIVES = {
    "language_level": 3,
    "embedsignature": True,
    "profile": DEBUG,
    "linetrace": DEBUG,
}

setup(
    ext_modules=cythonize(
        _extensions(),
        compiler_directives=COMPILER_DIRECTIVES,
        nthreads=os.cpu_count() or 1,
        include_path=[str(ROOT)],
    ),
    options={"build_ext": {"parallel": os.cpu_count() or 1}},
    zip_safe=False,
)
