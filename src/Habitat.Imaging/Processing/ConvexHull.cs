using System.Buffers;

namespace Habitat.Imaging.Processing;

/// <summary>
/// The 3-D convex hull of integer lattice points (e.g. <see cref="TriangleMesh.LatticeCoordinates"/>), by
/// quickhull (Barber, Dobkin &amp; Huhdanpaa 1996) with exact 64-bit orientation tests, so the many coplanar
/// points of a voxel surface cannot make it fail. Coplanar hull facets may be split into several triangles.
/// </summary>
/// <param name="Triangles">Hull triangles as three point numbers each (numbers of the input points), wound
/// counter-clockwise seen from outside.</param>
/// <param name="Vertices">The distinct point numbers the triangles use.</param>
public sealed record ConvexHull(int[] Triangles, int[] Vertices)
{
    /// <summary>Coordinates beyond ±2^16 could overflow the exact 64-bit orientation test.</summary>
    public const int CoordinateLimit = 1 << 16;

    private sealed class Face(int a, int b, int c, long nx, long ny, long nz, long offset)
    {
        public readonly int A = a, B = b, C = c;
        public readonly long Nx = nx, Ny = ny, Nz = nz, Offset = offset;
        public List<int>? Outside;
        public bool Dead;
        public long Height(int[] p, int v) => Nx * p[3 * v] + Ny * p[3 * v + 1] + Nz * p[3 * v + 2] - Offset;
    }

    /// <summary>Hull of the points given as x, y, z triples. Throws <see cref="ArgumentException"/> when the points
    /// are all coplanar (no volume).</summary>
    public static ConvexHull Of(int[] points)
    {
        if (points.Length % 3 != 0) throw new ArgumentException("points must be x, y, z triples", nameof(points));
        foreach (var c in points)
            if (c <= -CoordinateLimit || c >= CoordinateLimit)
                throw new ArgumentException($"coordinate {c} exceeds ±{CoordinateLimit}", nameof(points));
        var candidates = LineExtremes(points);
        var faces = new List<Face>();
        var (p0, p1, p2, p3) = InitialSimplex(points, candidates);

        Face Make(int[] p, int a, int b, int c)
        {
            long ux = p[3 * b] - p[3 * a], uy = p[3 * b + 1] - p[3 * a + 1], uz = p[3 * b + 2] - p[3 * a + 2];
            long vx = p[3 * c] - p[3 * a], vy = p[3 * c + 1] - p[3 * a + 1], vz = p[3 * c + 2] - p[3 * a + 2];
            long nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
            return new Face(a, b, c, nx, ny, nz, nx * p[3 * a] + ny * p[3 * a + 1] + nz * p[3 * a + 2]);
        }

        // Wind the simplex outward: p3 must lie below face (p0, p1, p2).
        if (Make(points, p0, p1, p2).Height(points, p3) > 0) (p1, p2) = (p2, p1);
        faces.Add(Make(points, p0, p1, p2));
        faces.Add(Make(points, p0, p3, p1));
        faces.Add(Make(points, p1, p3, p2));
        faces.Add(Make(points, p2, p3, p0));
        var pending = new Stack<Face>();
        Assign(points, candidates, faces, pending);

        var edges = new HashSet<long>();
        var visible = new List<Face>();
        var created = new List<Face>();
        var orphans = new List<int>();
        long n = points.Length / 3;
        while (pending.Count > 0)
        {
            var f = pending.Pop();
            if (f.Dead || f.Outside is null || f.Outside.Count == 0) continue;
            // The point farthest above the face is a hull vertex.
            int apex = f.Outside[0];
            long best = f.Height(points, apex);
            foreach (var q in f.Outside)
            {
                long h = f.Height(points, q);
                if (h > best) { best = h; apex = q; }
            }
            visible.Clear(); edges.Clear(); orphans.Clear(); created.Clear();
            foreach (var g in faces)
                if (!g.Dead && g.Height(points, apex) > 0)
                {
                    visible.Add(g);
                    edges.Add(g.A * n + g.B); edges.Add(g.B * n + g.C); edges.Add(g.C * n + g.A);
                }
            foreach (var g in visible)
            {
                g.Dead = true;
                if (g.Outside is not null)
                    foreach (var q in g.Outside)
                        if (q != apex) orphans.Add(q);
                // Horizon edges: edges of a visible face whose twin belongs to a face that stays.
                AddIfHorizon(g.A, g.B); AddIfHorizon(g.B, g.C); AddIfHorizon(g.C, g.A);
            }
            faces.RemoveAll(g => g.Dead);
            faces.AddRange(created);
            Assign(points, orphans, created, pending);

            void AddIfHorizon(int a, int b)
            {
                if (!edges.Contains(b * n + a)) created.Add(Make(points, a, b, apex));
            }
        }

        var triangles = new int[3 * faces.Count];
        var used = new HashSet<int>();
        for (int t = 0; t < faces.Count; t++)
        {
            triangles[3 * t] = faces[t].A; triangles[3 * t + 1] = faces[t].B; triangles[3 * t + 2] = faces[t].C;
            used.Add(faces[t].A); used.Add(faces[t].B); used.Add(faces[t].C);
        }
        var vertices = used.ToArray();
        Array.Sort(vertices);
        return new ConvexHull(triangles, vertices);
    }

    /// <summary>Gives each point to the first face it lies strictly above; points above none are inside.</summary>
    private static void Assign(int[] points, List<int> candidates, List<Face> faces, Stack<Face> pending)
    {
        foreach (var q in candidates)
            foreach (var f in faces)
                if (f.Height(points, q) > 0)
                {
                    if (f.Outside is null) { f.Outside = []; pending.Push(f); }
                    f.Outside.Add(q);
                    break;
                }
    }

    /// <summary>A hull vertex is the lowest or highest point on every axis-parallel line through it (otherwise it
    /// lies between two points), so only such points are candidates: this drops most of a surface's points.</summary>
    private static List<int> LineExtremes(int[] points)
    {
        int count = points.Length / 3;
        Span<int> lo = stackalloc int[3], hi = stackalloc int[3];
        lo.Fill(int.MaxValue); hi.Fill(int.MinValue);
        for (int v = 0; v < count; v++)
            for (int a = 0; a < 3; a++)
            {
                lo[a] = Math.Min(lo[a], points[3 * v + a]);
                hi[a] = Math.Max(hi[a], points[3 * v + a]);
            }
        var keep = new bool[count];
        Array.Fill(keep, true);
        for (int axis = 0; axis < 3; axis++)
        {
            int u = (axis + 1) % 3, w = (axis + 2) % 3;
            long width = (long)hi[u] - lo[u] + 1, cells = width * ((long)hi[w] - lo[w] + 1);
            if (cells > 1L << 28) continue; // too sparse to tabulate: skipping a filter keeps more candidates, never fewer
            var min = ArrayPool<int>.Shared.Rent((int)cells);
            var max = ArrayPool<int>.Shared.Rent((int)cells);
            min.AsSpan(0, (int)cells).Fill(int.MaxValue);
            max.AsSpan(0, (int)cells).Fill(int.MinValue);
            for (int v = 0; v < count; v++)
            {
                long line = (points[3 * v + u] - lo[u]) + width * (points[3 * v + w] - lo[w]);
                int x = points[3 * v + axis];
                if (x < min[line]) min[line] = x;
                if (x > max[line]) max[line] = x;
            }
            for (int v = 0; v < count; v++)
            {
                long line = (points[3 * v + u] - lo[u]) + width * (points[3 * v + w] - lo[w]);
                int x = points[3 * v + axis];
                if (x != min[line] && x != max[line]) keep[v] = false;
            }
            ArrayPool<int>.Shared.Return(min);
            ArrayPool<int>.Shared.Return(max);
        }
        var candidates = new List<int>();
        for (int v = 0; v < count; v++)
            if (keep[v]) candidates.Add(v);
        return candidates;
    }

    /// <summary>Four affinely independent points spread as far as possible: the lowest-x point, the point farthest
    /// from it, the point farthest from their line, and the point farthest from their plane.</summary>
    private static (int, int, int, int) InitialSimplex(int[] p, List<int> candidates)
    {
        if (candidates.Count < 4) throw new ArgumentException("a 3-D convex hull needs at least four non-coplanar points");
        int p0 = candidates[0];
        foreach (var v in candidates)
            if (p[3 * v] < p[3 * p0]) p0 = v;
        int p1 = Farthest(p, candidates, v => Square(p[3 * v] - p[3 * p0]) + Square(p[3 * v + 1] - p[3 * p0 + 1]) + Square(p[3 * v + 2] - p[3 * p0 + 2]));
        long ux = p[3 * p1] - p[3 * p0], uy = p[3 * p1 + 1] - p[3 * p0 + 1], uz = p[3 * p1 + 2] - p[3 * p0 + 2];
        int p2 = Farthest(p, candidates, v =>
        {
            long wx = p[3 * v] - p[3 * p0], wy = p[3 * v + 1] - p[3 * p0 + 1], wz = p[3 * v + 2] - p[3 * p0 + 2];
            return Square(uy * wz - uz * wy) + Square(uz * wx - ux * wz) + Square(ux * wy - uy * wx);
        });
        long vx = p[3 * p2] - p[3 * p0], vy = p[3 * p2 + 1] - p[3 * p0 + 1], vz = p[3 * p2 + 2] - p[3 * p0 + 2];
        long nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        int p3 = Farthest(p, candidates, v => Math.Abs((double)(nx * (p[3 * v] - p[3 * p0]) + ny * (p[3 * v + 1] - p[3 * p0 + 1]) + nz * (p[3 * v + 2] - p[3 * p0 + 2]))));
        if (nx * (p[3 * p3] - p[3 * p0]) + ny * (p[3 * p3 + 1] - p[3 * p0 + 1]) + nz * (p[3 * p3 + 2] - p[3 * p0 + 2]) == 0)
            throw new ArgumentException("the points are coplanar: their convex hull has no volume");
        return (p0, p1, p2, p3);
    }

    private delegate double Score(int v);

    private static int Farthest(int[] p, List<int> candidates, Score score)
    {
        int best = candidates[0];
        double bestScore = double.NegativeInfinity;
        foreach (var v in candidates)
        {
            double s = score(v);
            if (s > bestScore) { bestScore = s; best = v; }
        }
        return best;
    }

    private static double Square(double x) => x * x;
}
