"""Wheel build hook: compile the per-draft hot path with Cython.

Why: the rules' own Python (loops, slicing, small objects between regex calls) is most of what
a draft costs; Cython turns the same source into C extension modules that skip the
interpreter's dispatch, 25-40 % less time a draft on the privacy and personal-touch rules
(bench/README.md). pydantic v1 shipped the same way. Nothing changes in the source: the
directives below keep Python's semantics (no C types guessed from annotations or inferred).

- Only a standard wheel is compiled (``pip install .``). An editable install
  (``pip install -e .``) stays pure Python, so an edit to a module takes effect at once.
- The ``.py`` files ship beside the extension modules (tracebacks, ``inspect``); Python imports
  the extension module first.
- No C compiler, or ``REPLYLINT_PURE_PYTHON=1``: a pure-Python wheel, with a warning. The
  package behaves the same, only slower.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: Modules run for every draft (rules, text views, phrase data, engine). Configuration, I/O,
#: the CLI, the server, the history stores and the models are not: they run once per batch or
#: per request, or hold pydantic models (which read annotations at run time).
COMPILED = (
    "replylint/alternation.py",
    "replylint/context.py",
    "replylint/engine.py",
    "replylint/fixes.py",
    "replylint/lang.py",
    "replylint/length.py",
    "replylint/names.py",
    "replylint/phrases.py",
    "replylint/rule.py",
    "replylint/text.py",
    "replylint/rules/*.py",
)
#: Python semantics: no C types from annotations (``x: float`` would make ``round(x)`` a C
#: double) or from inference; functions stay introspectable (``binding``).
DIRECTIVES = {"language_level": 3, "binding": True, "infer_types": False, "annotation_typing": False}


class CythonBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version != "standard":
            return  # editable installs and the sdist: sources only
        if os.environ.get("REPLYLINT_PURE_PYTHON") == "1":
            self.app.display_info("replylint: REPLYLINT_PURE_PYTHON=1, building a pure-Python wheel")
            return
        try:
            built = self._compile()
        except Exception as exc:  # no compiler, no Python headers…: still installable
            self.app.display_warning(f"replylint: compiling with Cython failed, pure-Python wheel ({exc})")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)

    def _compile(self) -> dict[str, str]:
        """Extension modules built in a temporary directory: {path on disk: path in the wheel}."""
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        src = Path(self.root) / "src"
        sources = sorted(
            path for pattern in COMPILED for path in src.glob(pattern) if path.name != "__init__.py"
        )
        work = Path(tempfile.mkdtemp(prefix="replylint-cython-"))
        extensions = [
            Extension(".".join(path.relative_to(src).with_suffix("").parts), [str(path)]) for path in sources
        ]
        modules = cythonize(extensions, compiler_directives=DIRECTIVES, build_dir=str(work / "c"), quiet=True)
        command = build_ext(Distribution({"ext_modules": modules}))
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "tmp")
        command.parallel = os.cpu_count() or 1
        command.ensure_finalized()
        command.run()
        built = {}
        for module in modules:
            path = Path(command.get_ext_fullpath(module.name))
            built[str(path)] = str(path.relative_to(work / "lib"))
        self.app.display_info(f"replylint: compiled {len(built)} modules with Cython")
        return built
