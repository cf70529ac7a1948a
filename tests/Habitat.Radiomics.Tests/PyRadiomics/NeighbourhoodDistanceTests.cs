using Habitat.Imaging;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// GLDM and NGTDM with PyRadiomics' <c>distances</c>: the neighbours of a voxel are the ROI voxels whose Chebyshev
/// distance is in the set — the whole cube for 1…m, a shell for sets with gaps ([2], [1, 3]) — and any positive
/// distance is accepted (above 16 too). Checked against <see cref="PyTextureReference"/> on small random volumes.
/// </summary>
public class NeighbourhoodDistanceTests
{
    internal static int[] RandomLevels(int count, int seed, int levels = 4, int holeOneIn = 6)
    {
        var random = new Random(seed);
        var result = new int[count];
        for (int v = 0; v < result.Length; v++) result[v] = random.Next(holeOneIn) == 0 ? 0 : 1 + random.Next(levels);
        for (int l = 1; l <= levels; l++) result[l - 1] = l; // every grey level present
        return result;
    }

    internal static Dictionary<string, double> Extract(int nx, int ny, int nz, Vec3 spacing, int[] levels, PyRadiomicsSettings settings,
        params string[] classes) =>
        PyTexture.Compute(
            new DiscretisedRoi(Grid.Create(nx, ny, nz, spacing), levels, levels.Max(), Array.ConvertAll(levels, l => (byte)(l > 0 ? 1 : 0))),
            settings,
            classes.ToDictionary(c => c, c => PyFeatureNames.Classes[c])).ToDictionary(p => p.Key, p => p.Value);

    internal static void AssertMatches(Dictionary<string, double> expected, Dictionary<string, double> actual)
    {
        foreach (var (name, value) in expected)
            Assert.True(Math.Abs(actual[name] - value) <= 1e-12 * Math.Max(1, Math.Abs(value)),
                $"{name}: expected {value:R}, got {actual[name]:R}");
    }

    [Theory]
    [InlineData(6, 5, 4, new[] { 1, 2 }, 0)]
    [InlineData(6, 5, 4, new[] { 2, 1 }, 1)]
    [InlineData(6, 5, 4, new[] { 1, 2, 3 }, 0)]
    [InlineData(6, 5, 4, new[] { 2 }, 0)] // a shell: the 98 voxels at distance exactly 2
    [InlineData(6, 5, 4, new[] { 3 }, 1)]
    [InlineData(6, 5, 4, new[] { 1, 3 }, 0)]
    [InlineData(7, 6, 5, new[] { 2, 4 }, 2)]
    [InlineData(24, 4, 3, new[] { 17 }, 0)] // above the former limit of 16
    [InlineData(24, 4, 3, new[] { 1, 20 }, 1)]
    [InlineData(5, 4, 3, new[] { 1000 }, 0)] // beyond the ROI: no neighbours at all
    public void MatchReference(int nx, int ny, int nz, int[] distances, int gldmA)
    {
        var levels = RandomLevels(nx * ny * nz, seed: 11 + nx + distances.Sum());
        var spacing = new Vec3(1, 1, 2);
        var actual = Extract(nx, ny, nz, spacing, levels, new PyRadiomicsSettings { Distances = distances, GldmA = gldmA }, "glcm", "gldm", "ngtdm");
        var reference = new PyTextureReference(nx, ny, nz, levels, spacing);
        AssertMatches(reference.Gldm(distances, force2D: false, dimension: 0, gldmA), actual);
        AssertMatches(reference.Ngtdm(distances, force2D: false, dimension: 0), actual);
        if (distances.Min() < Math.Max(nx, Math.Max(ny, nz)))
            AssertMatches(reference.Glcm(distances, force2D: false, dimension: 0, symmetric: true, weightingNorm: null), actual);
        else Assert.True(double.IsNaN(actual["glcm_Contrast"])); // no pair at such a distance: every angle is empty

        // The set is used, not its maximum only: the cube 1…max gives other values.
        if (distances.Length == 1 && distances[0] is > 1 and < 1000)
        {
            var cube = Extract(nx, ny, nz, spacing, levels,
                new PyRadiomicsSettings { Distances = Enumerable.Range(1, distances[0]).ToArray(), GldmA = gldmA }, "gldm");
            Assert.NotEqual(cube["gldm_LargeDependenceEmphasis"], actual["gldm_LargeDependenceEmphasis"]);
        }
    }

    [Fact]
    public void NgtdmCountsVoxelsWithoutNeighbours()
    {
        // Two voxels 3 apart along x with distances [1]: neither has a neighbour. PyRadiomics counts both in n_i with
        // s_i = 0, so Coarseness is 10⁶ and Contrast 0 (IBSI would leave no valid voxel).
        int[] levels = [1, 0, 0, 2];
        var actual = Extract(4, 1, 1, new Vec3(1, 1, 1), levels, new PyRadiomicsSettings(), "ngtdm");
        Assert.Equal(1e6, actual["ngtdm_Coarseness"]);
        Assert.Equal(0, actual["ngtdm_Contrast"]);
        AssertMatches(new PyTextureReference(4, 1, 1, levels, new Vec3(1, 1, 1)).Ngtdm([1], false, 0), actual);
    }

    [Fact]
    public void NgtdmBusynessIsZeroWhenAllLevelsWeighEqually()
    {
        // Levels 1, 1, 2: p = 2/3, 1/3, so 1 · p_1 = 2 · p_2 and Σ |i p_i − j p_j| = 0; PyRadiomics returns 0.
        int[] levels = [1, 1, 2];
        var actual = Extract(3, 1, 1, new Vec3(1, 1, 1), levels, new PyRadiomicsSettings(), "ngtdm");
        Assert.Equal(0, actual["ngtdm_Busyness"]);
        AssertMatches(new PyTextureReference(3, 1, 1, levels, new Vec3(1, 1, 1)).Ngtdm([1], false, 0), actual);
    }

    [Fact]
    public void LargeNeighbourhoodOfALargeRoiIsAClearError()
    {
        // 70×70×14 voxels, distances 1…30: 61 × 61 × 27 offsets can meet the ROI, more than 16-bit counts hold.
        var levels = new int[70 * 70 * 14];
        Array.Fill(levels, 1);
        levels[0] = 2;
        var error = Assert.Throws<ArgumentException>(() =>
            Extract(70, 70, 14, new Vec3(1, 1, 1), levels, new PyRadiomicsSettings { Distances = Enumerable.Range(1, 30).ToArray() }, "gldm"));
        Assert.Contains("65535", error.Message);
    }
}
