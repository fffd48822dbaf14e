package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.PolicySnapshot;
import io.tributary.streams.codec.PolicySnapshotCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.tributary.actors.testenv.FaultsEnv;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment crashes and non-finite losses during a real run: the run survives and nothing bad is published. */
class FaultToleranceTest {
    @TempDir
    Path dir;

    private TributaryConfig faults(String option) {
        return TestRuns.cartPole(dir, 4000, "tributary.simulator.env.name=Faults-v0",
                "tributary.simulator.env.options." + option, "tributary.actors.restart-backoff-max-ms=300",
                "tributary.learner.ppo.normalize-rewards=false");
    }

    @Test
    void crashingSeedIsRetriedThenQuarantinedAndTheRunGoesOn() throws Exception {
        // The third episode of worker 0's first environment slot: the schedule is deterministic.
        SeedSchedule probe = new SeedSchedule(1, 3);
        probe.next(0, 0);
        probe.next(0, 0);
        long bad = probe.next(0, 0);
        TributaryConfig c = faults("throw-on-seed=\"" + bad + "\"");
        int openBefore = FaultsEnv.open();
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        // Every incarnation closed its environments: restarts (PreRestart) as well as the final stop (PostStop).
        assertEquals(openBefore, FaultsEnv.open(), "environments left open after the run");
        RunSummary s = out.summary();
        assertEquals(List.of(bad), s.seedsQuarantined(), "quarantined: " + s);
        assertEquals(3L, s.environmentFailures(), "tried three times: " + s);
        assertTrue(s.envSteps() >= 4000, "training finished: " + s);
        assertEquals(0L, s.chunksLost());
        assertEquals(0L, s.chunksDuplicated());
        // The restarted worker's earlier incarnations count too: every step on the topic was produced.
        long shippedSteps = rollouts(out, c).stream().mapToLong(TrajectoryChunk::steps).sum();
        assertTrue(s.envStepsProduced() >= shippedSteps, "env_steps_produced counts every incarnation: summary="
                + s.envStepsProduced() + ", steps on the rollouts topic=" + shippedSteps);
        String metrics = Files.readString(out.runDir().resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"kind\":\"seed_quarantined\"") && metrics.contains(Long.toString(bad)),
                "the quarantine is reported in metrics");
    }

    @Test
    void nonFiniteObservationsAndRewardsAreCaughtAtTheWorkerAndNeverShipped() {
        // Worker 0's third episode in slot 0 returns a NaN observation; worker 1's second in slot 1 a NaN reward.
        SeedSchedule probe = new SeedSchedule(1, 3);
        probe.next(0, 0);
        probe.next(0, 0);
        long nanObs = probe.next(0, 0);
        probe.next(1, 1);
        long nanReward = probe.next(1, 1);
        TributaryConfig c = TestRuns.cartPole(dir, 4000, "tributary.simulator.env.name=Faults-v0",
                "tributary.simulator.env.options.nan-observation-on-seed=\"" + nanObs + "\"",
                "tributary.simulator.env.options.nan-reward-on-seed=\"" + nanReward + "\"",
                "tributary.actors.restart-backoff-max-ms=300", "tributary.learner.ppo.normalize-rewards=false");
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        assertEquals(java.util.Set.of(nanObs, nanReward), java.util.Set.copyOf(s.seedsQuarantined()), "quarantined: " + s);
        assertEquals(6L, s.environmentFailures(), "each tried three times: " + s);
        assertTrue(s.envSteps() >= 4000, "training finished: " + s);
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
        List<TrajectoryChunk> shipped = rollouts(out, c);
        long nonFinite = shipped.stream().filter(k -> !allFinite(k.observations()) || !allFinite(k.rewards())
                || !allFinite(k.bootstrapObservation())).count();
        assertEquals(s.chunksProduced(), shipped.size(), "read every produced chunk back");
        assertEquals(0L, nonFinite, "no chunk with a non-finite value reached the rollouts topic");
    }

    /** Every chunk on a finished run's rollouts topic. */
    private static List<TrajectoryChunk> rollouts(TrainingRun.Outcome out, TributaryConfig c) {
        return TestRuns.withRunBroker(out, c, clients -> {
            List<TrajectoryChunk> all = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("test", null, false)) {
                List<TopicPartition> tps = new ArrayList<>();
                consumer.partitionsFor(TestRuns.topics(out).rollouts())
                        .forEach(p -> tps.add(new TopicPartition(p.topic(), p.partition())));
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                Map<TopicPartition, Long> end = consumer.endOffsets(tps);
                long deadline = System.currentTimeMillis() + 30_000;
                while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        all.add(TrajectoryChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset()));
                    }
                }
            }
            return all;
        });
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void nonFiniteLossSkipsTheUpdateAndNeverReachesAPublishedPolicy() {
        TributaryConfig c = faults("spike-on-episode=3");
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        assertTrue(s.skippedUpdates() >= 1, "an update was skipped: " + s);
        assertTrue(s.updates() >= 5, "training went on: " + s);
        assertTrue(s.chunksRejected() >= 1, "the skipped batch is accounted: " + s);
        assertEquals(0L, s.chunksLost());
        assertTrue(Double.isFinite(s.evalReturnMean()));
        List<PolicySnapshot> published = TestRuns.withRunBroker(out, c, clients -> {
            List<PolicySnapshot> all = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("test", null, false)) {
                TopicPartition tp = new TopicPartition(TestRuns.topics(out).policy(), 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                long deadline = System.currentTimeMillis() + 30_000;
                while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r ->
                            all.add(PolicySnapshotCodec.decode(r.value(), r.topic(), r.partition(), r.offset())));
                }
            }
            return all;
        });
        assertTrue(published.size() >= 6, "policies published: " + published.size());
        for (PolicySnapshot p : published) {
            for (float v : p.parameters()) {
                assertTrue(Float.isFinite(v), "non-finite parameter in published version " + p.version());
            }
        }
    }
}
