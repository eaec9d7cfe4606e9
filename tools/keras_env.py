"""Keep the caller's Keras settings out of every run of the snippets.

Keras 3 picks its backend from ``KERAS_BACKEND``, else from ``keras.json`` in
``KERAS_HOME`` (default ``~/.keras``), and reads ``floatx``, ``epsilon`` and
``image_data_format`` from that file too; ``KERAS_MAX_EPOCHS`` and
``KERAS_MAX_STEPS_PER_EPOCH`` cut every ``fit``/``predict`` short
(keras/src/backend/config.py at v3.15.1:
https://github.com/keras-team/keras/blob/v3.15.1/keras/src/backend/config.py#L275-L361).
tf_keras reads ``KERAS_HOME`` the same way. A developer with ``KERAS_BACKEND=jax``
exported, or a ``keras.json`` selecting JAX (JAX and PyTorch sit in the same ``.venv/``
after ``make backends``), would otherwise run every snippet on JAX while the pins look
right. ``pin()`` sets the backend and points ``KERAS_HOME`` at an empty folder of this
process, the public way to make Keras ignore ``~/.keras/keras.json``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import MutableMapping

#: Variables that change what the snippets print; removed from every run.
LEAKS = (
    "KERAS_MAX_EPOCHS",
    "KERAS_MAX_STEPS_PER_EPOCH",
    "KERAS_NNX_ENABLED",
    "TF_USE_LEGACY_KERAS",
)
_home: str | None = None


def keras_home() -> str:
    """Return this process's empty KERAS_HOME folder (made once, removed at exit)."""
    global _home
    if _home is None:
        _home = tempfile.mkdtemp(prefix="keras-home-")
        atexit.register(shutil.rmtree, _home, ignore_errors=True)
    return _home


def pin(environ: MutableMapping[str, str] = os.environ, backend: str = "tensorflow") -> None:
    """Make ``environ`` run Keras on ``backend`` with default settings.

    Sets ``KERAS_BACKEND`` (it wins over keras.json) and ``KERAS_HOME`` (a folder
    without keras.json, so no floatx/epsilon/image_data_format of the caller's file
    applies, for Keras 3 and tf_keras alike), and removes LEAKS. Call it before Keras
    is imported: Keras reads all of these once, at import.
    """
    environ["KERAS_BACKEND"] = backend
    environ["KERAS_HOME"] = keras_home()
    for name in LEAKS:
        environ.pop(name, None)
