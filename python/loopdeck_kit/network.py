"""The network interface the kit's search and trainer use, and a small numpy MLP that fits it."""
import io
import json

import numpy as np

from .files import write_atomic


class Network:
    """What the kit needs of a network. Observations come flattened: [n, observation size]."""

    @classmethod
    def create(cls, game, seed):
        raise NotImplementedError

    @classmethod
    def load(cls, game, path):
        raise NotImplementedError

    def predict(self, observations):
        """(policy [n, actions], a probability over all actions; value [n] in [-1, 1] for the player to move)."""
        raise NotImplementedError

    def train_step(self, observations, policies, values, lr):
        """One optimiser step on a batch; returns (loss, policy_loss, value_loss) before the step."""
        raise NotImplementedError

    def fit(self, observations, policies, values, steps, batch_size, lr, rng, report):
        """Trains on the replay: `steps` batches drawn at random, calling report(steps_done, loss,
        policy_loss, value_loss, samples) now and then. A network with a training loop of its own
        overrides this. Returns the last loss."""
        batch = min(batch_size, len(observations))
        every = max(1, steps // 10)
        loss = 0.0
        for k in range(1, steps + 1):
            pick = rng.integers(len(observations), size=batch)
            loss, policy_loss, value_loss = self.train_step(observations[pick], policies[pick], values[pick], lr)
            if k % every == 0 or k == steps:
                report(k, loss, policy_loss, value_loss, k * batch)
        return loss

    def save(self, path):
        raise NotImplementedError


class MlpNetwork(Network):
    """Two hidden ReLU layers, a softmax policy head and a tanh value head, trained with Adam."""

    hidden = 128

    def __init__(self, params, size, actions):
        self.params = params
        self.size = size
        self.actions = actions
        self.moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
        self.steps = 0

    @classmethod
    def create(cls, game, seed):
        rng = np.random.default_rng(seed)
        size, actions, h = game.observation_size(), game.actions, cls.hidden

        def layer(n_in, n_out):
            return rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out)).astype(np.float32), np.zeros(n_out, np.float32)

        w1, b1 = layer(size, h)
        w2, b2 = layer(h, h)
        wp, bp = layer(h, actions)
        wv, bv = layer(h, 1)
        return cls({"w1": w1, "b1": b1, "w2": w2, "b2": b2, "wp": wp * 0.1, "bp": bp, "wv": wv * 0.1, "bv": bv}, size, actions)

    @classmethod
    def load(cls, game, path):
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            params = {k: data[k].astype(np.float32) for k in data.files if k != "meta"}
        if meta.get("size") != game.observation_size() or meta.get("actions") != game.actions:
            raise ValueError(f"{path} is a network for {meta.get('size')} inputs and {meta.get('actions')} actions; {game.id} has {game.observation_size()} and {game.actions}")
        return cls(params, meta["size"], meta["actions"])

    def save(self, path):
        meta = np.array(json.dumps({"kind": "loopdeck-kit-mlp", "size": self.size, "actions": self.actions}))

        def write(f):
            buffer = io.BytesIO()
            np.savez(buffer, meta=meta, **self.params)
            f.write(buffer.getvalue())

        write_atomic(path, write)

    def _forward(self, x):
        p = self.params
        h1 = np.maximum(x @ p["w1"] + p["b1"], 0)
        h2 = np.maximum(h1 @ p["w2"] + p["b2"], 0)
        logits = h2 @ p["wp"] + p["bp"]
        value = np.tanh(h2 @ p["wv"] + p["bv"])[:, 0]
        return h1, h2, logits, value

    def predict(self, observations):
        _, _, logits, value = self._forward(np.asarray(observations, np.float32))
        return softmax(logits), value

    def train_step(self, observations, policies, values, lr):
        p, n = self.params, len(observations)
        h1, h2, logits, value = self._forward(observations)
        probs = softmax(logits)
        policy_loss = float(-(policies * np.log(probs + 1e-9)).sum(axis=1).mean())
        value_loss = float(((value - values) ** 2).mean())
        d_logits = (probs - policies) / n
        d_value = (2 * (value - values) * (1 - value**2) / n)[:, None]
        grads = {"wp": h2.T @ d_logits, "bp": d_logits.sum(0), "wv": h2.T @ d_value, "bv": d_value.sum(0)}
        d_h2 = (d_logits @ p["wp"].T + d_value @ p["wv"].T) * (h2 > 0)
        grads["w2"], grads["b2"] = h1.T @ d_h2, d_h2.sum(0)
        d_h1 = (d_h2 @ p["w2"].T) * (h1 > 0)
        grads["w1"], grads["b1"] = observations.T @ d_h1, d_h1.sum(0)
        self._adam(grads, lr)
        return policy_loss + value_loss, policy_loss, value_loss

    def _adam(self, grads, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-4):
        self.steps += 1
        for k, g in grads.items():
            g = g + weight_decay * self.params[k]
            m, v = self.moments[k]
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            m_hat = m / (1 - beta1**self.steps)
            v_hat = v / (1 - beta2**self.steps)
            self.params[k] -= (lr * m_hat / (np.sqrt(v_hat) + eps)).astype(np.float32)


def softmax(logits):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
