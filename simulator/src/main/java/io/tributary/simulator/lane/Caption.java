package io.tributary.simulator.lane;

/**
 * A scene caption as the policy sees it: {@value #LENGTH} token ids (padded with {@link Vocabulary#PAD}) plus
 * the road geometry and obstacle side it announces, which the semantic-alignment reward term compares with
 * the steering. Mutable and reused, so refreshing a caption allocates nothing.
 */
public final class Caption {
    /** Token ids per caption (padded or truncated to this). */
    public static final int LENGTH = 50;

    /** Token ids; unused tail is {@link Vocabulary#PAD}. */
    public final int[] tokens = new int[LENGTH];
    /** Announced road geometry: -1 curve right, 0 straight, +1 curve left. */
    public int curve;
    /** Announced obstacle side: -1 right, 0 none, +1 left. */
    public int obstacleSide;

    /** Clears tokens and announcements. */
    public void clear() {
        java.util.Arrays.fill(tokens, Vocabulary.PAD);
        curve = 0;
        obstacleSide = 0;
    }
}
