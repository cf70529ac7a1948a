using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Habitat.Imaging.Processing;

namespace Habitat.Imaging.Filters;

/// <summary>The images of PyRadiomics' "LBP3D" image type: one rotation-energy image per spherical-harmonic degree
/// (<c>lbp-3D-m1</c> = degree 0, <c>lbp-3D-m2</c> = degree 1, …) and the spherical kurtosis (<c>lbp-3D-k</c>).</summary>
public sealed record Lbp3DImages(IReadOnlyList<Volume> Energies, Volume Kurtosis);

/// <summary>
/// PyRadiomics' 3-D local binary pattern (imageoperations.getLBP3DImage, after Banerjee et al., ACCV 2012 workshops),
/// reproduced step by step:
/// <list type="number">
/// <item>Neighbours: the vertices v of trimesh's icosphere (subdivision s, radius R) added to the voxel's array index
/// (z, y, x), so v's first component moves along z and its last along x, in voxel units (spacing is ignored).</item>
/// <item>Each neighbour is sampled as scipy.ndimage.map_coordinates(order 3, mode "constant", cval 0) does: a cubic
/// B-spline over coefficients prefiltered with mirror boundaries, taps mirrored at the edges, 0 when any coordinate
/// lies outside [0, n − 1]; the value is cast to the image's pixel type (integers rounded half away from zero).</item>
/// <item>k = Fisher kurtosis of the samples (scipy.stats.kurtosis, biased; NaN when their variance is ≤ (resolution ×
/// mean)², resolution 1e-6 for float32 images, 1e-15 otherwise).</item>
/// <item>b_v = 1 when sample ≥ centre, else 0.</item>
/// <item>c_nm = Σ_v b_v Y_nm(v) for n &lt; levels, with scipy's sph_harm(m, n, θ, φ) called as PyRadiomics calls it:
/// θ = arccos(v_z / R) in the azimuth slot and φ = atan2(v_y, v_x) in the polar slot, so
/// Y_nm = N_nm P_n^m(cos φ) e^{imθ} (orthonormal, Condon–Shortley phase). No complex conjugate is taken.</item>
/// <item>g_n(v) = Σ_m c_nm Y_nm(v); energy_n = Re √(Σ_v g_n(v)²), squares and root taken in complex arithmetic (numpy's
/// ** 2 and principal sqrt), as PyRadiomics does. These are not the rotation-invariant norms of the paper; degree 0 is
/// √Nv · (number of ones) / 4π.</item>
/// </list>
/// </summary>
public static class LocalBinaryPattern3D
{
    /// <summary>The filtered images over <paramref name="region"/> (on its sub-grid), each voxel computed from the whole
    /// image around it. PyRadiomics fills only the ROI's voxels; the values there are the same.</summary>
    public static Lbp3DImages PyRadiomics(Volume image, Box region, int levels = 2, double radius = 1, int subdivision = 1)
    {
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels), $"lbp3DLevels must be at least 1, got {levels}");
        if (!(radius > 0) || double.IsInfinity(radius)) throw new ArgumentOutOfRangeException(nameof(radius), $"lbp3DIcosphereRadius must be positive, got {radius}");
        if (subdivision is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(subdivision), $"lbp3DIcosphereSubdivision must be 0..8, got {subdivision}");
        var g = image.Grid;
        if (region.IsEmpty || region.I0 < 0 || region.J0 < 0 || region.K0 < 0 || region.I1 > g.Nx || region.J1 > g.Ny || region.K1 > g.Nz)
            throw new ArgumentException($"region {region} is empty or outside the image ({g.Nx}×{g.Ny}×{g.Nz})", nameof(region));

        var vertices = Icosphere(subdivision, radius);
        int vertexCount = vertices.Length;
        var harmonics = SphericalHarmonics(vertices, radius, levels);
        int coefficientCount = levels * levels;

        // Coefficients are needed for every tap of every sample: the region grown by ⌈R⌉ + 2 voxels (at most the image).
        int margin = (int)Math.Min(Math.Ceiling(radius) + 2, Math.Max(g.Nx, Math.Max(g.Ny, g.Nz)));
        var support = new Box(Math.Max(region.I0 - margin, 0), Math.Max(region.J0 - margin, 0), Math.Max(region.K0 - margin, 0),
            Math.Min(region.I1 + margin, g.Nx), Math.Min(region.J1 + margin, g.Ny), Math.Min(region.K1 + margin, g.Nz));
        var coefficients = SplineCoefficients(image, support);
        var taps = new[]
        {
            AxisTaps(vertices, 2, region.I0, region.I1, g.Nx, support.I0, 1),
            AxisTaps(vertices, 1, region.J0, region.J1, g.Ny, support.J0, support.Nx),
            AxisTaps(vertices, 0, region.K0, region.K1, g.Nz, support.K0, support.Nx * support.Ny),
        };
        var cast = SampleCast(image.StoredType);
        double resolution = image.StoredType == PixelType.Float32 ? 1e-6 : 1e-15;

        var energies = new float[levels][];
        for (int n = 0; n < levels; n++) energies[n] = new float[region.Count];
        var kurtosis = new float[region.Count];
        var source = image.Voxels;
        Parallel.For(region.K0, region.K1, () => (samples: new double[vertexCount], above: new bool[vertexCount], c: new Complex[coefficientCount]),
            (k, _, scratch) =>
            {
                var (samples, above, c) = scratch;
                var (tz, ty, tx) = (taps[2], taps[1], taps[0]);
                for (int j = region.J0; j < region.J1; j++)
                    for (int i = region.I0; i < region.I1; i++)
                    {
                        for (int v = 0; v < vertexCount; v++)
                            samples[v] = cast(Sample(coefficients, tz, k - region.K0, ty, j - region.J0, tx, i - region.I0, v));
                        int output = region.Index(i, j, k);
                        kurtosis[output] = (float)Kurtosis(samples, resolution);
                        double centre = source[g.Index(i, j, k)];
                        for (int v = 0; v < vertexCount; v++) above[v] = samples[v] >= centre;
                        for (int n = 0; n < levels; n++)
                            energies[n][output] = (float)DegreeEnergy(above, harmonics, n, c);
                    }
                return scratch;
            }, _ => { });

        var grid = region.SubGrid(g);
        return new Lbp3DImages([.. energies.Select(e => new Volume(grid, e, PixelType.Float64))], new Volume(grid, kurtosis, PixelType.Float64));
    }

    /// <summary>
    /// Vertices (x, y, z) of trimesh.creation.icosphere: the icosahedron (0, ±1, ±φ) and its cyclic permutations, scaled
    /// to unit length; each subdivision adds the edge midpoints (a + b) / 2 and moves every vertex by
    /// v += (v / |v|)(R − |v|), which current trimesh also applies once when there is no subdivision (older versions
    /// left subdivision 0 at radius 1). 12, 42, 162, … vertices.
    /// </summary>
    public static Vec3[] Icosphere(int subdivision, double radius)
    {
        double t = (1 + Math.Sqrt(5)) / 2, scale = Math.Sqrt(2 + t); // |(1, φ, 0)|² = 1 + φ² = 2 + φ
        var vertices = new List<Vec3>();
        foreach (var (a, b) in new[] { (-1.0, t), (1.0, t), (-1.0, -t), (1.0, -t) })
        {
            vertices.Add(new Vec3(a / scale, b / scale, 0));
            vertices.Add(new Vec3(0, a / scale, b / scale));
            vertices.Add(new Vec3(b / scale, 0, a / scale));
        }
        // The 20 faces: triples of vertices at mutual edge distance 2/scale.
        double edge = 2 / scale;
        bool Adjacent(int p, int q) => Math.Abs(Distance(vertices[p], vertices[q]) - edge) < 1e-9;
        var faces = new List<(int, int, int)>();
        for (int p = 0; p < 12; p++)
            for (int q = p + 1; q < 12; q++)
                for (int r = q + 1; r < 12; r++)
                    if (Adjacent(p, q) && Adjacent(q, r) && Adjacent(p, r)) faces.Add((p, q, r));

        for (int level = 0; level < subdivision; level++)
        {
            var midpoints = new Dictionary<(int, int), int>();
            int Midpoint(int p, int q)
            {
                var key = p < q ? (p, q) : (q, p);
                if (midpoints.TryGetValue(key, out int index)) return index;
                var (u, w) = (vertices[p], vertices[q]);
                vertices.Add(new Vec3((u.X + w.X) / 2, (u.Y + w.Y) / 2, (u.Z + w.Z) / 2));
                return midpoints[key] = vertices.Count - 1;
            }
            var refined = new List<(int, int, int)>(faces.Count * 4);
            foreach (var (p, q, r) in faces)
            {
                int pq = Midpoint(p, q), qr = Midpoint(q, r), rp = Midpoint(r, p);
                refined.AddRange([(p, pq, rp), (q, qr, pq), (r, rp, qr), (pq, qr, rp)]);
            }
            faces = refined;
            ProjectToSphere(vertices, radius);
        }
        if (subdivision == 0) ProjectToSphere(vertices, radius);
        return [.. vertices];
    }

    static double Distance(Vec3 a, Vec3 b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y) + (a.Z - b.Z) * (a.Z - b.Z));

    static void ProjectToSphere(List<Vec3> vertices, double radius)
    {
        for (int n = 0; n < vertices.Count; n++)
        {
            var v = vertices[n];
            double length = Math.Sqrt(v.X * v.X + v.Y * v.Y + v.Z * v.Z), shift = radius - length;
            vertices[n] = new Vec3(v.X + v.X / length * shift, v.Y + v.Y / length * shift, v.Z + v.Z / length * shift);
        }
    }

    /// <summary>Y_nm at every vertex for n &lt; levels, m = −n … n, stored [vertex × levels² + n² + n + m].</summary>
    static Complex[] SphericalHarmonics(Vec3[] vertices, double radius, int levels)
    {
        int count = levels * levels;
        var table = new Complex[vertices.Length * count];
        var legendre = new double[count];
        for (int v = 0; v < vertices.Length; v++)
        {
            // PyRadiomics' θ (polar) goes where scipy expects the azimuth and its φ (azimuth) where scipy expects the polar angle.
            double azimuthSlot = Math.Acos(Math.Clamp(vertices[v].Z / radius, -1, 1));
            double polarSlot = Math.Atan2(vertices[v].Y, vertices[v].X);
            NormalisedLegendre(Math.Cos(polarSlot), levels, legendre);
            for (int n = 0; n < levels; n++)
                for (int m = 0; m <= n; m++)
                {
                    var y = legendre[n * n + n + m] * Complex.FromPolarCoordinates(1, m * azimuthSlot);
                    table[v * count + n * n + n + m] = y;
                    // Y_n,−m = (−1)^m conj(Y_nm)
                    if (m > 0) table[v * count + n * n + n - m] = (m % 2 == 0 ? 1 : -1) * Complex.Conjugate(y);
                }
        }
        return table;
    }

    /// <summary>√((2n+1)/4π · (n−m)!/(n+m)!) P_n^m(x), Condon–Shortley phase included, m ≥ 0, stored at n² + n + m
    /// (the standard stable recursion in n for each m).</summary>
    static void NormalisedLegendre(double x, int levels, double[] result)
    {
        double sine = Math.Sqrt((1 - x) * (1 + x));
        double diagonal = Math.Sqrt(1 / (4 * Math.PI));
        for (int m = 0; m < levels; m++)
        {
            if (m > 0) diagonal *= -Math.Sqrt((2.0 * m + 1) / (2.0 * m)) * sine;
            result[m * m + m + m] = diagonal;
            if (m + 1 >= levels) continue;
            double previous = diagonal, current = x * Math.Sqrt(2.0 * m + 3) * diagonal;
            result[(m + 1) * (m + 1) + (m + 1) + m] = current;
            for (int n = m + 2; n < levels; n++)
            {
                double a = Math.Sqrt((4.0 * n * n - 1) / ((double)n * n - (double)m * m));
                double b = Math.Sqrt(((n - 1.0) * (n - 1.0) - (double)m * m) / (4.0 * (n - 1.0) * (n - 1.0) - 1));
                double next = a * (x * current - b * previous);
                result[n * n + n + m] = next;
                (previous, current) = (current, next);
            }
        }
    }

    /// <summary>Re √(Σ_v (Σ_m c_nm Y_nm(v))²) with c_nm = Σ_v b_v Y_nm(v), in complex arithmetic as PyRadiomics.</summary>
    static double DegreeEnergy(bool[] above, Complex[] harmonics, int n, Complex[] c)
    {
        int vertexCount = above.Length, count = harmonics.Length / vertexCount;
        for (int m = -n; m <= n; m++)
        {
            var sum = Complex.Zero;
            for (int v = 0; v < vertexCount; v++) if (above[v]) sum += harmonics[v * count + n * n + n + m];
            c[n * n + n + m] = sum;
        }
        var squares = Complex.Zero;
        for (int v = 0; v < vertexCount; v++)
        {
            var expansion = Complex.Zero;
            for (int m = -n; m <= n; m++) expansion += c[n * n + n + m] * harmonics[v * count + n * n + n + m];
            squares += expansion * expansion;
        }
        // Real part of the principal square root.
        return Math.Sqrt((Complex.Abs(squares) + squares.Real) / 2);
    }

    /// <summary>scipy.stats.kurtosis (Fisher, biased): m4 / m2² − 3, NaN for a (numerically) constant sample.</summary>
    static double Kurtosis(double[] samples, double resolution)
    {
        double mean = 0;
        foreach (var s in samples) mean += s;
        mean /= samples.Length;
        double m2 = 0, m4 = 0;
        foreach (var s in samples)
        {
            double d = (s - mean) * (s - mean);
            m2 += d;
            m4 += d * d;
        }
        m2 /= samples.Length;
        m4 /= samples.Length;
        return m2 <= (resolution * mean) * (resolution * mean) ? double.NaN : m4 / (m2 * m2) - 3;
    }

    /// <summary>map_coordinates' output cast to the input's dtype.</summary>
    static Func<double, double> SampleCast(PixelType type)
    {
        if (type == PixelType.Float64) return s => s;
        if (type == PixelType.Float32) return s => (float)s;
        var (min, max) = type.Range();
        return s => Math.Clamp(s > 0 ? Math.Truncate(s + 0.5) : Math.Truncate(s - 0.5), min, max);
    }

    /// <summary>Per axis, per region index and vertex: four tap offsets into the coefficient box (mirrored at the image
    /// edges) and their cubic B-spline weights; a vertex whose coordinate leaves [0, n − 1] gets no taps (sample 0).</summary>
    sealed record AxisTapTable(int[] Offsets, double[] Weights, bool[] Outside, int VertexCount);

    static AxisTapTable AxisTaps(Vec3[] vertices, int component, int first, int end, int length, int supportStart, int stride)
    {
        int count = (end - first) * vertices.Length;
        var offsets = new int[count * 4];
        var weights = new double[count * 4];
        var outside = new bool[count];
        for (int index = first; index < end; index++)
            for (int v = 0; v < vertices.Length; v++)
            {
                var p = vertices[v];
                double coordinate = index + (component switch { 0 => p.X, 1 => p.Y, _ => p.Z });
                int row = (index - first) * vertices.Length + v;
                if (coordinate < 0 || coordinate > length - 1) { outside[row] = true; continue; }
                int start = (int)Math.Floor(coordinate) - 1;
                Resampler.CubicBSplineWeights(coordinate - (start + 1), weights.AsSpan(row * 4, 4));
                for (int q = 0; q < 4; q++) offsets[row * 4 + q] = (Resampler.Mirror(start + q, length) - supportStart) * stride;
            }
        return new AxisTapTable(offsets, weights, outside, vertices.Length);
    }

    /// <summary>One cubic-spline sample: Σ_z w_z Σ_y w_y Σ_x w_x c over the 4×4×4 taps.</summary>
    static double Sample(double[] coefficients, AxisTapTable z, int k, AxisTapTable y, int j, AxisTapTable x, int i, int v)
    {
        int rz = k * z.VertexCount + v, ry = j * y.VertexCount + v, rx = i * x.VertexCount + v;
        if (z.Outside[rz] || y.Outside[ry] || x.Outside[rx]) return 0;
        ref double c = ref MemoryMarshal.GetArrayDataReference(coefficients);
        var zo = z.Offsets.AsSpan(rz * 4, 4); var zw = z.Weights.AsSpan(rz * 4, 4);
        var yo = y.Offsets.AsSpan(ry * 4, 4); var yw = y.Weights.AsSpan(ry * 4, 4);
        var xo = x.Offsets.AsSpan(rx * 4, 4); var xw = x.Weights.AsSpan(rx * 4, 4);
        if (Vector256.IsHardwareAccelerated && xo[3] - xo[0] == 3 && xo[1] - xo[0] == 1 && xo[2] - xo[0] == 2)
        {
            // Away from the x edges the four x taps are adjacent: weight the 16 rows of 4 as vectors, then dot with w_x.
            var rows = Vector256<double>.Zero;
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 4; b++)
                    rows += Vector256.LoadUnsafe(ref Unsafe.Add(ref c, zo[a] + yo[b] + xo[0])) * (zw[a] * yw[b]);
            return Vector256.Sum(rows * Vector256.Create(xw[0], xw[1], xw[2], xw[3]));
        }
        double sum = 0;
        for (int a = 0; a < 4; a++)
        {
            double plane = 0;
            for (int b = 0; b < 4; b++)
            {
                // Offsets index the coefficient box by construction (taps mirrored into the image, box grown by ⌈R⌉ + 2).
                ref double row = ref Unsafe.Add(ref c, zo[a] + yo[b]);
                plane += yw[b] * (xw[0] * Unsafe.Add(ref row, xo[0]) + xw[1] * Unsafe.Add(ref row, xo[1])
                    + xw[2] * Unsafe.Add(ref row, xo[2]) + xw[3] * Unsafe.Add(ref row, xo[3]));
            }
            sum += zw[a] * plane;
        }
        return sum;
    }

    /// <summary>Cubic B-spline coefficients of the whole image (scipy's spline_filter: z, then y, then x, mirror
    /// boundaries, exact initialisation), kept over <paramref name="support"/> only.</summary>
    static double[] SplineCoefficients(Volume image, Box support)
    {
        var g = image.Grid;
        int[] size = [g.Nx, g.Ny, g.Nz];
        var data = FilterAxis(image.Voxels, size, 2, support.K0, support.K1);
        data = FilterAxis(data, size, 1, support.J0, support.J1);
        return FilterAxis(data, size, 0, support.I0, support.I1);
    }

    /// <summary>Prefilters every line along <paramref name="axis"/> and keeps samples <paramref name="first"/> …
    /// <paramref name="end"/> − 1 of it; <paramref name="size"/> is updated to the result's size.</summary>
    static double[] FilterAxis<T>(T[] data, int[] size, int axis, int first, int end) where T : INumberBase<T>
    {
        int nx = size[0], ny = size[1], length = size[axis];
        int[] outSize = [.. size];
        outSize[axis] = end - first;
        var result = new double[outSize[0] * outSize[1] * outSize[2]];
        int strideIn = axis switch { 0 => 1, 1 => nx, _ => nx * ny };
        int strideOut = axis switch { 0 => 1, 1 => outSize[0], _ => outSize[0] * outSize[1] };
        // The two other axes enumerate the lines.
        var (other1, other2) = axis switch { 0 => (1, 2), 1 => (0, 2), _ => (0, 1) };
        int[] strideOfIn = [1, nx, nx * ny];
        int[] strideOfOut = [1, outSize[0], outSize[0] * outSize[1]];
        Parallel.For(0, size[other2], () => new double[length], (b, _, line) =>
        {
            for (int a = 0; a < size[other1]; a++)
            {
                int baseIn = a * strideOfIn[other1] + b * strideOfIn[other2];
                int baseOut = a * strideOfOut[other1] + b * strideOfOut[other2];
                for (int p = 0; p < length; p++) line[p] = double.CreateTruncating(data[baseIn + p * strideIn]);
                Resampler.CubicBSplineCoefficients(line, exactInitialisation: true);
                for (int p = first; p < end; p++) result[baseOut + (p - first) * strideOut] = line[p];
            }
            return line;
        }, _ => { });
        size[axis] = end - first;
        return result;
    }
}
