package io.tributary.learner.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicyLayout;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.nn.DjlMlp;
import io.tributary.learner.nn.DjlPolicyNetwork;

/**
 * PPO's two networks as one list of DJL parameter arrays: the actor (the policy of {@link #spec}, head
 * parameters last) followed by a critic of the same architecture with its own weights and a one-wide
 * linear output. One list lets the optimiser, the global gradient-norm clip and the rollback treat both
 * networks together.
 */
final class ActorCritic {
    final PolicySpec spec;
    final PolicyLayout actor;
    final PolicyLayout critic;
    /** Actor arrays (layout order, head tail last) followed by critic arrays. */
    final NDArray[] params;
    private final NDManager manager;

    ActorCritic(NDManager manager, PolicySpec spec) {
        this.manager = manager;
        this.spec = spec;
        this.actor = PolicyLayout.actor(spec);
        this.critic = PolicyLayout.critic(spec);
        this.params = new NDArray[actor.arrayCount() + critic.arrayCount()];
    }

    /** Replaces every parameter with arrays holding the flat actor and critic vectors. */
    void load(float[] actorFlat, float[] criticFlat) {
        NDArray[] fresh = new NDArray[params.length];
        DjlPolicyNetwork.create(manager, actor, actorFlat, fresh, 0);
        DjlPolicyNetwork.create(manager, critic, criticFlat, fresh, actor.arrayCount());
        for (int i = 0; i < params.length; i++) {
            if (params[i] != null) {
                params[i].close();
            }
            params[i] = fresh[i];
        }
    }

    /** The actor's flat vector (the snapshot's parameters). */
    float[] actorFlat() {
        return DjlMlp.flatten(params, 0, actor.arrayCount());
    }

    /** The critic's flat vector. */
    float[] criticFlat() {
        return DjlMlp.flatten(params, actor.arrayCount(), critic.arrayCount());
    }

    /** Actor outputs for normalised observations, using {@code p} ({@link #params} or detached copies). */
    NDArray actorOutputs(NDArray obs, NDArray[] p) {
        return DjlPolicyNetwork.forward(obs, p, 0, actor);
    }

    /** The actor head's own parameters in {@code p}, or null. */
    NDArray actorTail(NDArray[] p) {
        return DjlPolicyNetwork.tail(p, 0, actor);
    }

    /** Critic values, shape {@code (n, 1)}. */
    NDArray criticValues(NDArray obs, NDArray[] p) {
        return DjlPolicyNetwork.forward(obs, p, actor.arrayCount(), critic);
    }

    /** Gradient-free views of every parameter, owned by {@code sub}. */
    NDArray[] detached(NDManager sub) {
        NDArray[] d = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            d[i] = params[i].stopGradient();
            d[i].attach(sub);
        }
        return d;
    }

    /** Copies of every parameter, for {@link #restore} (close them with {@link #discard} if unused). */
    NDArray[] backup() {
        NDArray[] copies = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            try (NDArray detached = params[i].stopGradient()) {
                copies[i] = detached.duplicate();
            }
        }
        return copies;
    }

    /** Puts back copies from {@link #backup}; they become the parameters. */
    void restore(NDArray[] copies) {
        for (int i = 0; i < params.length; i++) {
            params[i].close();
            params[i] = copies[i];
            params[i].setRequiresGradient(true);
        }
    }

    static void discard(NDArray[] copies) {
        for (NDArray a : copies) {
            a.close();
        }
    }
}
