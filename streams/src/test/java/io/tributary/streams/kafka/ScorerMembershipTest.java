package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.rewards.EnvironmentRewardModel;
import io.tributary.streams.port.ScoringStage;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scorer whose predecessor never left the group (a process killed with -9, or a leaked consumer) gets its
 * partitions at once: scorers are static group members named by their transactional id, so the successor
 * takes the predecessor's place instead of waiting for its session or poll interval to expire.
 */
class ScorerMembershipTest {
    @TempDir
    Path dir;

    @Test
    void aSuccessorScorerReplacesAPredecessorThatNeverLeftTheGroup() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.defaultReference().resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("members");
            clients.ensureTopics(topics);
            UUID w = UUID.randomUUID();
            send(clients, topics, w, 0, 20);
            ScoringStage stage = ScoringStage.primary(topics, 0);
            // The predecessor joins and scores, then is abandoned: it never polls or leaves again.
            ScoringLoop predecessor = new ScoringLoop(clients, stage, new EnvironmentRewardModel());
            long deadline = System.currentTimeMillis() + 30_000;
            long scored = 0;
            while (scored == 0 && System.currentTimeMillis() < deadline) {
                scored += predecessor.pollOnce();
            }
            assertTrue(scored > 0, "the predecessor scored");
            send(clients, topics, w, 20, 20);
            try (ScoringLoop successor = new ScoringLoop(clients, stage, new EnvironmentRewardModel())) {
                long start = System.currentTimeMillis();
                long n = 0;
                while (n == 0 && System.currentTimeMillis() - start < 20_000) {
                    n += successor.pollOnce();
                }
                long waited = System.currentTimeMillis() - start;
                System.out.println("successor scorer got its partitions and committed after " + waited + " ms");
                assertTrue(n > 0, "the successor scored within 20 s (a predecessor that never left used to hold "
                        + "its partitions for max.poll.interval.ms): waited " + waited + " ms");
            } finally {
                try {
                    predecessor.close();
                } catch (RuntimeException fenced) {
                    // The predecessor was fenced by its successor (same transactional and instance id): expected.
                    System.out.println("predecessor close: " + fenced);
                }
            }
        }
    }

    private static void send(KafkaClients clients, Topics topics, UUID w, int from, int n) {
        try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "members-test")) {
            for (int i = from; i < from + n; i++) {
                streams.rollouts().send(KafkaRunStreamsTest.chunk(w, i), e -> {
                    throw new AssertionError(e);
                });
            }
            streams.rollouts().flush();
        }
    }
}
