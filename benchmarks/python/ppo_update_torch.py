#!/usr/bin/env python3
"""PyTorch twin of PpoUpdateBenchmark: one PPO update of the same shape, timed.

4096 samples (16 chunks x 256 steps), 10 epochs, minibatch 256, obs 16 -> 64 -> 64 tanh actor and critic,
Gaussian head with 4 action dimensions and a state-independent log-std, Adam (eps 1e-5) over both networks,
GAE per chunk, advantages normalised per minibatch, clipped surrogate, 0.5 * squared value loss,
entropy bonus, global grad-norm clip 0.5, running observation normalisation (updated after the update).
Like the Java learner, each minibatch reads its statistics back once.

Note: Debian's python3-torch (1.13.1) is built with BLAS_INFO=generic (no MKL), so its matmuls are several
times slower than those of the libtorch 2.7.1 that DJL ships (measured here: 248 us vs 31 us for a
256x64 @ 64x64 product, one thread); compare the figures with that in mind.

Run with Debian's interpreter:  /usr/bin/python3 benchmarks/python/ppo_update_torch.py [--threads 1]
"""
import argparse
import math
import time

import numpy as np
import torch
import torch.nn as nn

OBS, ACT, CHUNKS, STEPS = 16, 4, 16, 256
N = CHUNKS * STEPS
EPOCHS, MB = 10, 256
GAMMA, LAM, CLIP, ENT, VF, MAX_GRAD = 0.99, 0.95, 0.2, 0.0, 0.5, 0.5
LOG_2PI = math.log(2 * math.pi)


def layer(i, o, gain):
    lin = nn.Linear(i, o)
    nn.init.orthogonal_(lin.weight, gain)
    nn.init.zeros_(lin.bias)
    return lin


class RunningMeanStd:
    def __init__(self, size):
        self.mean = np.zeros(size)
        self.var = np.ones(size)
        self.count = 1e-4

    def update(self, x):
        bm, bv, bc = x.mean(0), x.var(0), x.shape[0]
        delta, tot = bm - self.mean, self.count + bc
        m2 = self.var * self.count + bv * bc + delta ** 2 * self.count * bc / tot
        self.mean, self.var, self.count = self.mean + delta * bc / tot, m2 / tot, tot


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--updates", type=int, default=20)
    ap.add_argument("--foreach", action="store_true", help="multi-tensor Adam and grad-norm kernels")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    rng = np.random.default_rng(42)

    s2 = math.sqrt(2)
    actor = nn.Sequential(layer(OBS, 64, s2), nn.Tanh(), layer(64, 64, s2), nn.Tanh(), layer(64, ACT, 0.01))
    critic = nn.Sequential(layer(OBS, 64, s2), nn.Tanh(), layer(64, 64, s2), nn.Tanh(), layer(64, 1, 1.0))
    log_std = nn.Parameter(torch.zeros(ACT))
    params = list(actor.parameters()) + [log_std] + list(critic.parameters())
    opt = torch.optim.Adam(params, lr=3e-4, eps=1e-5, foreach=args.foreach)
    rms = RunningMeanStd(OBS)

    # fixed batch: raw observations, behaviour actions and log-probs from the initial policy
    raw_obs = rng.standard_normal((N, OBS)).astype(np.float32)
    boot_raw = rng.standard_normal((CHUNKS, OBS)).astype(np.float32)
    with torch.no_grad():
        mean0 = actor(torch.from_numpy(raw_obs))
        actions = (mean0 + torch.randn_like(mean0)).numpy()
        old_logp = (-0.5 * ((torch.from_numpy(actions) - mean0) ** 2).sum(1) - 0.5 * LOG_2PI * ACT).numpy()
    rewards = (raw_obs[:, 0] - 0.1 * actions[:, 0] ** 2).astype(np.float32)
    terminated = np.array([c % 3 == 0 for c in range(CHUNKS)])

    def normalize(x):
        std = np.sqrt(rms.var.astype(np.float32) + 1e-8).astype(np.float32)
        return np.clip((x - rms.mean.astype(np.float32)) / std, -10, 10).astype(np.float32)

    def one_update():
        t0 = time.perf_counter()
        obs = torch.from_numpy(normalize(raw_obs))
        boot = torch.from_numpy(normalize(boot_raw))
        with torch.no_grad():
            v_all = critic(torch.cat([obs, boot])).squeeze(1).numpy().astype(np.float64)
        values, v_boot = v_all[:N], v_all[N:]
        adv = np.zeros(N, dtype=np.float64)
        for c in range(CHUNKS):
            nxt = 0.0 if terminated[c] else v_boot[c]
            a = 0.0
            for t in range(c * STEPS + STEPS - 1, c * STEPS - 1, -1):
                delta = rewards[t] + GAMMA * nxt - values[t]
                a = delta + GAMMA * LAM * a
                adv[t] = a
                nxt = values[t]
        ret = torch.from_numpy((adv + values).astype(np.float32))
        adv_t = torch.from_numpy(adv.astype(np.float32))
        act_t = torch.from_numpy(actions)
        oldlp_t = torch.from_numpy(old_logp)
        t1 = time.perf_counter()
        for _ in range(EPOCHS):
            perm = torch.randperm(N)
            for start in range(0, N, MB):
                idx = perm[start:start + MB]
                o, a, olp, ad, r = obs[idx], act_t[idx], oldlp_t[idx], adv_t[idx], ret[idx]
                ad = (ad - ad.mean()) / (ad.std() + 1e-8)
                mu = actor(o)
                z = (a - mu) * torch.exp(-log_std)
                newlp = -0.5 * (z ** 2).sum(1) - log_std.sum() - 0.5 * LOG_2PI * ACT
                entropy = log_std.sum() + ACT * (0.5 + 0.5 * LOG_2PI)
                logratio = newlp - olp
                ratio = logratio.exp()
                pg = -torch.min(ratio * ad, ratio.clamp(1 - CLIP, 1 + CLIP) * ad).mean()
                v = critic(o).squeeze(1)
                vloss = 0.5 * ((v - r) ** 2).mean()
                loss = pg - ENT * entropy + VF * vloss
                opt.zero_grad()
                loss.backward()
                gn = nn.utils.clip_grad_norm_(params, MAX_GRAD)
                with torch.no_grad():
                    kl = ((ratio - 1) - logratio).mean()
                    cf = ((ratio - 1).abs() > CLIP).float().mean()
                    stats = torch.stack([loss.detach(), pg.detach(), vloss.detach(), entropy.detach(), kl, cf, gn]).tolist()
                if not (math.isfinite(stats[0]) and math.isfinite(stats[6])):
                    raise RuntimeError("non-finite loss")
                opt.step()
        rms.update(raw_obs)
        t2 = time.perf_counter()
        return (t1 - t0) * 1e3, (t2 - t1) * 1e3

    for _ in range(args.warmup):
        one_update()
    prep, loop = [], []
    for _ in range(args.updates):
        p, l = one_update()
        prep.append(p)
        loop.append(l)
    total = [p + l for p, l in zip(prep, loop)]
    print(f"torch {torch.__version__}, threads={torch.get_num_threads()}, interop={torch.get_num_interop_threads()}, "
          f"adam foreach={args.foreach}")
    print(f"ppo update (4096 samples, 10 epochs, minibatch 256, 16-64-64 Gaussian): "
          f"{np.mean(total):.1f} ms/update (median {np.median(total):.1f}, min {np.min(total):.1f}; "
          f"prepare {np.mean(prep):.1f} ms, optimisation loop {np.mean(loop):.1f} ms) over {args.updates} updates")


if __name__ == "__main__":
    main()
