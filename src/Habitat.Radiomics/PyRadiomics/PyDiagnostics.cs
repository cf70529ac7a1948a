using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' <c>diagnostics_*</c> entries, in the order they are added. The whole-image descriptions (SHA-1 hash of
/// the voxels in their stored type, mean, minimum, maximum) are one pass each over the full image; they run in the
/// background while the features are computed, and <see cref="Complete"/> collects them in order.
/// </summary>
internal sealed class PyDiagnostics
{
    private readonly List<Task<KeyValuePair<string, string>[]>> entries = [];

    public void Add(string name, string value) => entries.Add(Task.FromResult<KeyValuePair<string, string>[]>([new("diagnostics_" + name, value)]));

    /// <summary>Hash, dimensionality, spacing and size of a volume; for images also mean, minimum and maximum.</summary>
    public void DescribeImage(string name, Volume volume) => entries.Add(Task.Run(() => Describe(name, volume)));

    /// <summary>Bounding box, voxel count, connected components and centre of mass of a ROI mask (of <paramref name="grid"/>).</summary>
    public void DescribeMask(string name, Box box, Grid grid, byte[] mask) => entries.Add(Task.FromResult(DescribeRoi(name, box, grid, mask)));

    public IReadOnlyList<KeyValuePair<string, string>> Complete()
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var group in entries) result.AddRange(group.Result);
        return result;
    }

    private static KeyValuePair<string, string>[] Describe(string name, Volume volume)
    {
        var g = volume.Grid;
        bool isImage = !name.StartsWith("Mask", StringComparison.Ordinal);
        var (hash, sum, min, max) = HashAndStatistics(volume, isImage);
        var result = new List<KeyValuePair<string, string>>
        {
            new($"diagnostics_{name}_Hash", hash),
            new($"diagnostics_{name}_Dimensionality", "3D"),
            new($"diagnostics_{name}_Spacing", PyFormat.Tuple(g.Spacing.X, g.Spacing.Y, g.Spacing.Z)),
            new($"diagnostics_{name}_Size", $"({g.Nx}, {g.Ny}, {g.Nz})"),
        };
        if (isImage)
        {
            result.Add(new($"diagnostics_{name}_Mean", PyFormat.Number(sum / volume.Voxels.Length)));
            result.Add(new($"diagnostics_{name}_Minimum", PyFormat.Number(min)));
            result.Add(new($"diagnostics_{name}_Maximum", PyFormat.Number(max)));
        }
        return result.ToArray();
    }

    /// <summary>
    /// SHA-1 of the voxels in their stored type, x fastest (PyRadiomics hashes SimpleITK's array the same way), and,
    /// when asked, their sum (in double: exact for integer images), minimum and maximum — one pass in cache-sized chunks.
    /// </summary>
    private static (string Hash, double Sum, double Min, double Max) HashAndStatistics(Volume volume, bool statistics)
    {
        const int Chunk = 8192;
        var voxels = volume.Voxels.AsSpan();
        var type = volume.StoredType;
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk * sizeof(double));
        var integers = ArrayPool<int>.Shared.Rent(Chunk);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        try
        {
            for (int start = 0; start < voxels.Length; start += Chunk)
            {
                var chunk = voxels.Slice(start, Math.Min(Chunk, voxels.Length - start));
                sha1.AppendData(type switch
                {
                    PixelType.UInt8 => Narrowed<byte>(chunk, integers, buffer),
                    PixelType.Int8 => Narrowed<sbyte>(chunk, integers, buffer),
                    PixelType.UInt16 => Narrowed<ushort>(chunk, integers, buffer),
                    PixelType.Int16 => Narrowed<short>(chunk, integers, buffer),
                    PixelType.UInt32 => Stored<uint>(chunk, buffer),
                    PixelType.Int32 => Stored<int>(chunk, buffer),
                    PixelType.UInt64 => Stored<ulong>(chunk, buffer),
                    PixelType.Int64 => Stored<long>(chunk, buffer),
                    PixelType.Float32 => MemoryMarshal.AsBytes(chunk),
                    _ => Stored<double>(chunk, buffer),
                });
                if (!statistics) continue;
                sum += SumAsDouble(chunk);
                min = Math.Min(min, TensorPrimitives.Min(chunk));
                max = Math.Max(max, TensorPrimitives.Max(chunk));
            }
            return (Convert.ToHexStringLower(sha1.GetHashAndReset()), sum, min, max);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(integers);
        }
    }

    /// <summary>The values cast to the stored type (truncating, as the reader's float values came from that type), as bytes.</summary>
    private static ReadOnlySpan<byte> Stored<T>(ReadOnlySpan<float> values, byte[] buffer) where T : unmanaged, INumberBase<T>
    {
        var typed = MemoryMarshal.Cast<byte, T>(buffer.AsSpan())[..values.Length];
        TensorPrimitives.ConvertTruncating(values, typed);
        return MemoryMarshal.AsBytes(typed);
    }

    /// <summary>A cast to a type narrower than int: to int, then the low bits (as C#'s cast of a float does).</summary>
    private static ReadOnlySpan<byte> Narrowed<T>(ReadOnlySpan<float> values, int[] integers, byte[] buffer) where T : unmanaged, INumberBase<T>
    {
        var wide = integers.AsSpan(0, values.Length);
        TensorPrimitives.ConvertTruncating(values, wide);
        var typed = MemoryMarshal.Cast<byte, T>(buffer.AsSpan())[..values.Length];
        TensorPrimitives.ConvertTruncating<int, T>(wide, typed);
        return MemoryMarshal.AsBytes(typed);
    }

    private static double SumAsDouble(ReadOnlySpan<float> values)
    {
        var low = Vector<double>.Zero;
        var high = Vector<double>.Zero;
        int n = 0;
        for (; n <= values.Length - Vector<float>.Count; n += Vector<float>.Count)
        {
            Vector.Widen(new Vector<float>(values[n..]), out var a, out var b);
            low += a;
            high += b;
        }
        double sum = Vector.Sum(low + high);
        for (; n < values.Length; n++) sum += values[n];
        return sum;
    }

    private static KeyValuePair<string, string>[] DescribeRoi(string name, Box box, Grid grid, byte[] mask)
    {
        var roiGrid = box.SubGrid(grid);
        var cropped = box.Extract(grid, mask);
        int count = 0;
        double ci = 0, cj = 0, ck = 0;
        for (int k = 0, n = 0; k < roiGrid.Nz; k++)
            for (int j = 0; j < roiGrid.Ny; j++)
                for (int i = 0; i < roiGrid.Nx; i++, n++)
                    if (cropped[n] != 0) { count++; ci += i; cj += j; ck += k; }
        ci = ci / count + box.I0; cj = cj / count + box.J0; ck = ck / count + box.K0;
        var centre = grid.IndexToPhysical(ci, cj, ck);
        return
        [
            new($"diagnostics_{name}_BoundingBox", $"({box.I0}, {box.J0}, {box.K0}, {box.Nx}, {box.Ny}, {box.Nz})"),
            new($"diagnostics_{name}_VoxelNum", count.ToString(CultureInfo.InvariantCulture)),
            new($"diagnostics_{name}_VolumeNum", ConnectedComponents(roiGrid, cropped).ToString(CultureInfo.InvariantCulture)),
            new($"diagnostics_{name}_CenterOfMassIndex", PyFormat.Tuple(ci, cj, ck)),
            new($"diagnostics_{name}_CenterOfMass", PyFormat.Tuple(centre.X, centre.Y, centre.Z)),
        ];
    }

    /// <summary>Number of 6-connected components (SimpleITK's ConnectedComponent default, which PyRadiomics uses).</summary>
    private static int ConnectedComponents(Grid grid, byte[] mask)
    {
        var seen = new bool[mask.Length];
        var stack = new Stack<int>();
        int components = 0, nx = grid.Nx, ny = grid.Ny, nz = grid.Nz, plane = nx * ny;
        for (int start = 0; start < mask.Length; start++)
        {
            if (mask[start] == 0 || seen[start]) continue;
            components++;
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int n = stack.Pop(), i = n % nx, j = n / nx % ny, k = n / plane;
                void Visit(int m) { if (mask[m] != 0 && !seen[m]) { seen[m] = true; stack.Push(m); } }
                if (i > 0) Visit(n - 1);
                if (i < nx - 1) Visit(n + 1);
                if (j > 0) Visit(n - nx);
                if (j < ny - 1) Visit(n + nx);
                if (k > 0) Visit(n - plane);
                if (k < nz - 1) Visit(n + plane);
            }
        }
        return components;
    }
}
