package io.tributary.simulator.lane;

/**
 * Ground truth about the scene ahead that {@code LaneKeeping-v0} hands to its {@link SceneCaptioner} at each
 * caption refresh. Mutable and reused (no allocation per refresh); values in metres and 1/m, left positive.
 */
public final class SceneFacts {
    /** Signed curvature of largest magnitude on the road 5-40 m ahead, 1/m. */
    public double curvatureAhead;
    /** True when a static obstacle lies 0-60 m ahead (along the road). */
    public boolean obstacleAhead;
    /** Distance along the road to that obstacle, metres. */
    public double obstacleDistance;
    /** Lateral position of that obstacle's centre, metres (left positive). */
    public double obstacleLateral;
    /** True when a lead vehicle lies 0-60 m ahead in the ego lane. */
    public boolean leadAhead;
    /** Distance along the road to that lead vehicle, metres. */
    public double leadDistance;
}
