package io.tributary.simulator.lane;

/**
 * Turns the scene into a caption for the policy's token branch (refreshed every 10 steps). The default,
 * {@link GroundTruthCaptioner}, phrases the simulator's ground truth; this interface is where a real
 * vision-language captioner plugs in (it would render or receive the scene and write its own tokens and
 * announcements). Called on the environment's thread during {@code step}, so it must not allocate.
 */
public interface SceneCaptioner {
    /** Writes the caption of {@code facts} into {@code out} (tokens from {@code vocabulary}, announcements). */
    void caption(SceneFacts facts, Vocabulary vocabulary, Caption out);
}
