package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.LocalActorRefProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single-process train keeps a local actor system: no remoting, no cluster, nothing bound for other processes. */
class TrainIsLocalTest {
    @TempDir
    Path dir;

    @Test
    void trainStartsNoRemotingAndNoCluster() {
        AtomicReference<String> provider = new AtomicReference<>();
        AtomicReference<Boolean> global = new AtomicReference<>();
        AtomicReference<String> configured = new AtomicReference<>();
        TrainingRun.Outcome out = TrainingRun.run(TestRuns.cartPole(dir, 512), null, new TrainingRun.Hook() {
            @Override
            public void started(ActorSystem<TrainingGuardian.Command> system, RunContext ctx) {
                provider.set(((ExtendedActorSystem) system.classicSystem()).provider().getClass().getName());
                global.set(system.address().hasGlobalScope());
                configured.set(system.settings().config().getString("pekko.actor.provider"));
            }
        });
        assertEquals(LocalActorRefProvider.class.getName(), provider.get(), "train's actor ref provider");
        assertEquals("local", configured.get());
        assertFalse(global.get(), "train's actor system has no network address");
        assertTrue(out.summary().envSteps() >= 512);
    }
}
