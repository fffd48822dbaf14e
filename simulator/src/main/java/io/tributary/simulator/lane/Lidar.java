package io.tributary.simulator.lane;

/**
 * The analytic 180-ray LiDAR: rays fan over the front 180 degrees at the centres of 1-degree bins (ray 0
 * points 89.5 degrees right, ray 179 89.5 degrees left, so reversing the array mirrors the scan), range
 * {@value #RANGE_M} m, from the front-bumper centre. Ranges are exact ray-segment intersections against the
 * road-edge polylines (2.5 m chords of the clothoids) and obstacle and vehicle boxes. Culling: only edge
 * chords within an arc-length window around the car, and only segments with an endpoint within range, are
 * tested, and each segment only against the rays inside its angular span (found with a fast arctangent and
 * widened by one ray, so the approximation never drops a hit). Allocation-free.
 */
final class Lidar {
    /** Number of rays (even: the noise is drawn for pairs of rays). */
    static final int RAYS = 180;
    /** Maximum range; a ray that hits nothing reads this. */
    static final double RANGE_M = 100.0;
    private static final double RAY_STEP = Math.PI / RAYS;
    /** Edge chords considered behind / ahead of the car's arc length: ahead is longer because roads curve. */
    private static final double WINDOW_BEHIND = 10.0;
    private static final double WINDOW_AHEAD = 220.0;

    private static final double[] COS = new double[RAYS];
    private static final double[] SIN = new double[RAYS];

    static {
        for (int i = 0; i < RAYS; i++) {
            double a = angle(i);
            COS[i] = Math.cos(a);
            SIN[i] = Math.sin(a);
        }
    }

    // Car-local endpoints of the previous edge point (shared by consecutive chords).
    private double ox;
    private double oy;
    private double cosH;
    private double sinH;

    /** Angle of ray {@code i} relative to the heading, radians (left positive). */
    static double angle(int i) {
        return -Math.PI / 2 + (i + 0.5) * RAY_STEP;
    }

    /** Starts a scan from (x, y) looking along {@code heading}: every ray reads {@link #RANGE_M}. */
    void begin(double x, double y, double heading, double[] ranges, int offset) {
        ox = x;
        oy = y;
        cosH = Math.cos(heading);
        sinH = Math.sin(heading);
        for (int i = 0; i < RAYS; i++) {
            ranges[offset + i] = RANGE_M;
        }
    }

    /** Adds both road edges near arc length {@code s}. */
    void addEdges(Road road, double s, double[] ranges, int offset) {
        double chord = Road.DS * Road.EDGE_STRIDE;
        int lo = Math.max(0, (int) ((s - WINDOW_BEHIND) / chord));
        int hi = Math.min(Road.EDGE_POINTS - 1, (int) Math.ceil((s + WINDOW_AHEAD) / chord));
        addPolyline(road.leftX, road.leftY, lo, hi, ranges, offset);
        addPolyline(road.rightX, road.rightY, lo, hi, ranges, offset);
    }

    private void addPolyline(double[] px, double[] py, int lo, int hi, double[] ranges, int offset) {
        double r2 = RANGE_M * RANGE_M;
        double dx = px[lo] - ox;
        double dy = py[lo] - oy;
        double ax = dx * cosH + dy * sinH;
        double ay = -dx * sinH + dy * cosH;
        double aAngle = fastAtan2(ay, ax);
        boolean aFar = ax * ax + ay * ay > r2;
        for (int e = lo + 1; e <= hi; e++) {
            dx = px[e] - ox;
            dy = py[e] - oy;
            double bx = dx * cosH + dy * sinH;
            double by = -dx * sinH + dy * cosH;
            boolean bFar = bx * bx + by * by > r2;
            // A 2.5 m chord with both ends beyond range can reach inside it by under 1 cm: not worth a test.
            if (aFar && bFar || ax < 0 && bx < 0) {
                ax = bx;
                ay = by;
                aFar = bFar;
                aAngle = Double.NaN;
                continue;
            }
            if (Double.isNaN(aAngle)) {
                aAngle = fastAtan2(ay, ax);
            }
            double bAngle = fastAtan2(by, bx);
            castSegment(ax, ay, bx, by, aAngle, bAngle, ranges, offset);
            ax = bx;
            ay = by;
            aFar = bFar;
            aAngle = bAngle;
        }
    }

    /** Adds every box of {@code boxes} that can be within range. */
    void addBoxes(Boxes boxes, double[] ranges, int offset) {
        for (int i = 0; i < boxes.count; i++) {
            addBox(boxes.cx[i], boxes.cy[i], boxes.heading[i], boxes.halfLength[i], boxes.halfWidth[i], ranges, offset);
        }
    }

    /** Adds one oriented box given by centre, heading and half extents (world frame). */
    void addBox(double cx, double cy, double h, double hl, double hw, double[] ranges, int offset) {
        double dx = cx - ox;
        double dy = cy - oy;
        double lx = dx * cosH + dy * sinH;
        double ly = -dx * sinH + dy * cosH;
        double reach = Math.abs(hl) + Math.abs(hw);
        if (lx < -reach || lx * lx + ly * ly > (RANGE_M + reach) * (RANGE_M + reach)) {
            return;
        }
        // Box axes in the car frame.
        double rel = h;
        double c = Math.cos(rel) * cosH + Math.sin(rel) * sinH;
        double sn = Math.sin(rel) * cosH - Math.cos(rel) * sinH;
        double ux = c * hl;
        double uy = sn * hl;
        double vx = -sn * hw;
        double vy = c * hw;
        double x0 = lx + ux + vx;
        double y0 = ly + uy + vy;
        double x1 = lx - ux + vx;
        double y1 = ly - uy + vy;
        double x2 = lx - ux - vx;
        double y2 = ly - uy - vy;
        double x3 = lx + ux - vx;
        double y3 = ly + uy - vy;
        double a0 = fastAtan2(y0, x0);
        double a1 = fastAtan2(y1, x1);
        double a2 = fastAtan2(y2, x2);
        double a3 = fastAtan2(y3, x3);
        castSegment(x0, y0, x1, y1, a0, a1, ranges, offset);
        castSegment(x1, y1, x2, y2, a1, a2, ranges, offset);
        castSegment(x2, y2, x3, y3, a2, a3, ranges, offset);
        castSegment(x3, y3, x0, y0, a3, a0, ranges, offset);
    }

    /** Intersects the rays inside the segment's angular span with the segment (car frame). */
    private static void castSegment(double ax, double ay, double bx, double by, double aAngle, double bAngle,
                                    double[] ranges, int offset) {
        double lo = Math.min(aAngle, bAngle);
        double hi = Math.max(aAngle, bAngle);
        if (hi - lo <= Math.PI) {
            castRange(ax, ay, bx, by, lo, hi, ranges, offset);
        } else {
            // The segment passes behind the car: its span wraps through +-pi; keep the front parts.
            castRange(ax, ay, bx, by, hi, Math.PI, ranges, offset);
            castRange(ax, ay, bx, by, -Math.PI, lo, ranges, offset);
        }
    }

    private static void castRange(double ax, double ay, double bx, double by, double lo, double hi,
                                  double[] ranges, int offset) {
        if (hi < -Math.PI / 2 - RAY_STEP || lo > Math.PI / 2 + RAY_STEP) {
            return;
        }
        int first = Math.max(0, (int) Math.floor((lo + Math.PI / 2) / RAY_STEP - 0.5) - 1);
        int last = Math.min(RAYS - 1, (int) Math.ceil((hi + Math.PI / 2) / RAY_STEP - 0.5) + 1);
        double ex = bx - ax;
        double ey = by - ay;
        for (int i = first; i <= last; i++) {
            double c = COS[i];
            double s = SIN[i];
            double denom = c * ey - s * ex;
            if (denom == 0) {
                continue;
            }
            double t = (ax * ey - ay * ex) / denom;
            double u = (ax * s - ay * c) / denom;
            if (t >= 0 && u >= 0 && u <= 1 && t < ranges[offset + i]) {
                ranges[offset + i] = t;
            }
        }
    }

    /**
     * atan2 within about 0.004 rad, a quarter of the ray spacing (a rational approximation of atan on [0, 1] plus octant folding): used
     * only to pick candidate rays, which are widened by one ray on each side.
     */
    static double fastAtan2(double y, double x) {
        double ax = Math.abs(x);
        double ay = Math.abs(y);
        if (ax == 0 && ay == 0) {
            return 0;
        }
        double a = Math.min(ax, ay) / Math.max(ax, ay);
        double r = a * (Math.PI / 4 + 0.273 * (1 - a));
        if (ay > ax) {
            r = Math.PI / 2 - r;
        }
        if (x < 0) {
            r = Math.PI - r;
        }
        return y < 0 ? -r : r;
    }
}
