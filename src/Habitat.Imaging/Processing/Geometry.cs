namespace Habitat.Imaging.Processing;

/// <summary>Small dense geometry: symmetric 3×3 eigen-decomposition, enclosing ellipsoids and oriented boxes.</summary>
public static class Geometry
{
    /// <summary>Eigenvalues (descending) and unit eigenvectors (same order) of a symmetric 3×3 matrix,
    /// by cyclic Jacobi rotations (converges to machine precision in a handful of sweeps).</summary>
    public static (double[] Values, Vec3[] Vectors) SymmetricEigen(double[,] matrix)
    {
        var a = (double[,])matrix.Clone();
        var v = new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = Math.Abs(a[0, 1]) + Math.Abs(a[0, 2]) + Math.Abs(a[1, 2]);
            if (off <= 1e-300 || off <= 1e-15 * (Math.Abs(a[0, 0]) + Math.Abs(a[1, 1]) + Math.Abs(a[2, 2]))) break;
            for (int p = 0; p < 2; p++)
                for (int q = p + 1; q < 3; q++)
                {
                    if (a[p, q] == 0) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < 3; k++) // A ← A·J
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq; a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) // A ← Jᵀ·A
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk; a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq; v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        int[] order = [0, 1, 2];
        Array.Sort(order, (i, j) => a[j, j].CompareTo(a[i, i]));
        return ([a[order[0], order[0]], a[order[1], order[1]], a[order[2], order[2]]],
                [.. order.Select(i => new Vec3(v[0, i], v[1, i], v[2, i]))]);
    }

    /// <summary>Surface area of an ellipsoid with semi-axes a ≥ b ≥ c, by the Legendre series the IBSI manual
    /// gives for the approximate enclosing ellipsoid: 4πab Σ_ν (αβ)^ν/(1−4ν²) P_ν((α²+β²)/(2αβ)),
    /// α = √(1−b²/a²), β = √(1−c²/a²), summed to ν = 20.</summary>
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
        points = centred;
        if (n < 4) throw new ArgumentException("an enclosing ellipsoid needs at least four points", nameof(points));
        var u = new double[n];
        Array.Fill(u, 1.0 / n);
        // X = Σ u_i q_i q_iᵀ with q_i = (p_i, 1), and M_i = q_iᵀ X⁻¹ q_i. A step moves weight s onto point j:
        // X' = (1−s)X + s q_j q_jᵀ, so X'⁻¹ and every M_i follow by a Sherman–Morrison rank-one update.
        var x = new double[4, 4];
        for (int i = 0; i < n; i++)
        {
            Span<double> q = [points[i].X, points[i].Y, points[i].Z, 1];
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) x[r, c] += u[i] * q[r] * q[c];
        }
        var inverse = Invert4(x);
        var m = new double[n];
        for (int i = 0; i < n; i++) m[i] = QuadraticForm(inverse, points[i], points[i]);
        Span<double> xq = stackalloc double[4];
        const int d = 3;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            // Todd–Yıldırım: move weight towards the most violating point, or away from the least
            // useful weighted point when that gains more; the away steps make convergence linear.
            int up = 0, away = -1;
            for (int i = 0; i < n; i++)
            {
                if (m[i] > m[up]) up = i;
                if (u[i] > 0 && (away < 0 || m[i] < m[away])) away = i;
            }
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
            for (int i = 0; i < n; i++) u[i] *= 1 - step;
            u[j] += step;
            if (u[j] < 1e-300) u[j] = 0;
            // X⁻¹q_j, then X'⁻¹ = (X⁻¹ − s·(X⁻¹q_j)(X⁻¹q_j)ᵀ / (1 − s + s·M_j)) / (1 − s).
            Span<double> qj = [points[j].X, points[j].Y, points[j].Z, 1];
            for (int r = 0; r < 4; r++) xq[r] = inverse[r, 0] * qj[0] + inverse[r, 1] * qj[1] + inverse[r, 2] * qj[2] + inverse[r, 3] * qj[3];
            double denominator = 1 - step + step * m[j], scale = 1 / (1 - step);
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) inverse[r, c] = (inverse[r, c] - step * xq[r] * xq[c] / denominator) * scale;
            for (int i = 0; i < n; i++)
            {
                var p = points[i];
                double t = p.X * xq[0] + p.Y * xq[1] + p.Z * xq[2] + xq[3]; // q_iᵀ X⁻¹ q_j
                m[i] = (m[i] - step * t * t / denominator) * scale;
            }
        }
        // Centre c = Σ u_i p_i; shape matrix E = (Σ u_i p_i p_iᵀ − c cᵀ)·d: semi-axes are √(eigenvalues of E).
        var centre = Vec3.Zero;
        for (int i = 0; i < n; i++) centre += u[i] * points[i];
        var scatter = new double[3, 3];
        for (int i = 0; i < n; i++)
        {
            var p = points[i] - centre;
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++) scatter[r, c] += 3 * u[i] * p[r] * p[c];
        }
        var (values, _) = SymmetricEigen(scatter);
        return [.. values.Select(v => Math.Sqrt(Math.Max(0, v)))];
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
    /// Edge lengths of the smallest-volume box with one face flush with a face of the convex hull: for every
    /// distinct hull-face normal, the points are projected onto the face plane and the minimum-area enclosing
    /// rectangle of the projection is found by rotating calipers over its 2-D hull edges (Freeman &amp; Shapira 1975).
    /// The true minimum-volume box may be flush with hull edges only (O'Rourke 1985), so this is an upper bound.
    /// </summary>
    public static (double A, double B, double C) MinimumVolumeHullFaceBox(IReadOnlyList<Vec3> points, IEnumerable<Vec3> faceNormals)
    {
        var best = (A: double.PositiveInfinity, B: 0.0, C: 0.0);
        double bestVolume = double.PositiveInfinity;
        var planar = new List<(double X, double Y)>(points.Count);
        foreach (var normal in faceNormals)
        {
            var n = normal.Normalized();
            var u = (Math.Abs(n.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0)).Cross(n).Normalized();
            var v = n.Cross(u);
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            planar.Clear();
            foreach (var p in points)
            {
                double h = p.Dot(n);
                lo = Math.Min(lo, h); hi = Math.Max(hi, h);
                planar.Add((p.Dot(u), p.Dot(v)));
            }
            var (width, depth) = MinimumAreaRectangle(planar);
            double volume = width * depth * (hi - lo);
            if (volume < bestVolume) { bestVolume = volume; best = (width, depth, hi - lo); }
        }
        return best;
    }

    /// <summary>Sides of the minimum-area rectangle enclosing 2-D points; one side is collinear with an edge
    /// of their convex hull.</summary>
    private static (double, double) MinimumAreaRectangle(List<(double X, double Y)> points)
    {
        var hull = ConvexHull2D(points);
        int m = hull.Count;
        double bestArea = double.PositiveInfinity, bestW = 0, bestD = 0;
        for (int e = 0; e < m; e++)
        {
            var (ax, ay) = hull[e];
            var (bx, by) = hull[(e + 1) % m];
            double ex = bx - ax, ey = by - ay, len = Math.Sqrt(ex * ex + ey * ey);
            if (len == 0) continue;
            ex /= len; ey /= len;
            double minS = double.PositiveInfinity, maxS = double.NegativeInfinity, maxT = 0;
            foreach (var (px, py) in hull)
            {
                double s = (px - ax) * ex + (py - ay) * ey, t = -(px - ax) * ey + (py - ay) * ex;
                minS = Math.Min(minS, s); maxS = Math.Max(maxS, s);
                maxT = Math.Max(maxT, Math.Abs(t));
            }
            double area = (maxS - minS) * maxT;
            if (area < bestArea) { bestArea = area; bestW = maxS - minS; bestD = maxT; }
        }
        return (bestW, bestD);
    }

    /// <summary>Andrew's monotone chain; counter-clockwise, collinear points dropped.</summary>
    private static List<(double X, double Y)> ConvexHull2D(List<(double X, double Y)> points)
    {
        var sorted = points.ToArray();
        Array.Sort(sorted, (p, q) => p.X != q.X ? p.X.CompareTo(q.X) : p.Y.CompareTo(q.Y));
        var hull = new List<(double X, double Y)>(2 * sorted.Length);
        static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
            (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
        for (int pass = 0; pass < 2; pass++)
        {
            int start = hull.Count;
            for (int i = 0; i < sorted.Length; i++)
            {
                var p = sorted[pass == 0 ? i : sorted.Length - 1 - i];
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], p) <= 0) hull.RemoveAt(hull.Count - 1);
                hull.Add(p);
            }
            hull.RemoveAt(hull.Count - 1);
        }
        return hull;
    }
}
