"""The wording-error classifier: a small character-level transformer (issue 5).

* ``vocab``    the character vocabulary (one token per character; digit runs split).
* ``windows``  sentence splitting and overlapping windows for long sentences.
* ``runtime``  onnxruntime inference, batched per document; correction candidates from the
               confusion set ranked by the model.  Needs no torch.
* ``data``     training data: clean government text corrupted with confusion sets, and the
               real-error sets (ECSpell, SIGHAN, csc-hard, gen_xxqg).  Training only.
* ``train``    the two training stages (torch + transformers; ``pip install govscan[train]``).
* ``export``   export to ONNX.
* ``evaluate`` sentence-level detection/correction P/R/F1 and the false-alarm rate.

The shipped model lives in ``models/wording-detector/`` (see ``models/README.md``).
"""
from __future__ import annotations

MODEL_NAME = "wording-detector"
