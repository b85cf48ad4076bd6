"""Replay shards in the protocol's layouts: the kit writes the full layout and reads both."""
import glob
import os

import numpy as np

from .protocol import log
from .safetensors import read_tensors, write_tensors


def write_shard(path, observations, policies, values, legal, search_values):
    write_tensors(
        path,
        {
            "observation": np.asarray(observations, dtype=np.float32),
            "policy": np.asarray(policies, dtype=np.float32),
            "value": np.asarray(values, dtype=np.float32),
            "legal": np.asarray(legal, dtype=np.uint8),
            "search_value": np.asarray(search_values, dtype=np.float32),
        },
    )


def read_shard(path):
    """(observation, policy, value, legal) as float32 arrays, from either layout."""
    tensors, metadata = read_tensors(path)
    if "observation" in tensors:
        obs = tensors["observation"].astype(np.float32)
        policy = tensors["policy"].astype(np.float32)
        value = tensors["value"].astype(np.float32)
        search = tensors.get("search_value")
    else:
        size = int(metadata["observation_size"])
        obs = np.unpackbits(tensors["observation_bits"], axis=1, bitorder="little")[:, :size].astype(np.float32)
        policy = tensors["policy_q16"].astype(np.float32) / 65535.0
        value = tensors["value_i8"].astype(np.float32)
        search = tensors.get("search_value_q15")
        search = None if search is None else search.astype(np.float32) / 32767.0
    if search is not None:
        value = (value + search) / 2
    if not (len(obs) == len(policy) == len(value)):
        raise ValueError(f"{path}: its tensors hold different numbers of positions")
    return obs, policy, value


def read_replay(folders, actions):
    """Every shard of the replay folders, concatenated; a corrupt shard is named, skipped and logged.
    With `actions` None (a trainer that does not know the game), the first shard's policy sets it."""
    parts = []
    for folder in folders:
        for path in sorted(glob.glob(os.path.join(folder, "*.safetensors"))):
            try:
                obs, policy, value = read_shard(path)
                actions = policy.shape[1] if actions is None else actions
                if policy.shape[1] != actions:
                    raise ValueError(f"{path}: its policy has {policy.shape[1]} actions, the game {actions}")
                parts.append((obs, policy, value))
            except (ValueError, KeyError, OSError) as e:
                log(f"skipping a corrupt shard: {e}")
    if not parts:
        return None
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))
