package io.tributary.learner.lm;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.UpdateReport;
import io.tributary.learner.nn.Devices;
import io.tributary.rewards.ScoredChunk;
import io.tributary.rewards.writing.BrpoRewards;
import io.tributary.rewards.writing.GroupRewards;
import io.tributary.rewards.writing.GrpoRewards;
import io.tributary.rewards.writing.WritingChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.SpecialTokens;
import io.tributary.simulator.writing.WritingGroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The writing workload's learner, algorithms {@code brpo} and {@code grpo}: one class, the reward mode is the only
 * difference (issue 10: "GRPO with group-normalised scalar rewards as the baseline, same code otherwise").
 *
 * <p><b>Data.</b> {@link #accept} takes one scored writing group chunk ({@link WritingGroups}'s layout; the
 * reward model put each response's reward on its last token, read back with {@link WritingChunk#responseRewards})
 * and turns it into a {@link ResponseGroup}: under BRPO the rewards must be +1/−1 with one 0 (the reference) and
 * are the advantages as they are, the skew filter |Σ R| / G &gt; {@code skew-threshold} marks the group filtered
 * ({@link BrpoRewards#fromAssigned}, the reward-models module's one implementation); under GRPO the raw scalar
 * scores are normalised within the group ({@link GrpoRewards#assign}). A chunk that is not a writing group, holds a
 * token outside the model's vocabulary, a prompt longer than its context, or (BRPO) rewards that are not BRPO's,
 * is refused with {@link IllegalArgumentException} before anything is kept.
 *
 * <p><b>Update.</b> Ready once {@code groups-per-version} groups arrived (the quota is in groups); the update runs
 * {@link GroupPolicyUpdate} once on every group received since the last update (the workers' shares round up, so
 * it can be a few more than the quota). Filtered groups count as trained and give no gradient. A version is made
 * even when every group was filtered (the workers wait for one). A non-finite loss or gradient abandons the
 * update: weights and Adam state are put back, the version stays, the groups are dropped (the learner role counts
 * them as rejected), and the unchanged policy is what gets published: a NaN is never published.
 *
 * <p><b>Initial weights and KL reference.</b> Both are the pre-trained model file {@code init-from}
 * ({@link LmModelFile}); the reference is frozen and loaded only when {@code kl-coef > 0}.
 *
 * <p><b>Statistics per update</b> ({@code metrics.jsonl}): {@code groups} (received), {@code groups_trained}
 * (the same, filtered included, 0 when skipped), {@code groups_filtered}, {@code groups_filtered_frac},
 * {@code mean_response_length} (words: tokens before EOS), {@code mean_response_tokens}, {@code mean_reward}
 * (raw rewards of every response: BRPO's R, reference included, or the scalar score), {@code mean_reward_trained}
 * (the same over unfiltered groups; absent when there are none), {@code kl}, {@code clip_fraction}, {@code loss},
 * {@code surrogate_loss}, {@code grad_norm}, {@code tokens}, {@code minibatch_steps}, {@code skipped_updates},
 * {@code updates}, {@code groups_trained_total}, {@code groups_filtered_total}.
 *
 * <p><b>Budget.</b> With {@code max-updates > 0}, {@link #stopReason()} asks the run to stop once that many
 * updates ran. <b>Checkpoints</b> ({@link GroupCheckpoint}): weights, Adam, counters, RNG, the pre-trained
 * model's checksum and any groups accepted since the last update. Single-threaded.
 */
public final class GroupLearner implements Learner {
    /** Name of the checkpoint file in a save directory. */
    public static final String CHECKPOINT_FILE = GroupCheckpoint.FILE;

    private final String algorithm;
    private final GroupLearnerSettings settings;
    private final PolicySpec spec;
    private final String runId;
    private final Device device;
    private final NDManager manager;
    private final GruLanguageModel policy;
    private final GruLanguageModel reference;
    private final GroupPolicyUpdate update;
    private final long initChecksum;
    private final List<GroupCheckpoint.Pending> pending = new ArrayList<>();

    private long version;
    private long updatesRun;
    private long updatesApplied;
    private long updatesSkipped;
    private long groupsTrained;
    private long groupsFiltered;
    private long responsesTrained;
    private long tokensTrained;
    private long snapshotCreatedAtMicros;
    private PolicySnapshot snapshot;

    /**
     * A learner starting from the pre-trained model {@code settings.initFrom()}.
     *
     * @param algorithm   {@code brpo} or {@code grpo}, written into snapshots and checkpoints
     * @param common      the shared learner settings (device, seed: the minibatch shuffling seed)
     * @param settings    the group subtree, its update's reward mode the algorithm's
     * @param spec        the sequence spec; the model file must hold exactly this shape
     * @param runId       run the snapshots belong to
     * @throws UncheckedIOException when the model file cannot be read
     * @throws IllegalArgumentException when it holds another shape
     */
    public GroupLearner(String algorithm, LearnerSettings common, GroupLearnerSettings settings, PolicySpec spec,
                        String runId) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.runId = Objects.requireNonNull(runId, "runId");
        if (spec.architecture() != PolicySpec.Architecture.SEQUENCE) {
            throw new IllegalArgumentException("the group learner trains a language model: architecture="
                    + spec.architecture());
        }
        this.device = Devices.resolve(common.device());
        this.manager = NDManager.newBaseManager(device);
        Path file = Path.of(settings.initFrom());
        GruLanguageModel p = null;
        GruLanguageModel r = null;
        try {
            p = LmModelFile.read(manager, file, true);
            if (!p.spec().equals(spec)) {
                throw new IllegalArgumentException("pre-trained model has another shape: file=" + file + ", stored="
                        + p.spec() + ", expected=" + spec);
            }
            r = settings.update().klCoef() > 0 ? p.copy(manager, false) : null;
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot read the pre-trained model: file=" + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        this.policy = p;
        this.reference = r;
        this.initChecksum = GroupCheckpoint.checksum(policy.parameters());
        this.update = new GroupPolicyUpdate(policy, reference, settings.update(), common.seed());
        this.snapshotCreatedAtMicros = nowMicros();
    }

    @Override
    public String algorithm() {
        return algorithm;
    }

    @Override
    public String deviceDescription() {
        return Devices.describe(device);
    }

    @Override
    public long version() {
        return version;
    }

    /** The settings this learner runs with. */
    public GroupLearnerSettings settings() {
        return settings;
    }

    /** The published policy's architecture. */
    public PolicySpec spec() {
        return spec;
    }

    /** The policy's current weights, flat ({@link GruLanguageModel#parameters()}'s layout). */
    public float[] parameters() {
        return policy.parameters();
    }

    /** Groups accepted since the last update. */
    public int pendingGroups() {
        return pending.size();
    }

    /** Updates run so far (applied or skipped): what {@code max-updates} counts. */
    public long updatesRun() {
        return updatesRun;
    }

    /** Adam steps taken so far (restored from checkpoints with the moments). */
    public long optimizerSteps() {
        return update.adam().stepCount();
    }

    /** Updates applied (each made a version). */
    public long updatesApplied() {
        return updatesApplied;
    }

    /** Updates abandoned because a loss or gradient was not finite. */
    public long updatesSkipped() {
        return updatesSkipped;
    }

    /** Groups that went into applied updates, filtered ones included. */
    public long groupsTrained() {
        return groupsTrained;
    }

    /** Of {@link #groupsTrained()}, those the skew filter dropped from the gradient. */
    public long groupsFiltered() {
        return groupsFiltered;
    }

    @Override
    public void skipVersionsTo(long targetVersion) {
        if (targetVersion < version) {
            throw new IllegalArgumentException("cannot move the version back: version=" + version + ", target="
                    + targetVersion);
        }
        version = targetVersion;
        snapshot = null;
    }

    // ------------------------------------------------------------------ data

    @Override
    public void accept(ScoredChunk scored) {
        TrajectoryChunk c = scored.chunk();
        if (!WritingGroups.ENV_NAME.equals(c.envName())) {
            throw new IllegalArgumentException(algorithm + " trains writing groups only: envName=" + c.envName()
                    + ", expected=" + WritingGroups.ENV_NAME + ", chunk=" + c.id());
        }
        WritingGroups.Group g = WritingGroups.read(c);
        int[] prompt = g.promptTokens();
        if (prompt.length > policy.promptLength()) {
            throw new IllegalArgumentException("prompt longer than the model's prompt context: promptTokens="
                    + prompt.length + ", promptLength=" + policy.promptLength() + ", chunk=" + c.id());
        }
        for (int i = 0; i < prompt.length; i++) {
            checkToken(prompt[i], "prompt", i, c);
        }
        List<int[]> responses = new ArrayList<>(g.size());
        List<float[]> logps = new ArrayList<>(g.size());
        for (int i = 0; i < g.size(); i++) {
            WritingGroups.Response r = g.responses().get(i);
            for (int k = 0; k < r.length(); k++) {
                int t = checkToken(r.tokens()[k], "response " + i, k, c);
                if (t == SpecialTokens.PAD || t == SpecialTokens.BOS || t == SpecialTokens.SEP) {
                    throw new IllegalArgumentException("a response never holds PAD, BOS or SEP (the model bans them): "
                            + "response=" + i + ", position=" + k + ", token=" + t + ", chunk=" + c.id());
                }
            }
            responses.add(r.tokens());
            logps.add(r.logProbs());
        }
        double[] raw = WritingChunk.responseRewards(c, scored.rewards());
        GroupRewards rewards;
        try {
            rewards = update.mode() == GroupUpdateSettings.RewardMode.BRPO
                    ? BrpoRewards.fromAssigned(raw, settings.skewThreshold())
                    : GrpoRewards.assign(raw, GrpoRewards.DEFAULT_EPS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ", algorithm=" + algorithm + ", rewardModel="
                    + scored.rewardModelId() + ", chunk=" + c.id(), e);
        }
        pending.add(new GroupCheckpoint.Pending(
                new ResponseGroup(prompt, responses, logps, rewards.rewards(), rewards.filtered()), raw));
    }

    private int checkToken(int t, String what, int index, TrajectoryChunk c) {
        if (t < 0 || t >= policy.vocabSize()) {
            throw new IllegalArgumentException("token out of the model's vocabulary: " + what + "[" + index + "]=" + t
                    + ", vocabSize=" + policy.vocabSize() + ", chunk=" + c.id());
        }
        return t;
    }

    @Override
    public boolean readyToUpdate() {
        return pending.size() >= settings.groupsPerVersion();
    }

    // ------------------------------------------------------------------ update

    @Override
    public UpdateReport update() {
        long start = System.nanoTime();
        List<ResponseGroup> groups = new ArrayList<>(pending.size());
        double rewardSum = 0;
        double trainedRewardSum = 0;
        long responses = 0;
        long trainedResponses = 0;
        long words = 0;
        long tokens = 0;
        for (GroupCheckpoint.Pending p : pending) {
            ResponseGroup g = p.group();
            groups.add(g);
            for (int i = 0; i < g.size(); i++) {
                int[] r = g.responses().get(i);
                tokens += r.length;
                words += r[r.length - 1] == SpecialTokens.EOS ? r.length - 1 : r.length;
                rewardSum += p.rawRewards()[i];
                if (!g.filtered()) {
                    trainedRewardSum += p.rawRewards()[i];
                    trainedResponses++;
                }
            }
            responses += g.size();
        }
        int n = groups.size();
        pending.clear();
        GroupUpdateResult r = update.update(groups);
        updatesRun++;

        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("groups", (double) n);
        stats.put("groups_filtered", (double) r.groupsFiltered());
        stats.put("groups_filtered_frac", n == 0 ? 0.0 : r.groupsFiltered() / (double) n);
        stats.put("mean_response_length", responses == 0 ? 0.0 : words / (double) responses);
        stats.put("mean_response_tokens", responses == 0 ? 0.0 : tokens / (double) responses);
        stats.put("mean_reward", responses == 0 ? 0.0 : rewardSum / responses);
        if (trainedResponses > 0) {
            stats.put("mean_reward_trained", trainedRewardSum / trainedResponses);
        }
        stats.put("updates", (double) updatesRun);
        if (r.skipped()) {
            updatesSkipped++;
            stats.put("groups_trained", 0.0);
            stats.put("skipped_updates", (double) updatesSkipped);
            stats.put("groups_trained_total", (double) groupsTrained);
            stats.put("groups_filtered_total", (double) groupsFiltered);
            return new UpdateReport(version, false, r.skipReason(), (int) Math.min(Integer.MAX_VALUE, tokens),
                    millis(start), stats);
        }
        version++;
        updatesApplied++;
        groupsTrained += n;
        groupsFiltered += r.groupsFiltered();
        responsesTrained += responses;
        tokensTrained += tokens;
        snapshotCreatedAtMicros = nowMicros();
        snapshot = null;
        stats.put("groups_trained", (double) n);
        stats.put("kl", r.kl());
        stats.put("clip_fraction", r.clipFraction());
        stats.put("loss", r.loss());
        stats.put("surrogate_loss", r.surrogateLoss());
        stats.put("grad_norm", r.gradNorm());
        stats.put("tokens", (double) r.tokens());
        stats.put("minibatch_steps", (double) r.minibatchSteps());
        stats.put("skipped_updates", (double) updatesSkipped);
        stats.put("groups_trained_total", (double) groupsTrained);
        stats.put("groups_filtered_total", (double) groupsFiltered);
        return new UpdateReport(version, true, "", (int) Math.min(Integer.MAX_VALUE, tokens), millis(start), stats);
    }

    /** Non-empty once {@code max-updates} updates ran: the run should stop (its budget in updates is spent). */
    @Override
    public String stopReason() {
        if (settings.maxUpdates() > 0 && updatesRun >= settings.maxUpdates()) {
            return "max-updates reached: updates=" + updatesRun;
        }
        return "";
    }

    @Override
    public PolicySnapshot snapshot() {
        if (snapshot == null) {
            snapshot = policy.snapshot(runId, version, algorithm, snapshotCreatedAtMicros);
        }
        return snapshot;
    }

    // ------------------------------------------------------------------ checkpoints

    @Override
    public void save(Path dir) throws IOException {
        GroupCheckpoint.write(dir, algorithm, spec, new GroupCheckpoint.Counters(version, updatesRun, updatesApplied,
                updatesSkipped, groupsTrained, groupsFiltered, responsesTrained, tokensTrained, snapshotCreatedAtMicros,
                update.rngState(), initChecksum), policy.parameters(), update.adam(), pending);
    }

    @Override
    public void restore(Path dir) throws IOException {
        GroupCheckpoint.Restored r = GroupCheckpoint.read(dir, algorithm, spec, update.adam());
        GroupCheckpoint.Counters c = r.counters();
        if (c.initChecksum() != initChecksum) {
            throw new IOException("checkpoint was trained from another pre-trained model: stored checksum="
                    + c.initChecksum() + ", init-from=" + settings.initFrom() + " has checksum=" + initChecksum);
        }
        policy.setParameters(r.policy());
        update.adam().apply(r.adam());
        update.setRngState(c.rngState());
        version = c.version();
        updatesRun = c.updatesRun();
        updatesApplied = c.updatesApplied();
        updatesSkipped = c.updatesSkipped();
        groupsTrained = c.groupsTrained();
        groupsFiltered = c.groupsFiltered();
        responsesTrained = c.responsesTrained();
        tokensTrained = c.tokensTrained();
        snapshotCreatedAtMicros = c.snapshotCreatedAtMicros();
        pending.clear();
        pending.addAll(r.pending());
        snapshot = null;
    }

    @Override
    public void close() {
        update.close();
        if (reference != null) {
            reference.close();
        }
        policy.close();
        manager.close();
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
