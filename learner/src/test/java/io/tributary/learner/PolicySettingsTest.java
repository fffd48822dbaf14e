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
    void badPolicySettingsNamePathValueAndRule() {
        assertTrue(failure("tributary.learner.policy.architecture = sequence").startsWith(
                "bad config: path=tributary.learner.policy.architecture, value=sequence, rule=is reserved for the writing"),
                failure("tributary.learner.policy.architecture = sequence"));
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
        assertTrue(e.getMessage().contains("a Box action space needs auto | gaussian | tanh-gaussian"), e.getMessage());
    }
}
