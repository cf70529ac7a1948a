using System.Numerics.Tensors;

namespace Habitat.Imaging.Filters;

/// <summary>Settings of a Laws filter (IBSI 2 JTXT): a kernel name such as "E5L5S5" (one 1-D kernel per
/// axis, x first) or "L5S5" for 2-D; optional rotation invariance and an energy map.</summary>
public sealed record LawsSettings(string Kernels, BoundaryMode Boundary, bool RotationInvariant = false,
    Pooling Pooling = Pooling.Max, int? EnergyDistance = null);

/// <summary>
/// Laws kernels (IBSI 2): separable products of the normalised 1-D kernels L (level), E (edge), S (spot),
/// W (wave) and R (ripple); the energy map is the local mean of the absolute response over a cube of
/// 2δ + 1 voxels (IBSI PQSD).
/// </summary>
public static class LawsFilter
{
    public static Volume Apply(Volume image, LawsSettings settings)
    {
        var kernels = Parse(settings.Kernels);
        bool planar = kernels.Count == 2;
        var grid = image.Grid;
        float[] Respond(IReadOnlyList<Kernel1D> k) =>
            SeparableConvolution.Apply(image.Voxels, grid, k[0], k[1], planar ? null : k[2], settings.Boundary);
        var response = settings.RotationInvariant
            ? RotationInvariance.Pool(planar, rotate => Respond(rotate(kernels)), settings.Pooling)
            : Respond(kernels);
        if (settings.EnergyDistance is int delta)
        {
            if (delta < 0) throw new ArgumentOutOfRangeException(nameof(settings), $"Laws energy distance must be ≥ 0, got {delta}");
            TensorPrimitives.Abs(response, response);
            response = MeanFilter.Average(response, grid, 2 * delta + 1, settings.Boundary, planar);
        }
        return image.WithVoxels(response, PixelType.Float32);
    }

    /// <summary>"E5L5S5" → [E5, L5, S5]; throws naming the part it does not know.</summary>
    public static IReadOnlyList<Kernel1D> Parse(string name)
    {
        if (name.Length is not (4 or 6))
            throw new ArgumentException($"Laws kernel '{name}' must name 2 or 3 one-dimensional kernels, e.g. E5L5S5", nameof(name));
        var result = new List<Kernel1D>();
        for (int p = 0; p < name.Length; p += 2)
            result.Add(Kernel1D.Centred(OneDimensional(name.Substring(p, 2))));
        return result;
    }

    static float[] OneDimensional(string name)
    {
        double[] taps = name.ToUpperInvariant() switch
        {
            "L3" => [1, 2, 1],
            "E3" => [-1, 0, 1],
            "S3" => [-1, 2, -1],
            "L5" => [1, 4, 6, 4, 1],
            "E5" => [-1, -2, 0, 2, 1],
            "S5" => [-1, 0, 2, 0, -1],
            "W5" => [-1, 2, 0, -2, 1],
            "R5" => [1, -4, 6, -4, 1],
            _ => throw new ArgumentException($"unknown Laws kernel '{name}' (known: L3 E3 S3 L5 E5 S5 W5 R5)", nameof(name)),
        };
        // IBSI 2 normalises each 1-D kernel to unit Euclidean norm.
        double norm = Math.Sqrt(taps.Sum(t => t * t));
        return taps.Select(t => (float)(t / norm)).ToArray();
    }
}
