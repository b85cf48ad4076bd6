"""A PyTorch network for kit engines: `run_engine([MyGame()], network=TorchNetwork)`. Self-play,
the arena and bestmove predict with it, the trainer trains it with Adam, and a model file is its
checkpoint (weights and Adam's state, written atomically). Subclass it and override `module` to
use a network of your own. Needs PyTorch for the engine's python3 (on Debian: python3-torch);
importing this module without it raises an ImportError that says so."""
import io
import sys

import numpy as np

from .files import write_atomic
from .network import Network

try:
    import torch
except ImportError as e:
    raise ImportError(f"loopdeck_kit.torch_network needs PyTorch, which {sys.executable} cannot import ({e}); on Debian: apt-get install python3-torch") from None

WEIGHT_DECAY = 1e-4


def policy_value_module(observation_size, actions, width=128, blocks=2):
    """The default: a residual MLP from observations [n, size] to (policy logits [n, actions], value [n, 1] in [-1, 1])."""
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.first, self.second = nn.Linear(width, width), nn.Linear(width, width)

        def forward(self, x):
            return torch.relu(x + self.second(torch.relu(self.first(x))))

    class PolicyValueNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Linear(observation_size, width)
            self.blocks = nn.Sequential(*[Block() for _ in range(blocks)])
            self.policy = nn.Linear(width, actions)
            self.value = nn.Linear(width, 1)

        def forward(self, observation):
            x = self.blocks(torch.relu(self.stem(observation)))
            return self.policy(x), torch.tanh(self.value(x))

    return PolicyValueNet()


class TorchNetwork(Network):
    def __init__(self, net, size, actions, optimizer_state=None):
        self.net, self.size, self.actions = net, size, actions
        self.optimizer = torch.optim.Adam(net.parameters(), weight_decay=WEIGHT_DECAY)
        if optimizer_state is not None:
            self.optimizer.load_state_dict(optimizer_state)

    @classmethod
    def module(cls, observation_size, actions):
        """The torch.nn.Module to train: override for your own network (same inputs and outputs)."""
        return policy_value_module(observation_size, actions)

    @classmethod
    def create(cls, game, seed):
        torch.manual_seed(seed)
        size = game.observation_size()
        return cls(cls.module(size, game.actions), size, game.actions)

    @classmethod
    def load(cls, game, path):
        saved = torch.load(path, map_location="cpu")
        size, actions = game.observation_size(), game.actions
        if (saved.get("size"), saved.get("actions")) != (size, actions):
            raise ValueError(f"{path} is a network for {saved.get('size')} inputs and {saved.get('actions')} actions; {game.id} has {size} and {actions}")
        net = cls.module(size, actions)
        net.load_state_dict(saved["net"])
        return cls(net, size, actions, saved.get("optimizer"))

    def predict(self, observations):
        self.net.eval()
        with torch.no_grad():
            logits, value = self.net(torch.from_numpy(np.asarray(observations, np.float32)))
        return torch.softmax(logits, dim=1).double().numpy(), value.reshape(-1).double().numpy()

    def train_step(self, observations, policies, values, lr):
        self.net.train()
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        logits, value = self.net(torch.from_numpy(np.asarray(observations, np.float32)))
        policy_loss = -(torch.from_numpy(np.asarray(policies, np.float32)) * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
        value_loss = ((value.reshape(-1) - torch.from_numpy(np.asarray(values, np.float32))) ** 2).mean()
        loss = policy_loss + value_loss
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return float(loss), float(policy_loss), float(value_loss)

    def save(self, path):
        buffer = io.BytesIO()
        torch.save({"kind": "loopdeck-kit-torch", "size": self.size, "actions": self.actions, "net": self.net.state_dict(),
                    "optimizer": self.optimizer.state_dict()}, buffer)
        write_atomic(path, lambda f: f.write(buffer.getvalue()))
