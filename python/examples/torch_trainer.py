"""A PyTorch trainer for Loopdeck, as a researcher would plug one in: the `train` subcommand of
docs/protocol.md (and `version`, for the run's record), beside the bundled actor and arena (or any that read ONNX).

    loopdeck run --game connect4 --trainer-command "/usr/bin/python3 $LOOPDECK/python/examples/torch_trainer.py"

It reads the replay shards (either layout), trains the kit's residual MLP
(loopdeck_kit.torch_network) with Adam on the policy's cross entropy and the value's squared error, and writes the ONNX model the bundled engine plays
(`observation` [batch, obsSize] in; `policy_logits` [batch, actions] and `value` [batch, 1] out).
Beside each model it keeps `<model>.ckpt.pt`, its weights and Adam's state, and continues from it when
`--init` names that model. The game is never needed: sizes come from the shards. Replace
`policy_value_module` with your own network; the rest is the protocol's plumbing from loopdeck_kit.
Needs PyTorch (on Debian: apt-get install python3-torch)."""
import io
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from loopdeck_kit.files import write_atomic  # noqa: E402
from loopdeck_kit.flags import parse_flags  # noqa: E402
from loopdeck_kit.protocol import EngineError, claim_stdout, emit, hold_lifeline, log  # noqa: E402
from loopdeck_kit.shards import read_replay  # noqa: E402
from loopdeck_kit.versions import KIT_VERSION, runtime_versions  # noqa: E402

PROGRESS_EVERY = 25


def torch_modules():
    """PyTorch, and the kit's PyTorch network (which imports it)."""
    try:
        import torch

        from loopdeck_kit import torch_network
    except ImportError:
        raise EngineError(f"train: {sys.executable} cannot import torch; install PyTorch for it (on Debian: apt-get install python3-torch)",
                          "no_torch", 2) from None
    return torch, torch_network


def checkpoint_path(model_path):
    """iter-0003.onnx -> iter-0003.ckpt.pt: named so, Loopdeck's retention keeps only the newest and the best model's."""
    return f"{model_path[:-5] if model_path.endswith('.onnx') else model_path}.ckpt.pt"


def start_from(torch, net, sizes, optimizer, init):
    """Continues from the checkpoint beside --init when there is one of the same sizes; else fresh."""
    if init == "none":
        return
    path = checkpoint_path(init)
    if not os.path.exists(path):
        log(f"train: no checkpoint {path} beside --init {init} (a model this trainer did not write); starting a fresh network")
        return
    saved = torch.load(path, map_location="cpu")
    if tuple(saved["sizes"]) != sizes:
        log(f"train: {path} is for observations and actions {tuple(saved['sizes'])}, the shards {sizes}; starting a fresh network")
        return
    net.load_state_dict(saved["net"])
    optimizer.load_state_dict(saved["optimizer"])
    log(f"train: continuing from {path} (weights and Adam's state)")


def save(torch, net, sizes, optimizer, out):
    """The ONNX model for the actor and arena, and the checkpoint to continue from, each written atomically."""
    net.eval()
    onnx = io.BytesIO()
    torch.onnx.export(net, torch.zeros(1, sizes[0]), onnx, input_names=["observation"], output_names=["policy_logits", "value"],
                      dynamic_axes={"observation": {0: "batch"}, "policy_logits": {0: "batch"}, "value": {0: "batch"}})
    checkpoint = io.BytesIO()
    torch.save({"sizes": sizes, "net": net.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint)
    write_atomic(checkpoint_path(out), lambda f: f.write(checkpoint.getvalue()))
    write_atomic(out, lambda f: f.write(onnx.getvalue()))


def train(flags):
    torch, torch_network = torch_modules()
    replay = read_replay(flags["replay"], actions=None)
    if replay is None:
        raise EngineError(f"train: no readable shards in {', '.join(flags['replay'])}", "no_replay")
    observations, policies, values = (torch.from_numpy(np.ascontiguousarray(a)) for a in replay)
    torch.manual_seed(flags["start-step"])
    torch.set_num_threads(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    sizes = (observations.shape[1], policies.shape[1])
    net = torch_network.policy_value_module(*sizes)
    optimizer = torch.optim.Adam(net.parameters(), lr=flags["lr"], weight_decay=torch_network.WEIGHT_DECAY)
    start_from(torch, net, sizes, optimizer, flags["init"])
    for group in optimizer.param_groups:
        group["lr"] = flags["lr"]  # the orchestrator's schedule, not the checkpoint's
    log(f"train: {len(observations)} positions, {flags['steps']} steps of {flags['batch-size']} at lr {flags['lr']} on {torch.get_num_threads()} threads")
    net.train()
    started, loss = time.perf_counter(), float("nan")
    for step in range(1, flags["steps"] + 1):
        batch = torch.randint(len(observations), (min(flags["batch-size"], len(observations)),))
        logits, value = net(observations[batch])
        policy_loss = -(policies[batch] * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
        value_loss = ((value.squeeze(1) - values[batch]) ** 2).mean()
        total = policy_loss + value_loss
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        loss = float(total)
        if step % PROGRESS_EVERY == 0 or step == flags["steps"]:
            emit("progress", step=flags["start-step"] + step, loss=loss, policy_loss=float(policy_loss), value_loss=float(value_loss),
                 lr=flags["lr"], samples_per_sec=step * len(batch) / max(time.perf_counter() - started, 1e-9))
    save(torch, net, sizes, optimizer, flags["out"])
    emit("done", step=flags["start-step"] + flags["steps"], loss=loss)


def main(argv):
    claim_stdout()
    try:
        if argv and argv[0] == "version":
            parse_flags("version", argv[1:])
            torch_modules()
            emit("version", name="torch_trainer", version=KIT_VERSION, details=runtime_versions())
            return
        if not argv or argv[0] != "train":
            raise EngineError(f"torch_trainer answers only the train subcommand (got {argv[0] if argv else 'none'}); use it as trainerCommand", "usage", 2)
        flags = parse_flags("train", argv[1:])
        hold_lifeline(stdin_is_lifeline=True)
        train(flags)
    except EngineError as e:
        log(f"torch_trainer: {e}")
        emit("error", code=e.code, message=str(e))
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main(sys.argv[1:])
