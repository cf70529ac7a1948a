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
/// PyRadiomics' <c>diagnostics_*</c> entries (its GeneralInfo), in the order they are added. The whole-image passes
/// (SHA-1 of the voxels in their stored type, mean, minimum, maximum) run in the background while the features are
/// computed, and <see cref="Complete"/> collects every entry in order.
/// </summary>
internal sealed class PyDiagnostics
{
    private readonly List<Task<KeyValuePair<string, string>[]>> entries = [];

    public void Add(string name, string value) => entries.Add(Task.FromResult<KeyValuePair<string, string>[]>([new("diagnostics_" + name, value)]));

    /// <summary><c>Image-{stage}</c>: for the original image its hash and dimensionality, then spacing, size and the
    /// mean, minimum and maximum over all voxels.</summary>
    public void DescribeImage(string stage, Volume image) => entries.Add(Task.Run(() => ImageEntries(stage, image)));

    /// <summary>
    /// <c>Mask-{stage}</c>: for the original mask its <paramref name="hash"/> (<see cref="MaskHash"/>), then spacing and
    /// size of <paramref name="grid"/>, the ROI's bounding box, voxel count, number of 26-connected components and centre
    /// of mass, and — when <paramref name="image"/> is given (every stage but the original, whose alignment with the image
    /// is not checked yet) — the image's mean, minimum and maximum inside the ROI. <paramref name="roi"/> holds the
    /// voxels of <paramref name="box"/>, a box of <paramref name="grid"/>; <paramref name="image"/> lies on that grid.
    /// </summary>
    public void DescribeMask(string stage, Grid grid, Box box, byte[] roi, Volume? image = null, Task<string>? hash = null) =>
        entries.Add(hash is null
            ? Task.FromResult(MaskEntries(stage, grid, box, roi, image, null))
            : hash.ContinueWith(done => MaskEntries(stage, grid, box, roi, image, done.Result), TaskContinuationOptions.ExecuteSynchronously));

    /// <summary>The original mask's hash as PyRadiomics writes it: of the mask cast to UInt32 (imageoperations.getMask
    /// casts every mask before hashing it), whatever type it was stored in.</summary>
    public static string MaskHash(Volume mask) => HashOf(mask, PixelType.UInt32);

    public IReadOnlyList<KeyValuePair<string, string>> Complete()
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var group in entries) result.AddRange(group.Result);
        return result;
    }

    private static KeyValuePair<string, string>[] ImageEntries(string stage, Volume image)
    {
        string prefix = $"diagnostics_Image-{stage}_";
        var g = image.Grid;
        var result = new List<KeyValuePair<string, string>>(7);
        if (stage == "original")
        {
            result.Add(new(prefix + "Hash", HashOf(image)));
            result.Add(new(prefix + "Dimensionality", "3D"));
        }
        result.Add(new(prefix + "Spacing", PyFormat.Tuple(g.Spacing.X, g.Spacing.Y, g.Spacing.Z)));
        result.Add(new(prefix + "Size", $"({g.Nx}, {g.Ny}, {g.Nz})"));
        var (sum, min, max) = StatisticsOf(image);
        result.Add(new(prefix + "Mean", PyFormat.Number(sum / image.Voxels.Length)));
        result.Add(new(prefix + "Minimum", PyFormat.Number(min)));
        result.Add(new(prefix + "Maximum", PyFormat.Number(max)));
        return result.ToArray();
    }

    private static KeyValuePair<string, string>[] MaskEntries(string stage, Grid grid, Box box, byte[] roi, Volume? image, string? hash)
    {
        string prefix = $"diagnostics_Mask-{stage}_";
        var result = new List<KeyValuePair<string, string>>(12);
        if (hash is not null) result.Add(new(prefix + "Hash", hash));
        result.Add(new(prefix + "Spacing", PyFormat.Tuple(grid.Spacing.X, grid.Spacing.Y, grid.Spacing.Z)));
        result.Add(new(prefix + "Size", $"({grid.Nx}, {grid.Ny}, {grid.Nz})"));

        var roiGrid = box.SubGrid(grid);
        int count = 0;
        double ci = 0, cj = 0, ck = 0, sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int k = 0, n = 0; k < roiGrid.Nz; k++)
            for (int j = 0; j < roiGrid.Ny; j++)
                for (int i = 0; i < roiGrid.Nx; i++, n++)
                {
                    if (roi[n] == 0) continue;
                    count++; ci += i; cj += j; ck += k;
                    if (image is null) continue;
                    double v = image.Voxels[grid.Index(box.I0 + i, box.J0 + j, box.K0 + k)];
                    sum += v;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
        ci = ci / count + box.I0; cj = cj / count + box.J0; ck = ck / count + box.K0;
        var centre = grid.IndexToPhysical(ci, cj, ck);
        result.Add(new(prefix + "BoundingBox", $"({box.I0}, {box.J0}, {box.K0}, {box.Nx}, {box.Ny}, {box.Nz})"));
        result.Add(new(prefix + "VoxelNum", count.ToString(CultureInfo.InvariantCulture)));
        result.Add(new(prefix + "VolumeNum", ConnectedComponents(roiGrid, roi).ToString(CultureInfo.InvariantCulture)));
        result.Add(new(prefix + "CenterOfMassIndex", PyFormat.Tuple(ci, cj, ck)));
        result.Add(new(prefix + "CenterOfMass", PyFormat.Tuple(centre.X, centre.Y, centre.Z)));
        if (image is not null)
        {
            result.Add(new(prefix + "Mean", PyFormat.Number(sum / count)));
            result.Add(new(prefix + "Minimum", PyFormat.Number(min)));
            result.Add(new(prefix + "Maximum", PyFormat.Number(max)));
        }
        return result.ToArray();
    }

    private const int Chunk = 8192;

    /// <summary>SHA-1 of the voxels in their stored type, x fastest (PyRadiomics hashes SimpleITK's array the same way),
    /// converted and hashed in cache-sized chunks.</summary>
    private static string HashOf(Volume volume) => HashOf(volume, volume.StoredType);

    /// <summary>SHA-1 of the voxels cast to <paramref name="type"/> (truncating, as SimpleITK's Cast does).</summary>
    private static string HashOf(Volume volume, PixelType type)
    {
        var voxels = volume.Voxels.AsSpan();
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk * sizeof(double));
        var integers = ArrayPool<int>.Shared.Rent(Chunk);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
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
            }
            return Convert.ToHexStringLower(sha1.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(integers);
        }
    }

    /// <summary>Sum (in double: exact for integer images), minimum and maximum of the voxels, chunk by chunk. A pass of
    /// its own: interleaved with the hash's chunks it cost several times as much (measured).</summary>
    private static (double Sum, double Min, double Max) StatisticsOf(Volume volume)
    {
        var voxels = volume.Voxels.AsSpan();
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int start = 0; start < voxels.Length; start += Chunk)
        {
            var (chunkSum, chunkMin, chunkMax) = Statistics(voxels.Slice(start, Math.Min(Chunk, voxels.Length - start)));
            sum += chunkSum;
            min = Math.Min(min, chunkMin);
            max = Math.Max(max, chunkMax);
        }
        return (sum, min, max);
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

    /// <summary>
    /// Sum (each float widened to double: exact for integer images), minimum and maximum in one vectorised pass; a NaN
    /// makes minimum and maximum NaN, as numpy's do.
    /// </summary>
    private static (double Sum, float Min, float Max) Statistics(ReadOnlySpan<float> values)
    {
        var low = Vector<double>.Zero;
        var high = Vector<double>.Zero;
        var lowest = new Vector<float>(float.PositiveInfinity);
        var highest = new Vector<float>(float.NegativeInfinity);
        var nan = Vector<int>.Zero;
        int n = 0;
        for (; n <= values.Length - Vector<float>.Count; n += Vector<float>.Count)
        {
            var v = new Vector<float>(values[n..]);
            Vector.Widen(v, out var a, out var b);
            low += a;
            high += b;
            lowest = Vector.MinNative(lowest, v);
            highest = Vector.MaxNative(highest, v);
            nan |= ~Vector.Equals(v, v);
        }
        double sum = Vector.Sum(low + high);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int lane = 0; lane < Vector<float>.Count; lane++)
        {
            min = Math.Min(min, lowest[lane]);
            max = Math.Max(max, highest[lane]);
        }
        bool hasNaN = nan != Vector<int>.Zero;
        for (; n < values.Length; n++)
        {
            sum += values[n];
            min = Math.Min(min, values[n]);
            max = Math.Max(max, values[n]);
            hasNaN |= float.IsNaN(values[n]);
        }
        return hasNaN ? (sum, float.NaN, float.NaN) : (sum, min, max);
    }

    private static KeyValuePair<string, string>[] DescribeRoi(string name, Box box, Grid grid, byte[] mask)
    {
        var roiGrid = box.SubGrid(grid);
        int count = 0;
        double ci = 0, cj = 0, ck = 0;
        for (int k = 0, n = 0; k < roiGrid.Nz; k++)
            for (int j = 0; j < roiGrid.Ny; j++)
                for (int i = 0; i < roiGrid.Nx; i++, n++)
                    if (mask[n] != 0) { count++; ci += i; cj += j; ck += k; }
        ci = ci / count + box.I0; cj = cj / count + box.J0; ck = ck / count + box.K0;
        var centre = grid.IndexToPhysical(ci, cj, ck);
        return
        [
            new($"diagnostics_{name}_BoundingBox", $"({box.I0}, {box.J0}, {box.K0}, {box.Nx}, {box.Ny}, {box.Nz})"),
            new($"diagnostics_{name}_VoxelNum", count.ToString(CultureInfo.InvariantCulture)),
            new($"diagnostics_{name}_VolumeNum", ConnectedComponents(roiGrid, mask).ToString(CultureInfo.InvariantCulture)),
            new($"diagnostics_{name}_CenterOfMassIndex", PyFormat.Tuple(ci, cj, ck)),
            new($"diagnostics_{name}_CenterOfMass", PyFormat.Tuple(centre.X, centre.Y, centre.Z)),
        ];
    }

    /// <summary>Number of 26-connected components (PyRadiomics runs SimpleITK's ConnectedComponent fully connected).</summary>
    private static int ConnectedComponents(Grid grid, byte[] mask)
    {
        var seen = new bool[mask.Length];
        var stack = new Stack<int>();
        int components = 0, nx = grid.Nx, ny = grid.Ny, nz = grid.Nz;
        for (int start = 0; start < mask.Length; start++)
        {
            if (mask[start] == 0 || seen[start]) continue;
            components++;
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int n = stack.Pop(), i = n % nx, j = n / nx % ny, k = n / (nx * ny);
                for (int dk = Math.Max(-k, -1); dk <= Math.Min(nz - 1 - k, 1); dk++)
                    for (int dj = Math.Max(-j, -1); dj <= Math.Min(ny - 1 - j, 1); dj++)
                        for (int di = Math.Max(-i, -1); di <= Math.Min(nx - 1 - i, 1); di++)
                        {
                            int m = n + di + nx * (dj + ny * dk);
                            if (mask[m] != 0 && !seen[m]) { seen[m] = true; stack.Push(m); }
                        }
            }
        }
        return components;
    }
}
