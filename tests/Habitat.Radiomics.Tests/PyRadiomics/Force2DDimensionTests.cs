using Habitat.Imaging;
using Habitat.Radiomics.PyRadiomics;
using static Habitat.Radiomics.Tests.PyRadiomics.NeighbourhoodDistanceTests;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// <c>force2D</c> with <c>force2Ddimension</c> 0, 1, 2: PyRadiomics keeps the offsets that do not move along that
/// dimension of its (z, y, x) array (0: dz = 0, 1: dy = 0, 2: dx = 0) for every texture class — GLCM angles, GLRLM runs,
/// GLSZM zone connectivity, GLDM and NGTDM neighbourhoods. Checked against <see cref="PyTextureReference"/>, and by
/// permuting the volume so that the chosen plane becomes axial (dimension 0).
/// </summary>
public class Force2DDimensionTests
{
    private const int Nx = 6, Ny = 5, Nz = 4;
    private static readonly Vec3 Spacing = new(0.7, 0.9, 1.3);

    private static int[] Levels() => RandomLevels(Nx * Ny * Nz, seed: 27, levels: 3, holeOneIn: 7);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MatchReference(int dimension)
    {
        var levels = Levels();
        var reference = new PyTextureReference(Nx, Ny, Nz, levels, Spacing);
        var settings = new PyRadiomicsSettings { Force2D = true, Force2DDimension = dimension, Distances = [1, 2], GldmA = 1 };
        var actual = Extract(Nx, Ny, Nz, Spacing, levels, settings, "glcm", "glrlm", "glszm", "gldm", "ngtdm");
        AssertMatches(reference.Glcm([1, 2], force2D: true, dimension, symmetric: true, weightingNorm: null), actual);
        AssertMatches(reference.Glrlm(force2D: true, dimension), actual);
        AssertMatches(reference.Glszm(force2D: true, dimension), actual);
        AssertMatches(reference.Gldm([1, 2], force2D: true, dimension, alpha: 1), actual);
        AssertMatches(reference.Ngtdm([1, 2], force2D: true, dimension), actual);

        // The plane is the one asked for: another dimension gives other values.
        var other = Extract(Nx, Ny, Nz, Spacing, levels, settings with { Force2DDimension = (dimension + 1) % 3 }, "glszm");
        Assert.NotEqual(other["glszm_SmallAreaEmphasis"], actual["glszm_SmallAreaEmphasis"]);
    }

    [Theory]
    [InlineData(1, null, false, new[] { 1 })]
    [InlineData(2, null, false, new[] { 2 })]
    [InlineData(1, "manhattan", true, new[] { 1, 2 })]
    [InlineData(2, "euclidean", true, new[] { 1 })]
    [InlineData(2, "no_weighting", false, new[] { 1, 3 })]
    [InlineData(2, null, true, new[] { 1 })] // the IBSI route (symmetric, distance 1): "2.5D, direction-merged"
    [InlineData(1, "no_weighting", true, new[] { 1 })] // the IBSI route: "2.5D, merged"
    public void MatchReferenceWithGlcmOptions(int dimension, string? weightingNorm, bool symmetric, int[] distances)
    {
        var levels = Levels();
        var settings = new PyRadiomicsSettings
        {
            Force2D = true, Force2DDimension = dimension, Distances = distances, SymmetricalGlcm = symmetric,
            WeightingNorm = weightingNorm is null ? WeightingNorm.None : PyRadiomicsParameters.WeightingNames[weightingNorm],
        };
        var actual = Extract(Nx, Ny, Nz, Spacing, levels, settings, "glcm", "gldm", "ngtdm");
        var reference = new PyTextureReference(Nx, Ny, Nz, levels, Spacing);
        AssertMatches(reference.Glcm(distances, force2D: true, dimension, symmetric, weightingNorm), actual);
        AssertMatches(reference.Gldm(distances, force2D: true, dimension, alpha: 0), actual);
        AssertMatches(reference.Ngtdm(distances, force2D: true, dimension), actual);
    }

    /// <summary>
    /// Dimension 1 or 2 on a volume equals dimension 0 on the volume with that axis made z and the in-plane axes kept in
    /// (z, y, x) order (so PyRadiomics' angle signs agree, and the asymmetric GLCM too); the spacing moves with its axis.
    /// </summary>
    [Theory]
    [InlineData(1, WeightingNorm.None, true)]
    [InlineData(2, WeightingNorm.None, false)]
    [InlineData(1, WeightingNorm.Manhattan, false)]
    [InlineData(2, WeightingNorm.Euclidean, true)]
    public void EqualsTheAxialPlaneOfThePermutedVolume(int dimension, WeightingNorm norm, bool symmetric)
    {
        var levels = Levels();
        string[] all = ["glcm", "glrlm", "glszm", "gldm", "ngtdm"];
        var settings = new PyRadiomicsSettings { Force2D = true, Distances = [1, 2], WeightingNorm = norm, SymmetricalGlcm = symmetric };
        var actual = Extract(Nx, Ny, Nz, Spacing, levels, settings with { Force2DDimension = dimension }, all);

        // Permuted: new (x, y, z) = (x, z, y) for dimension 1, (y, z, x) for dimension 2.
        var (px, py, pz, spacing) = dimension == 1
            ? (Nx, Nz, Ny, new Vec3(Spacing.X, Spacing.Z, Spacing.Y))
            : (Ny, Nz, Nx, new Vec3(Spacing.Y, Spacing.Z, Spacing.X));
        var permuted = new int[levels.Length];
        for (int z = 0; z < Nz; z++)
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                {
                    var (a, b, c) = dimension == 1 ? (x, z, y) : (y, z, x);
                    permuted[a + px * (b + py * c)] = levels[x + Nx * (y + Ny * z)];
                }
        var expected = Extract(px, py, pz, spacing, permuted, settings with { Force2DDimension = 0 }, all);
        Assert.Equal(expected.Count, actual.Count);
        AssertMatches(expected, actual);
    }
}
