"""Trained models: the shared sentence encoder and the detector heads (techniques, frames, genre).

Runtime needs only onnxruntime + tokenizers + numpy; weights ship in ``weights/``."""
