using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace Habitat.Imaging.Processing;

/// <summary>Small dense geometry: symmetric 3×3 eigen-decomposition, enclosing ellipsoids and oriented boxes.</summary>
public static class Geometry
{
    /// <summary>Eigenvalues (descending) and unit eigenvectors (same order) of a symmetric 3×3 matrix,
    /// by cyclic Jacobi rotations (converges to machine precision in a handful of sweeps).</summary>
    public static (double[] Values, Vec3[] Vectors) SymmetricEigen(double[,] matrix)
    {
        Span<double> a = stackalloc double[9];
        Span<double> v = stackalloc double[9];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) a[3 * r + c] = matrix[r, c];
        SymmetricEigenInPlace(a, v);
        var diagonal = new[] { a[0], a[4], a[8] };
        int[] order = [0, 1, 2];
        Array.Sort(order, (i, j) => diagonal[j].CompareTo(diagonal[i]));
        var vectors = new Vec3[3];
        for (int n = 0; n < 3; n++) vectors[n] = new Vec3(v[order[n]], v[3 + order[n]], v[6 + order[n]]);
        return ([diagonal[order[0]], diagonal[order[1]], diagonal[order[2]]], vectors);
    }

    /// <summary>
    /// Cyclic Jacobi on the row-major symmetric 3×3 matrix <paramref name="a"/> (9 values), in place and without
    /// allocation: on return a's diagonal holds the eigenvalues (unordered) and the columns of <paramref name="v"/>
    /// (row-major, overwritten) the matching unit eigenvectors. For per-voxel use (structure tensors).
    /// </summary>
    public static void SymmetricEigenInPlace(Span<double> a, Span<double> v)
    {
        v.Clear();
        v[0] = v[4] = v[8] = 1;
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = Math.Abs(a[1]) + Math.Abs(a[2]) + Math.Abs(a[5]);
            if (off <= 1e-300 || off <= 1e-15 * (Math.Abs(a[0]) + Math.Abs(a[4]) + Math.Abs(a[8]))) break;
            for (int p = 0; p < 2; p++)
                for (int q = p + 1; q < 3; q++)
                {
                    if (a[3 * p + q] == 0) continue;
                    double theta = (a[3 * q + q] - a[3 * p + p]) / (2 * a[3 * p + q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < 3; k++) // A ← A·J
                    {
                        double akp = a[3 * k + p], akq = a[3 * k + q];
                        a[3 * k + p] = c * akp - s * akq; a[3 * k + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) // A ← Jᵀ·A
                    {
                        double apk = a[3 * p + k], aqk = a[3 * q + k];
                        a[3 * p + k] = c * apk - s * aqk; a[3 * q + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++)
                    {
                        double vkp = v[3 * k + p], vkq = v[3 * k + q];
                        v[3 * k + p] = c * vkp - s * vkq; v[3 * k + q] = s * vkp + c * vkq;
                    }
                }
        }
    }

    /// <summary>Surface area of an ellipsoid with semi-axes a ≥ b ≥ c, by the Legendre series the IBSI manual
    /// gives for the approximate enclosing ellipsoid: 4πab Σ_ν (αβ)^ν/(1−4ν²) P_ν((α²+β²)/(2αβ)),
    /// α = √(1−b²/a²), β = √(1−c²/a²), summed to ν = 20. This is the manual's definition, which the IBSI reference
    /// values follow; it is not the exact ellipsoid area (the exact Legendre expansion measures α, β against the
    /// shortest axis): for a prolate spheroid with a/b = 2 it is ≈ 19 % lower.</summary>
    public static double EllipsoidArea(double a, double b, double c)
    {
        double alpha = Math.Sqrt(Math.Max(0, 1 - b * b / (a * a))), beta = Math.Sqrt(Math.Max(0, 1 - c * c / (a * a)));
        // Q_ν = (αβ)^ν P_ν(x) obeys (ν+1) Q_{ν+1} = (2ν+1)·((α²+β²)/2)·Q_ν − ν(αβ)² Q_{ν−1}: no division by αβ.
        double half = (alpha * alpha + beta * beta) / 2, ab2 = alpha * beta * alpha * beta;
        double previous = 1, current = half, sum = 1 + current / (1 - 4.0);
        for (int nu = 1; nu < 20; nu++)
        {
            double next = ((2 * nu + 1) * half * current - nu * ab2 * previous) / (nu + 1);
            previous = current; current = next;
            sum += current / (1 - 4.0 * (nu + 1) * (nu + 1));
        }
        return 4 * Math.PI * a * b * sum;
    }

    /// <summary>Semi-axis lengths (descending) of the minimum-volume enclosing ellipsoid of the points, by
    /// Khachiyan's barycentric coordinate ascent with Todd &amp; Yıldırım's (2007) away steps, stopped when every point lies within
    /// the ellipsoid grown by the factor 1 + <paramref name="tolerance"/> in its dual measure (max_i M_i ≤ (d+1)(1+ε)),
    /// which bounds the relative volume error by about 3ε/2.</summary>
    public static double[] MinimumVolumeEnclosingEllipsoid(IReadOnlyList<Vec3> points, double tolerance = 1e-4, int maxIterations = 100_000)
    {
        int n = points.Count;
        var mean = Vec3.Zero;
        foreach (var p in points) mean += p;
        mean /= n;
        var centred = new Vec3[n];
        for (int i = 0; i < n; i++) centred[i] = points[i] - mean;
        // The same coordinates as three planes, for the vectorised update of every M_i.
        var cx = new double[n];
        var cy = new double[n];
        var cz = new double[n];
        for (int i = 0; i < n; i++) (cx[i], cy[i], cz[i]) = (centred[i].X, centred[i].Y, centred[i].Z);
        if (n < 4) throw new ArgumentException("an enclosing ellipsoid needs at least four points", nameof(points));
        var u = new double[n];
        Array.Fill(u, 1.0 / n);
        // X = Σ u_i q_i q_iᵀ with q_i = (p_i, 1), and M_i = q_iᵀ X⁻¹ q_i. A step moves weight s onto point j:
        // X' = (1−s)X + s q_j q_jᵀ, so X'⁻¹ and every M_i follow by a Sherman–Morrison rank-one update.
        var x = new double[4, 4];
        for (int i = 0; i < n; i++)
        {
            Span<double> q = [centred[i].X, centred[i].Y, centred[i].Z, 1];
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) x[r, c] += u[i] * q[r] * q[c];
        }
        var inverse = Invert4(x);
        var m = new double[n];
        for (int i = 0; i < n; i++) m[i] = QuadraticForm(inverse, centred[i], centred[i]);
        Span<double> xq = stackalloc double[4];
        const int d = 3;
        var (up, away) = MostAndLeastViolating(m, u);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            // Todd–Yıldırım: move weight towards the most violating point, or away from the least
            // useful weighted point when that gains more; the away steps make convergence linear.
            double upGap = m[up] / (d + 1) - 1, awayGap = 1 - m[away] / (d + 1);
            if (upGap <= tolerance) break;
            int j;
            double step;
            if (upGap >= awayGap)
            {
                j = up;
                step = (m[j] - d - 1) / ((d + 1) * (m[j] - 1));
            }
            else
            {
                j = away;
                step = Math.Max((m[j] - d - 1) / ((d + 1) * (m[j] - 1)), -u[j] / (1 - u[j]));
            }
            // X⁻¹q_j, then X'⁻¹ = (X⁻¹ − s·(X⁻¹q_j)(X⁻¹q_j)ᵀ / (1 − s + s·M_j)) / (1 − s).
            Span<double> qj = [centred[j].X, centred[j].Y, centred[j].Z, 1];
            for (int r = 0; r < 4; r++) xq[r] = inverse[r, 0] * qj[0] + inverse[r, 1] * qj[1] + inverse[r, 2] * qj[2] + inverse[r, 3] * qj[3];
            double denominator = 1 - step + step * m[j], scale = 1 / (1 - step);
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) inverse[r, c] = (inverse[r, c] - step * xq[r] * xq[c] / denominator) * scale;
            double xq0 = xq[0], xq1 = xq[1], xq2 = xq[2], xq3 = xq[3];
            // Every weight shrinks by 1 − s and every M_i follows the update of X⁻¹, with M_i − s·t²/(1 − s + s·M_j) / (1 − s)
            // where t = q_iᵀ X⁻¹ q_j, several points per vector step.
            var keep = 1 - step;
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var vx = MemoryMarshal.Cast<double, Vector<double>>(cx.AsSpan());
                var vy = MemoryMarshal.Cast<double, Vector<double>>(cy.AsSpan());
                var vz = MemoryMarshal.Cast<double, Vector<double>>(cz.AsSpan());
                var vm = MemoryMarshal.Cast<double, Vector<double>>(m.AsSpan());
                var vu = MemoryMarshal.Cast<double, Vector<double>>(u.AsSpan());
                Vector<double> a0 = new(xq0), a1 = new(xq1), a2 = new(xq2), a3 = new(xq3);
                Vector<double> vStep = new(step), vDenominator = new(denominator), vScale = new(scale), vKeep = new(keep);
                for (int b = 0; b < vm.Length; b++)
                {
                    var t = vx[b] * a0 + vy[b] * a1 + vz[b] * a2 + a3;
                    vm[b] = (vm[b] - vStep * t * t / vDenominator) * vScale;
                    vu[b] *= vKeep;
                }
                i = vm.Length * Vector<double>.Count;
            }
            for (; i < n; i++)
            {
                double t = cx[i] * xq0 + cy[i] * xq1 + cz[i] * xq2 + xq3;
                m[i] = (m[i] - step * t * t / denominator) * scale;
                u[i] *= keep;
            }
            u[j] += step;
            if (u[j] < 1e-300) u[j] = 0;
            (up, away) = MostAndLeastViolating(m, u);
        }
        // Centre c = Σ u_i p_i; shape matrix E = (Σ u_i p_i p_iᵀ − c cᵀ)·d: semi-axes are √(eigenvalues of E).
        var centre = Vec3.Zero;
        for (int i = 0; i < n; i++) centre += u[i] * centred[i];
        var scatter = new double[3, 3];
        for (int i = 0; i < n; i++)
        {
            var p = centred[i] - centre;
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++) scatter[r, c] += 3 * u[i] * p[r] * p[c];
        }
        var (values, _) = SymmetricEigen(scatter);
        return [.. values.Select(v => Math.Sqrt(Math.Max(0, v)))];
    }

    /// <summary>The point with the largest M_i, and the weighted point with the smallest.</summary>
    private static (int Up, int Away) MostAndLeastViolating(double[] m, double[] u)
    {
        int up = 0, away = -1;
        double most = double.NegativeInfinity, least = double.PositiveInfinity;
        for (int i = 0; i < m.Length; i++)
        {
            double mi = m[i];
            if (mi > most) { most = mi; up = i; }
            if (u[i] > 0 && mi < least) { least = mi; away = i; }
        }
        return (up, away);
    }

    private static double QuadraticForm(double[,] a, Vec3 p, Vec3 q)
    {
        Span<double> x = [p.X, p.Y, p.Z, 1];
        Span<double> y = [q.X, q.Y, q.Z, 1];
        double s = 0;
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) s += x[r] * a[r, c] * y[c];
        return s;
    }

    private static double[,] Invert4(double[,] a)
    {
        // Gauss–Jordan with partial pivoting on [A | I].
        var m = new double[4, 8];
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++) m[r, c] = a[r, c];
            m[r, 4 + r] = 1;
        }
        for (int col = 0; col < 4; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < 4; r++)
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            if (m[pivot, col] == 0) throw new ArgumentException("the points are coplanar: no enclosing ellipsoid has volume");
            for (int c = 0; c < 8; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            double scale = 1 / m[col, col];
            for (int c = 0; c < 8; c++) m[col, c] *= scale;
            for (int r = 0; r < 4; r++)
            {
                if (r == col || m[r, col] == 0) continue;
                double f = m[r, col];
                for (int c = 0; c < 8; c++) m[r, c] -= f * m[col, c];
            }
        }
        var inverse = new double[4, 4];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) inverse[r, c] = m[r, 4 + c];
        return inverse;
    }

    /// <summary>
    /// Edge lengths of the smallest-volume enclosing box with one face normal to one of <paramref name="faceNormals"/>
    /// (typically the convex hull's face normals): for each, the points are projected onto the plane and the
    /// minimum-area enclosing rectangle of the projection is found by rotating calipers over its 2-D hull edges
    /// (Freeman &amp; Shapira 1975). The true minimum-volume box may be flush with hull edges only (O'Rourke 1985),
    /// so this is an upper bound on it.
    /// </summary>
    /// <param name="hullFaceAreas">Optional area vectors (outward normal × area) of the faces of the points' convex
    /// hull. They prune orientations without changing the result: a closed convex surface projects onto the plane
    /// normal to n twice, so its shadow has area ½ Σ_f |a_f · n|, and every rectangle enclosing the projection is at
    /// least that large. Orientations are visited in increasing order of this bound (height × shadow), so the best box
    /// is found early and the search stops at the first orientation whose bound exceeds it, before its 2-D hull and
    /// calipers. Ties keep the orientation listed first, as an exhaustive search in the given order would.</param>
    public static (double A, double B, double C) MinimumVolumeHullFaceBox(IReadOnlyList<Vec3> points, IEnumerable<Vec3> faceNormals,
        ReadOnlySpan<Vec3> hullFaceAreas = default)
    {
        var vertices = points.ToArray();
        int count = vertices.Length;
        var normals = faceNormals.Select(normal => normal.Normalized()).ToArray();
        var lows = new double[normals.Length];
        var highs = new double[normals.Length];
        var bounds = new double[normals.Length];
        var visit = new int[normals.Length];
        for (int o = 0; o < normals.Length; o++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = 0; i < count; i++)
            {
                double h = vertices[i].Dot(normals[o]);
                lo = Math.Min(lo, h); hi = Math.Max(hi, h);
            }
            lows[o] = lo; highs[o] = hi;
            bounds[o] = hullFaceAreas.IsEmpty ? 0 : (hi - lo) * ShadowArea(hullFaceAreas, normals[o]);
            visit[o] = o;
        }
        // Increasing bound, ties in the given order (a stable order for equal keys).
        Array.Sort(visit, (a, b) => bounds[a] != bounds[b] ? bounds[a].CompareTo(bounds[b]) : a.CompareTo(b));

        var xs = new double[count];
        var ys = new double[count];
        var keys = new double[count];
        var order = new int[count];
        var hull = new int[2 * count + 1];
        var best = (A: double.PositiveInfinity, B: 0.0, C: 0.0);
        double bestVolume = double.PositiveInfinity;
        int bestOrientation = int.MaxValue;
        foreach (int o in visit)
        {
            // The margin keeps the stop safe against round-off: no orientation left could reach the best volume.
            if (bounds[o] > bestVolume * (1 + 1e-9)) break;
            var n = normals[o];
            var u = (Math.Abs(n.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0)).Cross(n).Normalized();
            var v = n.Cross(u);
            for (int i = 0; i < count; i++)
            {
                var p = vertices[i];
                xs[i] = p.Dot(u); ys[i] = p.Dot(v);
            }
            int m = ConvexHull2D(xs, ys, keys, order, hull);
            var (width, depth) = MinimumAreaRectangle(xs, ys, hull, m);
            double height = highs[o] - lows[o], volume = width * depth * height;
            if (volume < bestVolume || (volume == bestVolume && o < bestOrientation))
            {
                bestVolume = volume;
                bestOrientation = o;
                best = (width, depth, height);
            }
        }
        return best;
    }

    /// <summary>Area of the projection of a closed convex surface, given by its face area vectors, onto the plane
    /// normal to the unit vector <paramref name="n"/>.</summary>
    private static double ShadowArea(ReadOnlySpan<Vec3> faceAreas, Vec3 n)
    {
        double sum = 0;
        foreach (var a in faceAreas) sum += Math.Abs(a.Dot(n));
        return sum / 2;
    }

    /// <summary>Convex hull of the points (<paramref name="xs"/>[i], <paramref name="ys"/>[i]): the indices of its
    /// vertices, counter-clockwise, collinear points dropped.</summary>
    public static int[] ConvexHull2D(double[] xs, double[] ys)
    {
        if (xs.Length != ys.Length) throw new ArgumentException($"{xs.Length} x but {ys.Length} y coordinates");
        if (xs.Length == 0) return [];
        var hull = new int[2 * xs.Length + 1];
        int m = ConvexHull2D(xs, ys, new double[xs.Length], new int[xs.Length], hull);
        return hull[..m];
    }

    /// <summary>Andrew's monotone chain: writes the hull counter-clockwise (collinear points dropped) into
    /// <paramref name="hull"/> and returns its length. <paramref name="keys"/> and <paramref name="order"/> are work space.
    /// Points clearly inside the quadrilateral of the extreme points in x and y cannot be hull vertices and are left out
    /// before sorting (Akl &amp; Toussaint 1978); those within round-off of its sides are kept.</summary>
    private static int ConvexHull2D(double[] xs, double[] ys, double[] keys, int[] order, int[] hull)
    {
        int count = xs.Length;
        int left = 0, right = 0, bottom = 0, top = 0;
        for (int i = 1; i < count; i++)
        {
            if (xs[i] < xs[left]) left = i;
            if (xs[i] > xs[right]) right = i;
            if (ys[i] < ys[bottom]) bottom = i;
            if (ys[i] > ys[top]) top = i;
        }
        double extent = Math.Max(xs[right] - xs[left], ys[top] - ys[bottom]);
        double margin = 1e-9 * extent * extent;
        int n = 0;
        for (int i = 0; i < count; i++)
        {
            bool inside = Cross(xs, ys, left, bottom, i) > margin && Cross(xs, ys, bottom, right, i) > margin
                && Cross(xs, ys, right, top, i) > margin && Cross(xs, ys, top, left, i) > margin;
            if (inside) continue;
            order[n] = i;
            keys[n++] = xs[i];
        }
        Array.Sort(keys, order, 0, n);
        // Lexicographic order: sort runs of equal x by y (runs are short).
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && keys[j - 1] == keys[j] && ys[order[j - 1]] > ys[order[j]]; j--)
                (order[j - 1], order[j]) = (order[j], order[j - 1]);
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            while (k >= 2 && Cross(xs, ys, hull[k - 2], hull[k - 1], order[i]) <= 0) k--;
            hull[k++] = order[i];
        }
        for (int i = n - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(xs, ys, hull[k - 2], hull[k - 1], order[i]) <= 0) k--;
            hull[k++] = order[i];
        }
        return Math.Max(k - 1, 1); // the last point repeats the first
    }

    /// <summary>(a − o) × (b − o): positive when o, a, b turn counter-clockwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Cross(double[] xs, double[] ys, int o, int a, int b) =>
        (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);

    /// <summary>Sides of the minimum-area rectangle enclosing a convex polygon (counter-clockwise): one side is
    /// collinear with a polygon edge (Freeman &amp; Shapira 1975); rotating calipers find the extreme points for
    /// every edge in one sweep, since they advance monotonically around the polygon.</summary>
    private static (double, double) MinimumAreaRectangle(double[] xs, double[] ys, int[] hull, int m)
    {
        double bestArea = double.PositiveInfinity, bestWidth = 0, bestHeight = 0;
        int far = 0, ahead = 0, behind = 0; // max height, max and min position along the edge
        for (int e = 0; e < m; e++)
        {
            int a = hull[e], b = hull[Next(e, m)];
            double dx = xs[b] - xs[a], dy = ys[b] - ys[a], length = Math.Sqrt(dx * dx + dy * dy);
            if (length == 0) continue;
            dx /= length; dy /= length;
            double ax = xs[a], ay = ys[a];
            double Along(int i) => (xs[hull[i]] - ax) * dx + (ys[hull[i]] - ay) * dy;
            double Height(int i) => (ys[hull[i]] - ay) * dx - (xs[hull[i]] - ax) * dy;
            if (e == 0)
            {
                for (int i = 1; i < m; i++)
                {
                    if (Along(i) > Along(ahead)) ahead = i;
                    if (Along(i) < Along(behind)) behind = i;
                    if (Height(i) > Height(far)) far = i;
                }
            }
            else
            {
                for (int steps = 0; steps < m && Along(Next(ahead, m)) >= Along(ahead); steps++) ahead = Next(ahead, m);
                for (int steps = 0; steps < m && Height(Next(far, m)) >= Height(far); steps++) far = Next(far, m);
                for (int steps = 0; steps < m && Along(Next(behind, m)) <= Along(behind); steps++) behind = Next(behind, m);
            }
            double width = Along(ahead) - Along(behind), height = Height(far);
            if (width * height < bestArea) { bestArea = width * height; bestWidth = width; bestHeight = height; }
        }
        return (bestWidth, bestHeight);
    }

    /// <summary>The polygon vertex after <paramref name="i"/> of <paramref name="m"/> (cyclic).</summary>
    private static int Next(int i, int m) => i + 1 == m ? 0 : i + 1;
}
