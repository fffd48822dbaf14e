package io.tributary.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.actors.Learner;
import io.tributary.actors.Monitor;
import io.tributary.actors.RolloutWorker;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode's serialization: every message that crosses nodes goes through Jackson and comes back equal;
 * a message without the marker cannot be sent at all (Java serialization is off); and the settings reject
 * cluster-mode Kafka timeouts above 10 s.
 */
class ClusterSerializationTest {
    private static TributaryConfig config(String... extra) {
        List<String> o = new java.util.ArrayList<>(List.of("tributary.cluster.port=0"));
        o.addAll(List.of(extra));
        return TributaryConfig.load(Path.of("..", "configs", "cartpole-ppo.conf"), o);
    }

    @Test
    void crossNodeMessagesRoundTripThroughJacksonAndJavaSerializationIsOff() throws Exception {
        TributaryConfig c = config();
        ClusterSettings cs = ClusterSettings.fromConfig(c.config());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME,
                cs.actorSystemConfig(c.config()));
        try {
            Serialization ser = SerializationExtension.get(system.classicSystem());
            ActorRef<RolloutWorker.Stopped> stoppedRef = system.unsafeUpcast();
            ActorRef<NodeGuardian.SlotDrained> drainedRef = system.unsafeUpcast();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("worker", 3);
            fields.put("reason", "boom");
            List<Object> messages = List.of(
                    new Monitor.EpisodeFinished(2, 17.5, 18, "127.0.0.1:25521"),
                    new Monitor.UpdateDone(4, true, 1024, 30, 1, 0.0, 1.0, 12.5, 80.0, Map.of("loss", 0.25)),
                    new Monitor.Note("worker_restart", fields),
                    new RolloutWorker.Stop(stoppedRef),
                    new RolloutWorker.Stopped(5, 40, 1280),
                    new NodeGuardian.RunFinished("run x finished"),
                    new NodeGuardian.RunFailed("run x failed: boom"),
                    new NodeGuardian.DrainScorers(drainedRef),
                    new NodeGuardian.SlotDrained(1, 99, 0),
                    new NodeGuardian.GetStatus(system.unsafeUpcast()),
                    new NodeGuardian.Status("127.0.0.1:25520", List.of("rollout", "reward"), 4, 2, List.of(0, 2), 4, 2));
            for (Object m : messages) {
                assertTrue(m instanceof JsonSerializable, "marked: " + m);
                org.apache.pekko.serialization.Serializer s = ser.findSerializerFor(m);
                assertTrue(s.getClass().getName().contains("Jackson"), m.getClass() + " uses " + s.getClass());
                byte[] bytes = ser.serialize(m).get();
                Object back = ser.deserialize(bytes, s.identifier(), Serializers.manifestFor(s, m)).get();
                assertEquals(m, back, "round trip of " + m.getClass().getSimpleName());
            }
            // A message that must stay inside one node (it carries a policy and histograms) has no marker: in
            // cluster mode it cannot be serialized, so sending it to another node fails loudly.
            Learner.Drain local = new Learner.Drain(system.unsafeUpcast());
            assertTrue(ser.serialize(local).isFailure(), "Java serialization is off");
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    @Test
    void clusterModeKafkaTimeoutsAreAtMostTenSeconds() {
        ClusterSettings cs = ClusterSettings.fromConfig(config().config());
        TributaryConfig applied = config().with(cs.kafkaOverrides());
        assertEquals(10_000, applied.kafka().sessionTimeoutMs());
        assertEquals(10_000, applied.kafka().transactionTimeoutMs());
        // train keeps Kafka's defaults
        assertEquals(45_000, config().kafka().sessionTimeoutMs());
        assertThrows(SettingsException.class, () -> ClusterSettings.fromConfig(
                config("tributary.cluster.kafka.transaction-timeout-ms=30000").config()));
        assertThrows(SettingsException.class, () -> ClusterSettings.fromConfig(config("tributary.cluster.roles=[gpu]").config()));
        assertThrows(SettingsException.class, () -> ClusterSettings.fromConfig(
                config("tributary.cluster.seed-nodes=[\"nohost\"]").config()));
    }
}
