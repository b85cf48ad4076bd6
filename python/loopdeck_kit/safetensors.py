"""safetensors files: an 8-byte little-endian header length, a JSON header, raw little-endian data."""
import json
import struct

import numpy as np

from .files import write_atomic

DTYPES = {"F32": "<f4", "F64": "<f8", "U8": "u1", "I8": "i1", "U16": "<u2", "I16": "<i2", "I32": "<i4", "I64": "<i8"}
NAMES = {(np.dtype(v).kind, np.dtype(v).itemsize): k for k, v in DTYPES.items()}


def write_tensors(path, tensors, metadata=None):
    """Writes {name: array} atomically."""
    header = {}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        array = np.ascontiguousarray(array)
        dtype = NAMES.get((array.dtype.kind, array.dtype.itemsize))
        if dtype is None:
            raise ValueError(f"safetensors: {name} has dtype {array.dtype}, which the protocol does not use")
        data = array.astype(DTYPES[dtype], copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)

    def write(f):
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)

    write_atomic(path, write)


def read_tensors(path):
    """Returns ({name: array}, metadata); raises ValueError naming the file when it is not one."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short to be a safetensors file")
    (length,) = struct.unpack("<Q", data[:8])
    if 8 + length > len(data):
        raise ValueError(f"{path}: its header runs past the end of the file")
    header = json.loads(data[8 : 8 + length])
    metadata = header.pop("__metadata__", {})
    body = memoryview(data)[8 + length :]
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        if end > len(body) or info["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name} is truncated or of an unknown dtype")
        tensors[name] = np.frombuffer(body[start:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
    return tensors, metadata
