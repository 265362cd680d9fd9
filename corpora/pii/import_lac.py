"""Import Baidu LAC's lexical-analysis model into ``models/pii-names-crf/lac/``.

LAC (https://github.com/baidu/lac, Apache-2.0, © Baidu) is a character BiGRU-CRF that
segments Chinese text and tags each word with a part of speech or an entity type
(PER, LOC, ORG, TIME).  Its PyPI package (``LAC-2.1.2.tar.gz``) ships the trained model
as PaddlePaddle tensor files and needs the old ``paddle.fluid`` API, which no
PaddlePaddle for Python 3.11 has.  This script reads the tensors out of the source
archive and writes them as one numpy file; ``scanner.checks.pii.lac`` runs the same
network in numpy (no paddle, no torch).  The embedding table is stored as float16
(29.8 MB -> 14.9 MB; tags identical to float32 on 3,000 sample sentences), the rest as
float32.  The model's dictionaries are copied as they are.

    curl -LO https://files.pythonhosted.org/packages/c3/88/966e99c95cac93730a7f3cdf92a17e2a0e924bea61b9a86ae7995feaa4fe/LAC-2.1.2.tar.gz
    python -m corpora.pii.import_lac LAC-2.1.2.tar.gz

sha256 of the archive: 22fcde0d5082d2044205ea6f6a7a9cd1f0d63e7b21b2dd5c9c73f27e7c0a3ef1.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import struct
import sys
import tarfile
from pathlib import Path

import numpy as np

from scanner.checks.pii.lac import DICTS, LAC_DIR, WEIGHTS
from scanner.resources import models_dir

SHA256 = "22fcde0d5082d2044205ea6f6a7a9cd1f0d63e7b21b2dd5c9c73f27e7c0a3ef1"
PREFIX = "LAC-2.1.2/LAC/lac_model/"
TENSORS = (["word_emb", "crfw"] + [f"fc_{i}.{p}_0" for i in range(5) for p in "wb"]
           + [f"gru_{i}.{p}_0" for i in range(4) for p in "wb"])


def _varint(b: bytes, i: int) -> tuple[int, int]:
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if not c & 0x80:
            return r, i


def read_tensor(b: bytes) -> np.ndarray:
    """A PaddlePaddle LoDTensor file: version, LoD levels, version, a TensorDesc protobuf
    (field 1 data type, field 2 dims), then the raw little-endian data."""
    lod_levels = struct.unpack_from("<Q", b, 4)[0]
    off = 12
    for _ in range(lod_levels):
        off += 8 + struct.unpack_from("<Q", b, off)[0]
    off += 4
    size = struct.unpack_from("<i", b, off)[0]
    off += 4
    desc, off = b[off:off + size], off + size
    dtype, dims, i = None, [], 0
    while i < len(desc):
        key, i = _varint(desc, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _varint(desc, i)
            if field == 1:
                dtype = v
            elif field == 2:
                dims.append(v)
        elif wire == 2:
            n, i = _varint(desc, i)
            sub, i = desc[i:i + n], i + n
            j = 0
            while j < len(sub):
                v, j = _varint(sub, j)
                dims.append(v)
        else:
            raise ValueError(f"unexpected protobuf wire type {wire}")
    if dtype != 5:  # FP32
        raise ValueError(f"tensor data type {dtype}, expected FP32 (5)")
    return np.frombuffer(b, dtype="<f4", offset=off, count=int(np.prod(dims))).reshape(dims)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="import Baidu LAC's model (PyPI LAC-2.1.2.tar.gz) for the name CRF")
    ap.add_argument("archive", type=Path)
    ap.add_argument("--out", type=Path, default=None, help=f"folder (default: models/{LAC_DIR})")
    args = ap.parse_args(argv)
    try:
        raw = args.archive.read_bytes()
    except OSError as exc:  # (a missing file or a folder was a traceback)
        print(f"error: {args.archive}: cannot be read ({exc.strerror or exc})", file=sys.stderr)
        return 2
    if hashlib.sha256(raw).hexdigest() != SHA256:
        print(f"error: {args.archive}: not LAC-2.1.2.tar.gz (sha256 differs)", file=sys.stderr)
        return 2
    out = args.out or models_dir() / LAC_DIR
    out.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        def member(name: str) -> bytes:
            return tar.extractfile(PREFIX + name).read()

        arrays = {}
        for name in TENSORS:
            a = read_tensor(member("model/" + name))
            key = name.replace(".", "_")
            arrays[key] = a.astype(np.float16) if name == "word_emb" else a.astype(np.float32)
        for name in DICTS:
            (out / name).write_bytes(member("conf/" + name))
    # np.savez (not compressed) gives the same bytes from the same archive
    with open(out / WEIGHTS, "wb") as fh:
        np.savez(fh, **arrays)
    print(f"wrote {out / WEIGHTS} ({(out / WEIGHTS).stat().st_size // 1024} KiB) and {', '.join(DICTS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
