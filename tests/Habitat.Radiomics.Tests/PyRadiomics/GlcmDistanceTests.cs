using Habitat.Imaging;
using Habitat.Radiomics.Features.Texture;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// PyRadiomics' GLCM <c>distances</c> and <c>weightingNorm</c>: a hand-computed row, and a brute-force reference written
/// here independently (all signed offsets of the requested Chebyshev norms counted directly, which equals PyRadiomics'
/// symmetrised half-set) on a small anisotropic volume.
/// </summary>
public class GlcmDistanceTests
{
    private const double Eps = 2.220446049250313e-16;

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Glcm = new Dictionary<string, IReadOnlyList<string>>
    {
        ["glcm"] = ["Contrast", "JointEnergy", "JointEntropy", "MaximumProbability", "Autocorrelation", "JointAverage", "Idm", "SumSquares"],
    };

    private static Dictionary<string, double> Extract(DiscretisedRoi roi, PyRadiomicsSettings settings) =>
        PyTexture.Compute(roi, settings, Glcm).ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void HandComputedRow()
    {
        // Levels 1 2 2 along x, 2 mm apart. Symmetric pairs: distance 1 {(1,2), (2,1), (2,2)×2}; distance 2 {(1,2), (2,1)}.
        var roi = new DiscretisedRoi(Grid.Create(3, 1, 1, new Vec3(2, 1, 1)), [1, 2, 2], 2, [1, 1, 1]);
        double w1 = Math.Exp(-4), w2 = Math.Exp(-16); // exp(−(2 mm)²), exp(−(4 mm)²): one axis, so every norm agrees

        var averaged = Extract(roi, new PyRadiomicsSettings { Distances = [1, 2] });
        Assert.Equal((0.5 + 1.0) / 2, averaged["glcm_Contrast"], 15); // per angle 2/4 and 2/2, the other 60 angles empty

        var summed = Extract(roi, new PyRadiomicsSettings { Distances = [1, 2], WeightingNorm = WeightingNorm.NoWeighting });
        Assert.Equal(4.0 / 6, summed["glcm_Contrast"], 15);
        Assert.Equal(2.0 / 6, summed["glcm_MaximumProbability"], 15);

        foreach (var norm in new[] { WeightingNorm.Manhattan, WeightingNorm.Euclidean, WeightingNorm.Infinity })
        {
            var weighted = Extract(roi, new PyRadiomicsSettings { Distances = [1, 2], WeightingNorm = norm });
            double total = 4 * w1 + 2 * w2;
            Assert.Equal(2 * (w1 + w2) / total, weighted["glcm_Contrast"], 14);
            Assert.Equal(2 * w1 / total, weighted["glcm_MaximumProbability"], 14);
        }

        // distances [2] alone: only the (1,2) pair.
        var second = Extract(roi, new PyRadiomicsSettings { Distances = [2] });
        Assert.Equal(1.0, second["glcm_Contrast"], 15);
    }

    [Fact]
    public void AnglesAreEveryOffsetOfTheRequestedNormsOncePerPair()
    {
        Assert.Equal(13, PyAngles.Generate([1], force2D: false).Length);
        Assert.Equal((125 - 27) / 2, PyAngles.Generate([2], force2D: false).Length);
        Assert.Equal((125 - 1) / 2, PyAngles.Generate([1, 2], force2D: false).Length);
        Assert.Equal((343 - 125 + 27 - 1) / 2, PyAngles.Generate([1, 3], force2D: false).Length);
        Assert.Equal((25 - 1) / 2, PyAngles.Generate([2, 1], force2D: true).Length);
        var angles = PyAngles.Generate([1, 2], force2D: false);
        Assert.Equal(angles.Length, angles.Distinct().Count());
        foreach (var a in angles)
        {
            Assert.DoesNotContain(new Direction(-a.Dx, -a.Dy, -a.Dz), angles);
            // PyRadiomics keeps the offset whose first non-zero (z, y, x) component is positive.
            int first = a.Dz != 0 ? a.Dz : a.Dy != 0 ? a.Dy : a.Dx;
            Assert.True(first > 0, a.ToString());
        }
        Assert.All(PyAngles.Generate([1, 2], force2D: true), a => Assert.Equal(0, a.Dz));
    }

    [Theory]
    [InlineData(WeightingNorm.None, new[] { 1, 2 }, false)]
    [InlineData(WeightingNorm.NoWeighting, new[] { 1, 2 }, false)]
    [InlineData(WeightingNorm.Manhattan, new[] { 1, 2 }, false)]
    [InlineData(WeightingNorm.Euclidean, new[] { 1, 2 }, false)]
    [InlineData(WeightingNorm.Infinity, new[] { 1, 2 }, false)]
    [InlineData(WeightingNorm.Euclidean, new[] { 1 }, false)]
    [InlineData(WeightingNorm.None, new[] { 2 }, false)]
    [InlineData(WeightingNorm.Manhattan, new[] { 1, 2 }, true)]
    [InlineData(WeightingNorm.None, new[] { 1, 3 }, true)]
    [InlineData(WeightingNorm.None, new[] { 1 }, false, false)]
    [InlineData(WeightingNorm.NoWeighting, new[] { 1 }, false, false)]
    [InlineData(WeightingNorm.None, new[] { 1 }, true, false)]
    [InlineData(WeightingNorm.Manhattan, new[] { 1, 2 }, false, false)]
    public void MatchesBruteForceReference(WeightingNorm norm, int[] distances, bool force2D, bool symmetric = true)
    {
        const int nx = 5, ny = 4, nz = 3;
        var spacing = new Vec3(0.7, 0.9, 1.3);
        var random = new Random(20261127);
        var levels = new int[nx * ny * nz];
        for (int v = 0; v < levels.Length; v++) levels[v] = random.Next(5) == 0 ? 0 : 1 + random.Next(3);
        levels[0] = 1; levels[1] = 2; levels[2] = 3; // every grey level present
        var mask = Array.ConvertAll(levels, l => (byte)(l > 0 ? 1 : 0));
        var roi = new DiscretisedRoi(Grid.Create(nx, ny, nz, spacing), levels, 3, mask);
        var actual = Extract(roi, new PyRadiomicsSettings { Distances = distances, WeightingNorm = norm, Force2D = force2D, SymmetricalGlcm = symmetric });

        int max = distances.Max();
        double[,] Counts(int dx, int dy, int dz)
        {
            var c = new double[4, 4];
            for (int z = 0; z < nz; z++)
                for (int y = 0; y < ny; y++)
                    for (int x = 0; x < nx; x++)
                    {
                        int x2 = x + dx, y2 = y + dy, z2 = z + dz;
                        if (x2 < 0 || y2 < 0 || z2 < 0 || x2 >= nx || y2 >= ny || z2 >= nz) continue;
                        int a = levels[x + nx * (y + ny * z)], b = levels[x2 + nx * (y2 + ny * z2)];
                        if (a > 0 && b > 0) c[a, b]++;
                    }
            return c;
        }
        var offsets = new List<(int X, int Y, int Z)>();
        for (int dz = force2D ? 0 : -max; dz <= (force2D ? 0 : max); dz++)
            for (int dy = -max; dy <= max; dy++)
                for (int dx = -max; dx <= max; dx++)
                    if (distances.Contains(Math.Max(Math.Abs(dx), Math.Max(Math.Abs(dy), Math.Abs(dz))))) offsets.Add((dx, dy, dz));
        // PyRadiomics' angle of each ± pair: the first non-zero (z, y, x) component positive; its matrix has the centre
        // voxel's level as row. Symmetrised, counts(o) + counts(−o) is the same for either sign.
        var positive = offsets.Where(o => (o.Z, o.Y, o.X).CompareTo((0, 0, 0)) > 0).ToList();

        Dictionary<string, double> expected;
        if (norm == WeightingNorm.None)
        {
            // Mean over the non-empty angles.
            var sums = new Dictionary<string, double>();
            int used = 0;
            foreach (var o in positive)
            {
                var p = Add(Counts(o.X, o.Y, o.Z), Counts(-o.X, -o.Y, -o.Z), symmetric ? 1 : 0);
                if (Total(p) == 0) continue;
                used++;
                foreach (var (k, v) in Features(p)) sums[k] = sums.GetValueOrDefault(k) + v;
            }
            expected = sums.ToDictionary(p => p.Key, p => p.Value / used);
        }
        else
        {
            var sum = new double[4, 4];
            foreach (var o in symmetric ? offsets : positive)
            {
                double x = Math.Abs(o.X) * spacing.X, y = Math.Abs(o.Y) * spacing.Y, z = Math.Abs(o.Z) * spacing.Z;
                double w = norm switch
                {
                    WeightingNorm.Manhattan => Math.Exp(-Math.Pow(x + y + z, 2)),
                    WeightingNorm.Euclidean => Math.Exp(-Math.Pow(Math.Sqrt(x * x + y * y + z * z), 2)),
                    WeightingNorm.Infinity => Math.Exp(-Math.Pow(Math.Max(x, Math.Max(y, z)), 2)),
                    _ => 1,
                };
                sum = Add(sum, Counts(o.X, o.Y, o.Z), w);
            }
            expected = Features(sum);
        }
        foreach (var (name, value) in expected)
            Assert.True(Math.Abs(actual["glcm_" + name] - value) <= 1e-12 * Math.Max(1, Math.Abs(value)),
                $"{name}: expected {value:R}, got {actual["glcm_" + name]:R}");
    }

    [Theory]
    [InlineData("[0]")]
    [InlineData("[1, 2.5]")]
    [InlineData("[3000000000]")]
    [InlineData("[]")]
    public void InvalidDistancesAreErrorsNamingTheSetting(string distances)
    {
        var error = Assert.Throws<ImageFormatException>(() => PyRadiomicsParameters.Parse(
            $"setting:\n  distances: {distances}\nfeatureClass:\n  gldm:\n", "test.yaml"));
        Assert.Contains("distances", error.Message);
    }

    [Fact]
    public void DistancesAndWeightingAreAcceptedWhereImplemented()
    {
        // GLRLM and GLSZM ignore distances in PyRadiomics; GLSZM, GLDM and NGTDM ignore weightingNorm (GLRLM applies it).
        var parameters = PyRadiomicsParameters.Parse(
            "setting:\n  distances: [1, 2]\n  weightingNorm: euclidean\nfeatureClass:\n  glcm:\n  glszm:\n", "test.yaml");
        Assert.Equal([1, 2], parameters.Settings.Distances);
        Assert.Equal(WeightingNorm.Euclidean, parameters.Settings.WeightingNorm);
        PyRadiomicsParameters.Parse("setting:\n  distances: [3]\nfeatureClass:\n  glrlm:\n", "test.yaml");
        PyRadiomicsParameters.Parse("setting:\n  distances: [2, 1, 3]\nfeatureClass:\n  gldm:\n  ngtdm:\n", "test.yaml");
        // Any set of positive distances, gaps and distances above 16 included (PyRadiomics accepts them).
        Assert.Equal([2], PyRadiomicsParameters.Parse("setting:\n  distances: [2]\nfeatureClass:\n  gldm:\n  ngtdm:\n", "test.yaml").Settings.Distances);
        Assert.Equal([1, 40], PyRadiomicsParameters.Parse("setting:\n  distances: [1, 40]\nfeatureClass:\n  glcm:\n  gldm:\n", "test.yaml").Settings.Distances);
        PyRadiomicsParameters.Parse("setting:\n  weightingNorm: infinity\nfeatureClass:\n  glrlm:\n  gldm:\n  ngtdm:\n", "test.yaml");
    }

    private static double[,] Add(double[,] a, double[,] b, double weight)
    {
        var c = new double[4, 4];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) c[i, j] = a[i, j] + weight * b[i, j];
        return c;
    }

    private static double Total(double[,] m)
    {
        double t = 0;
        foreach (double v in m) t += v;
        return t;
    }

    /// <summary>PyRadiomics' GLCM formulas on the normalised matrix, grey levels 1…3.</summary>
    private static Dictionary<string, double> Features(double[,] counts)
    {
        double total = Total(counts);
        double contrast = 0, energy = 0, entropy = 0, maximum = 0, autocorrelation = 0, mean = 0, idm = 0;
        for (int i = 1; i <= 3; i++)
            for (int j = 1; j <= 3; j++)
            {
                double p = counts[i, j] / total;
                contrast += (i - j) * (i - j) * p;
                energy += p * p;
                entropy -= p * Math.Log2(p + Eps);
                maximum = Math.Max(maximum, p);
                autocorrelation += i * j * p;
                mean += i * p;
                idm += p / (1 + (i - j) * (i - j));
            }
        double variance = 0;
        for (int i = 1; i <= 3; i++)
            for (int j = 1; j <= 3; j++) variance += (i - mean) * (i - mean) * counts[i, j] / total;
        return new()
        {
            ["Contrast"] = contrast, ["JointEnergy"] = energy, ["JointEntropy"] = entropy, ["MaximumProbability"] = maximum,
            ["Autocorrelation"] = autocorrelation, ["JointAverage"] = mean, ["Idm"] = idm, ["SumSquares"] = variance,
        };
    }
}
