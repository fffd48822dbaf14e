package io.tributary.simulator.lane;

/**
 * Oriented rectangles in world coordinates (static obstacles and lead vehicles) as parallel arrays, so the
 * LiDAR, the collision test and the corridor range read them without allocating.
 */
final class Boxes {
    final int capacity;
    int count;
    final double[] cx;
    final double[] cy;
    final double[] heading;
    final double[] halfLength;
    final double[] halfWidth;
    /** Arc length of the box centre along the road. */
    final double[] s;
    /** Lateral position of the box centre (road coordinates). */
    final double[] lat;

    Boxes(int capacity) {
        this.capacity = capacity;
        cx = new double[capacity];
        cy = new double[capacity];
        heading = new double[capacity];
        halfLength = new double[capacity];
        halfWidth = new double[capacity];
        s = new double[capacity];
        lat = new double[capacity];
    }

    /** Sets box {@code i} (growing {@link #count} to cover it). */
    void set(int i, double x, double y, double h, double length, double width, double arc, double lateral) {
        cx[i] = x;
        cy[i] = y;
        heading[i] = h;
        halfLength[i] = length / 2;
        halfWidth[i] = width / 2;
        s[i] = arc;
        lat[i] = lateral;
        if (i >= count) {
            count = i + 1;
        }
    }

    /**
     * True when box {@code i} overlaps the rectangle centred at (x, y) with heading {@code h} and the given
     * half extents: separating-axis test over the four edge normals of the two rectangles.
     */
    boolean overlaps(int i, double x, double y, double h, double hl, double hw) {
        double dx = cx[i] - x;
        double dy = cy[i] - y;
        double ca = Math.cos(h);
        double sa = Math.sin(h);
        double cb = Math.cos(heading[i]);
        double sb = Math.sin(heading[i]);
        double bl = halfLength[i];
        double bw = halfWidth[i];
        return !separated(dx, dy, ca, sa, hl, cb, sb, bl, bw)
                && !separated(dx, dy, -sa, ca, hw, cb, sb, bl, bw)
                && !separated(dx, dy, cb, sb, bl, ca, sa, hl, hw)
                && !separated(dx, dy, -sb, cb, bw, ca, sa, hl, hw);
    }

    /** Separation along axis (ux, uy), which is an axis of the first box with half-extent {@code own}. */
    private static boolean separated(double dx, double dy, double ux, double uy, double own,
                                     double c, double sn, double l, double w) {
        double dist = Math.abs(dx * ux + dy * uy);
        double other = l * Math.abs(c * ux + sn * uy) + w * Math.abs(-sn * ux + c * uy);
        return dist > own + other;
    }

    /** Euclidean distance from point (px, py) to box {@code i} (0 inside). */
    double distanceTo(int i, double px, double py) {
        double dx = px - cx[i];
        double dy = py - cy[i];
        double c = Math.cos(heading[i]);
        double sn = Math.sin(heading[i]);
        double lx = Math.abs(dx * c + dy * sn) - halfLength[i];
        double ly = Math.abs(-dx * sn + dy * c) - halfWidth[i];
        double ox = Math.max(0, lx);
        double oy = Math.max(0, ly);
        return Math.sqrt(ox * ox + oy * oy);
    }
}
