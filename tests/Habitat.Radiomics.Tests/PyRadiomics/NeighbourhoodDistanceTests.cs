using Habitat.Imaging;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// GLDM and NGTDM with PyRadiomics' <c>distances</c> 1…m: the neighbours of a voxel are the ROI voxels at Chebyshev
/// distance 1…m. Checked against a brute-force count written here.
/// </summary>
public class NeighbourhoodDistanceTests
{
    private const int Nx = 6, Ny = 5, Nz = 4;

    private static int[] Levels()
    {
        var random = new Random(11);
        var levels = new int[Nx * Ny * Nz];
        for (int v = 0; v < levels.Length; v++) levels[v] = random.Next(6) == 0 ? 0 : 1 + random.Next(4);
        return levels;
    }

    private static IEnumerable<int> Neighbours(int[] levels, int x, int y, int z, int m)
    {
        for (int dz = -m; dz <= m; dz++)
            for (int dy = -m; dy <= m; dy++)
                for (int dx = -m; dx <= m; dx++)
                {
                    int x2 = x + dx, y2 = y + dy, z2 = z + dz;
                    if ((dx, dy, dz) == (0, 0, 0) || x2 < 0 || y2 < 0 || z2 < 0 || x2 >= Nx || y2 >= Ny || z2 >= Nz) continue;
                    int g = levels[x2 + Nx * (y2 + Ny * z2)];
                    if (g > 0) yield return g;
                }
    }

    private static Dictionary<string, double> Extract(int[] levels, int[] distances, int gldmA) =>
        PyTexture.Compute(
            new DiscretisedRoi(Grid.Create(Nx, Ny, Nz, new Vec3(1, 1, 2)), levels, 4, Array.ConvertAll(levels, l => (byte)(l > 0 ? 1 : 0))),
            new PyRadiomicsSettings { Distances = distances, GldmA = gldmA },
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["gldm"] = ["SmallDependenceEmphasis", "LargeDependenceEmphasis", "DependenceNonUniformity", "GrayLevelVariance"],
                ["ngtdm"] = ["Coarseness", "Busyness"],
            }).ToDictionary(p => p.Key, p => p.Value);

    [Theory]
    [InlineData(new[] { 1, 2 }, 0)]
    [InlineData(new[] { 2, 1 }, 1)]
    [InlineData(new[] { 1, 2, 3 }, 0)]
    public void MatchBruteForce(int[] distances, int gldmA)
    {
        var levels = Levels();
        var actual = Extract(levels, distances, gldmA);
        int m = distances.Max();

        // GLDM: dependence = 1 + neighbours with |difference| ≤ α; NGTDM: n_i and s_i = Σ |i − neighbour mean|.
        var dependence = new List<(int Level, int Size)>();
        var n = new double[5];
        var s = new double[5];
        for (int z = 0; z < Nz; z++)
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                {
                    int g = levels[x + Nx * (y + Ny * z)];
                    if (g == 0) continue;
                    var neighbours = Neighbours(levels, x, y, z, m).ToList();
                    dependence.Add((g, 1 + neighbours.Count(h => Math.Abs(h - g) <= gldmA)));
                    if (neighbours.Count == 0) continue;
                    n[g]++;
                    s[g] += Math.Abs(g - neighbours.Average());
                }
        double total = dependence.Count, meanLevel = dependence.Average(d => d.Level);
        Check(actual, "gldm_SmallDependenceEmphasis", dependence.Sum(d => 1.0 / (d.Size * d.Size)) / total);
        Check(actual, "gldm_LargeDependenceEmphasis", dependence.Sum(d => (double)d.Size * d.Size) / total);
        Check(actual, "gldm_DependenceNonUniformity", dependence.GroupBy(d => d.Size).Sum(group => (double)group.Count() * group.Count()) / total);
        Check(actual, "gldm_GrayLevelVariance", dependence.Sum(d => (d.Level - meanLevel) * (d.Level - meanLevel)) / total);

        double valid = n.Sum(), weighted = 0, spread = 0;
        for (int i = 1; i <= 4; i++) weighted += n[i] / valid * s[i];
        for (int i = 1; i <= 4; i++)
            for (int j = 1; j <= 4; j++)
                if (n[i] > 0 && n[j] > 0) spread += Math.Abs(i * n[i] / valid - j * n[j] / valid);
        Check(actual, "ngtdm_Coarseness", 1 / weighted);
        Check(actual, "ngtdm_Busyness", weighted / spread);

        // A larger neighbourhood changes the values (the setting is used, not ignored).
        Assert.NotEqual(Extract(levels, [1], gldmA)["gldm_LargeDependenceEmphasis"], actual["gldm_LargeDependenceEmphasis"]);
    }

    private static void Check(Dictionary<string, double> actual, string name, double expected) =>
        Assert.True(Math.Abs(actual[name] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)),
            $"{name}: expected {expected:R}, got {actual[name]:R}");
}
