"""The snippets run on TensorFlow with Keras' defaults, whatever the caller's settings."""

import json
import os
import subprocess
import sys

from tools import keras_env

PROBE = """```python
import os

import keras

print(keras.config.backend(), keras.config.floatx(), keras.config.image_data_format())
print(os.environ.get("KERAS_MAX_STEPS_PER_EPOCH"))
```

<!--pytest-codeblocks:expected-output-->

```text
tensorflow float32 channels_last
None
```
"""


def hostile_environment(home):
    """A caller with JAX exported, a keras.json selecting JAX, and KERAS_MAX_* set."""
    (home / ".keras").mkdir(parents=True)
    (home / ".keras" / "keras.json").write_text(
        json.dumps({"backend": "jax", "floatx": "float16", "image_data_format": "channels_first"}),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "HOME": str(home),
        "KERAS_BACKEND": "jax",
        "KERAS_MAX_STEPS_PER_EPOCH": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    env.pop("KERAS_HOME", None)  # this test process's own, set by conftest.py
    return env


def test_pin_overrides_the_callers_keras_settings():
    env = {"KERAS_BACKEND": "jax", "KERAS_MAX_EPOCHS": "1", "TF_USE_LEGACY_KERAS": "1"}
    keras_env.pin(env, "torch")
    assert env["KERAS_BACKEND"] == "torch"
    home = env["KERAS_HOME"]
    assert os.path.isdir(home) and home == keras_env.keras_home()
    assert not home.startswith(os.path.expanduser("~"))
    # Empty when pinned; once Keras is imported in this process (another test on this
    # xdist worker) it may hold the defaults Keras writes there, and nothing else.
    assert set(os.listdir(home)) <= {"keras.json"}
    assert not set(keras_env.LEAKS) & set(env)


def test_the_test_command_runs_keras_on_tensorflow_and_says_so(site_copy, tmp_path):
    (site_copy / "snippets" / "probe.md").write_text(PROBE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "snippets/probe.md"],
        cwd=site_copy,
        env=hostile_environment(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
    header = [line for line in done.stdout.splitlines() if line.startswith("versions:")]
    assert header and "Keras backend: tensorflow (set by conftest.py" in header[0], header
