"""Trained models: the shared sentence encoder and the detector heads (techniques, frames, genre).

Runtime needs only onnxruntime + tokenizers + numpy; weights ship in ``weights/``."""

# Importing the package registers the "models" analyse component when its weights are present.
from unspin.analyse.models import component as _component  # noqa: E402,F401
