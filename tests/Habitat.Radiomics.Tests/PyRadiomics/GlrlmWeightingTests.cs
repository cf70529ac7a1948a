using Habitat.Imaging;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// PyRadiomics' GLRLM <c>weightingNorm</c>: each of the 13 (force2D: 4) direction matrices weighted by the norm ‖d mm‖
/// itself (<c>glrlm.py</c>; GLCM uses exp(−‖d‖²)) and summed into one matrix. Checked against a brute-force run count
/// written here, and default/no_weighting unchanged.
/// </summary>
public class GlrlmWeightingTests
{
    private const double Eps = 2.220446049250313e-16;
    private const int Nx = 5, Ny = 4, Nz = 3;
    private static readonly Vec3 Spacing = new(0.6, 0.8, 1.1);

    private static readonly string[] Names =
        ["ShortRunEmphasis", "LongRunEmphasis", "GrayLevelNonUniformity", "RunLengthNonUniformity", "RunPercentage", "RunEntropy", "GrayLevelVariance"];

    private static (DiscretisedRoi Roi, int[] Levels) Roi()
    {
        var random = new Random(7);
        var levels = new int[Nx * Ny * Nz];
        // Few levels and few holes so that runs longer than 1 occur.
        for (int v = 0; v < levels.Length; v++) levels[v] = random.Next(8) == 0 ? 0 : 1 + random.Next(2);
        var mask = Array.ConvertAll(levels, l => (byte)(l > 0 ? 1 : 0));
        return (new DiscretisedRoi(Grid.Create(Nx, Ny, Nz, Spacing), levels, 2, mask), levels);
    }

    private static Dictionary<string, double> Extract(DiscretisedRoi roi, PyRadiomicsSettings settings) =>
        PyTexture.Compute(roi, settings, new Dictionary<string, IReadOnlyList<string>> { ["glrlm"] = Names }).ToDictionary(p => p.Key, p => p.Value);

    [Theory]
    [InlineData(WeightingNorm.Manhattan, false)]
    [InlineData(WeightingNorm.Euclidean, false)]
    [InlineData(WeightingNorm.Infinity, false)]
    [InlineData(WeightingNorm.Infinity, true)]
    public void WeightedSumMatchesBruteForce(WeightingNorm norm, bool force2D)
    {
        var (roi, levels) = Roi();
        var actual = Extract(roi, new PyRadiomicsSettings { WeightingNorm = norm, Force2D = force2D });

        int Level(int x, int y, int z) => x < 0 || y < 0 || z < 0 || x >= Nx || y >= Ny || z >= Nz ? 0 : levels[x + Nx * (y + Ny * z)];
        int longest = Math.Max(Nx, Math.Max(Ny, Nz));
        var sum = new double[3, longest + 1];
        for (int dz = -1; dz <= 1; dz++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                {
                    if ((dz, dy, dx).CompareTo((0, 0, 0)) <= 0 || (force2D && dz != 0)) continue; // one of each ± pair
                    double x = Math.Abs(dx) * Spacing.X, y = Math.Abs(dy) * Spacing.Y, z = Math.Abs(dz) * Spacing.Z;
                    double w = norm switch
                    {
                        WeightingNorm.Manhattan => x + y + z,
                        WeightingNorm.Euclidean => Math.Sqrt(x * x + y * y + z * z),
                        _ => Math.Max(x, Math.Max(y, z)),
                    };
                    for (int k = 0; k < Nz; k++)
                        for (int j = 0; j < Ny; j++)
                            for (int i = 0; i < Nx; i++)
                            {
                                int g = Level(i, j, k);
                                if (g == 0 || Level(i - dx, j - dy, k - dz) == g) continue; // not a run's first voxel
                                int length = 1;
                                while (Level(i + length * dx, j + length * dy, k + length * dz) == g) length++;
                                sum[g, length] += w;
                            }
                }

        double runs = 0, voxels = 0, small = 0, large = 0, entropy = 0, meanI = 0;
        var row = new double[3];
        var column = new double[longest + 1];
        for (int g = 1; g <= 2; g++)
            for (int l = 1; l <= longest; l++)
            {
                double r = sum[g, l];
                runs += r; voxels += l * r; small += r / (l * l); large += r * l * l;
                row[g] += r; column[l] += r; meanI += g * r;
            }
        meanI /= runs;
        double greyVariance = 0;
        for (int g = 1; g <= 2; g++)
            for (int l = 1; l <= longest; l++)
            {
                double p = sum[g, l] / runs;
                entropy -= p * Math.Log2(p + Eps);
                greyVariance += p * (g - meanI) * (g - meanI);
            }
        var expected = new Dictionary<string, double>
        {
            ["ShortRunEmphasis"] = small / runs, ["LongRunEmphasis"] = large / runs,
            ["GrayLevelNonUniformity"] = row.Sum(v => v * v) / runs, ["RunLengthNonUniformity"] = column.Sum(v => v * v) / runs,
            ["RunPercentage"] = runs / voxels, ["RunEntropy"] = entropy, ["GrayLevelVariance"] = greyVariance,
        };
        foreach (var (name, value) in expected)
            Assert.True(Math.Abs(actual["glrlm_" + name] - value) <= 1e-12 * Math.Max(1, Math.Abs(value)),
                $"{name}: expected {value:R}, got {actual["glrlm_" + name]:R}");
    }

    [Fact]
    public void WeightingChangesTheResultAndEqualWeightsGiveTheMergedMatrix()
    {
        var (roi, _) = Roi();
        var merged = Extract(roi, new PyRadiomicsSettings { WeightingNorm = WeightingNorm.NoWeighting });
        var averaged = Extract(roi, new PyRadiomicsSettings());
        var weighted = Extract(roi, new PyRadiomicsSettings { WeightingNorm = WeightingNorm.Euclidean });
        Assert.NotEqual(merged["glrlm_ShortRunEmphasis"], weighted["glrlm_ShortRunEmphasis"]);
        Assert.NotEqual(merged["glrlm_ShortRunEmphasis"], averaged["glrlm_ShortRunEmphasis"]);
        // With isotropic 2 mm spacing the infinity norm weights every direction by 2: no_weighting's matrix × 2.
        // Ratios of sums are unchanged; the non-uniformities Σ r² / Σ r scale with the weight, as in PyRadiomics.
        var isotropic = roi with { Grid = Grid.Create(Nx, Ny, Nz, new Vec3(2, 2, 2)) };
        var equal = Extract(isotropic, new PyRadiomicsSettings { WeightingNorm = WeightingNorm.Infinity });
        var plain = Extract(isotropic, new PyRadiomicsSettings { WeightingNorm = WeightingNorm.NoWeighting });
        foreach (var name in Names)
        {
            double scale = name.EndsWith("NonUniformity") ? 2 : 1;
            Assert.Equal(plain["glrlm_" + name] * scale, equal["glrlm_" + name], 12);
        }
    }
}
