package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.simulator.Space;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySettingsTest {

    private static String failure(String overrides) {
        return assertThrows(SettingsException.class, () -> LearnerSettings.defaults(overrides)).getMessage();
    }

    private static Space.Composite lane() {
        Map<String, Space> f = new LinkedHashMap<>();
        f.put("lidar", Space.Box.uniform(180, 0f, 100f));
        f.put("state", Space.Box.uniform(4, -1f, 1f));
        f.put("scene", new Space.TokenIds(6, 32));
        return new Space.Composite(f);
    }

    @Test
    void defaultsGiveTodaysTanhMlpWithTheAlgorithmsWidths() {
        PolicySettings p = LearnerSettings.defaults("").policy();
        assertEquals(PolicySpec.Architecture.MLP, p.architecture());
        assertEquals(PolicySpec.Activation.TANH, p.activation());
        assertEquals(0, p.hiddenSizes().length);
        PolicySpec box = PolicySpec.forSpaces(p, Space.Box.uniform(4, -1f, 1f), new Space.Discrete(2), new int[] {64, 64});
        assertEquals(new PolicySpec(4, PolicySpec.Head.CATEGORICAL, 2, new int[] {64, 64}, new float[0], new float[0]), box);
        assertTrue(box.isPlainTanhMlp());
        PolicySpec pend = PolicySpec.forSpaces(p, Space.Box.uniform(3, -8f, 8f), Space.Box.uniform(1, -2f, 2f), new int[] {64, 64});
        assertEquals(PolicySpec.Head.GAUSSIAN, pend.head());
        assertArrayEquals(new float[] {-2f}, pend.actionLow());
    }

    @Test
    void fusionFieldsFollowTheSubtree() {
        LearnerSettings s = LearnerSettings.defaults("tributary.learner.policy { architecture = fusion, activation = relu, "
                + "hidden-sizes = [32], head = tanh-gaussian, branch-hidden-sizes = [16], embedding-dim = 5, "
                + "fields { lidar { normalize = false, hidden-sizes = [64, 32] }, scene { embedding-dim = 3 }, "
                + "state { enabled = false } } }");
        PolicySpec spec = PolicySpec.forSpaces(s.policy(), lane(), Space.Box.uniform(2, -1f, 1f), new int[] {64, 64});
        assertEquals(PolicySpec.Architecture.FUSION, spec.architecture());
        assertEquals(PolicySpec.Activation.RELU, spec.activation());
        assertEquals(PolicySpec.Head.TANH_GAUSSIAN, spec.head());
        assertArrayEquals(new int[] {32}, spec.hiddenSizes());
        ObservationField lidar = spec.fields().get(0);
        assertFalse(lidar.normalize());
        assertArrayEquals(new int[] {64, 32}, lidar.hiddenSizes());
        assertFalse(spec.fields().get(1).enabled());
        assertArrayEquals(new int[] {16}, spec.fields().get(1).hiddenSizes());
        ObservationField scene = spec.fields().get(2);
        assertEquals(ObservationField.Kind.TOKENS, scene.kind());
        assertEquals(32, scene.vocabSize());
        assertEquals(3, scene.embeddingDim());
        assertFalse(scene.normalize());
        assertEquals(190, spec.observationSize());
        assertEquals(java.util.List.of("nope"), LearnerSettings.defaults("tributary.learner.policy.fields.nope.enabled = false")
                .policy().unknownFields(lane()));
    }

    @Test
    void sequenceArchitectureGivesTheLanguageModelSpec() {
        PolicySettings p = LearnerSettings.defaults("tributary.learner.policy.architecture = sequence\n"
                + "tributary.learner.policy.sequence { vocab-size = 300, embedding-dim = 16, hidden-size = 24, prompt-length = 7 }")
                .policy();
        assertEquals(PolicySpec.Architecture.SEQUENCE, p.architecture());
        PolicySpec spec = p.sequenceSpec();
        assertEquals(PolicySpec.sequence(300, 16, 24, 7), spec);
        assertEquals(7, spec.observationSize());
        assertEquals(300, spec.actionSize());
        assertEquals(PolicySpec.SEQUENCE_FIELD, spec.fields().get(0).name());
        // a sequence policy is not built from environment spaces, and has no dense layout to mis-read
        SettingsException e = assertThrows(SettingsException.class,
                () -> PolicySpec.forSpaces(p, new Space.Box(new float[] {-1f}, new float[] {1f}), new Space.Discrete(2),
                        new int[] {8}));
        assertTrue(e.getMessage().startsWith("bad config: path=tributary.learner.policy.architecture, value=sequence"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolicyLayout.actor(spec));
        // the default architecture refuses sequenceSpec()
        assertThrows(SettingsException.class, () -> LearnerSettings.defaults("").policy().sequenceSpec());
        // a sequence spec must be one token field with a categorical head over its vocabulary
        assertThrows(IllegalArgumentException.class, () -> new PolicySpec(PolicySpec.Architecture.SEQUENCE,
                PolicySpec.Activation.TANH, spec.fields(), new int[] {24}, PolicySpec.Head.CATEGORICAL, 299,
                new float[0], new float[0]));
    }

    @Test
    void badPolicySettingsNamePathValueAndRule() {
        assertEquals("bad config: path=tributary.learner.policy.architecture, value=rnn, rule=must be one of mlp | fusion"
                + " | sequence", failure("tributary.learner.policy.architecture = rnn"));
        assertEquals("bad config: path=tributary.learner.policy.sequence.vocab-size, value=5, rule=must be in [6, 1048576]"
                + " (special tokens + a word)", failure("tributary.learner.policy.sequence.vocab-size = 5"));
        assertEquals("bad config: path=tributary.learner.policy.sequence.prompt-length, value=0, rule=must be in [1, 4096]",
                failure("tributary.learner.policy.sequence.prompt-length = 0"));
        assertEquals("bad config: path=tributary.learner.policy.activation, value=gelu, rule=must be one of tanh | relu",
                failure("tributary.learner.policy.activation = gelu"));
        assertEquals("bad config: path=tributary.learner.policy.fields.lidar.width, value=3, rule=unknown field option;"
                        + " must be one of embedding-dim | enabled | hidden-sizes | normalize",
                failure("tributary.learner.policy.fields.lidar.width = 3"));
        PolicySettings tokensNormalised = LearnerSettings.defaults("tributary.learner.policy.fields.scene.normalize = true").policy();
        SettingsException e = assertThrows(SettingsException.class,
                () -> PolicySpec.forSpaces(tokensNormalised, lane(), new Space.Discrete(3), new int[] {8}));
        assertEquals("bad config: path=tributary.learner.policy.fields.scene.normalize, value=true, rule=token ids are never"
                + " normalised", e.getMessage());
        PolicySettings categoricalBox = LearnerSettings.defaults("tributary.learner.policy.head = categorical").policy();
        e = assertThrows(SettingsException.class,
                () -> PolicySpec.forSpaces(categoricalBox, lane(), Space.Box.uniform(1, -1f, 1f), new int[] {8}));
        assertTrue(e.getMessage().contains("a Box action space needs auto | gaussian | bounded-gaussian | tanh-gaussian"),
                e.getMessage());
        PolicySettings boundedDiscrete = LearnerSettings.defaults("tributary.learner.policy.head = bounded-gaussian").policy();
        assertEquals(PolicySpec.Head.BOUNDED_GAUSSIAN, PolicySpec.forSpaces(boundedDiscrete, lane(), Space.Box.uniform(2, -1f, 1f),
                new int[] {8}).head());
        e = assertThrows(SettingsException.class,
                () -> PolicySpec.forSpaces(boundedDiscrete, lane(), new Space.Discrete(3), new int[] {8}));
        assertEquals("bad config: path=tributary.learner.policy.head, value=bounded-gaussian, rule=a Discrete action space"
                + " needs auto | categorical", e.getMessage());
        e = assertThrows(SettingsException.class,
                () -> PolicySpec.forSpaces(boundedDiscrete, lane(), Space.Box.uniform(1, Float.NEGATIVE_INFINITY,
                        Float.POSITIVE_INFINITY), new int[] {8}));
        assertEquals("bad config: path=tributary.learner.policy.head, value=bounded-gaussian, rule=squashes into the action"
                + " bounds, which must be finite with low < high: index=0, low=-Infinity, high=Infinity", e.getMessage());
    }
}
