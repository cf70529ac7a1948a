using Habitat.Imaging;
using Habitat.Radiomics.Maps;

namespace Habitat.Radiomics.Tests.Maps;

public class HaralickStatisticsTests
{
    /// <summary>The 13 statistics by their textbook definitions on a dense normalised matrix (levels from 1).</summary>
    private static double[] Dense(double[,] p)
    {
        int g = p.GetLength(0);
        var px = new double[g];
        var sum = new double[2 * g + 1];
        var diff = new double[g];
        double entropy = 0, energy = 0, contrast = 0, idm = 0, ijSum = 0;
        for (int i = 0; i < g; i++)
            for (int j = 0; j < g; j++)
            {
                double v = p[i, j];
                px[i] += v;
                sum[i + j + 2] += v;
                diff[Math.Abs(i - j)] += v;
                if (v == 0) continue;
                entropy -= v * Math.Log2(v);
                energy += v * v;
                contrast += (i - j) * (i - j) * v;
                idm += v / (1 + (i - j) * (i - j));
                ijSum += (i + 1) * (j + 1) * v;
            }
        double mu = 0, hx = 0;
        for (int i = 0; i < g; i++) { mu += (i + 1) * px[i]; if (px[i] > 0) hx -= px[i] * Math.Log2(px[i]); }
        double sigma2 = 0;
        for (int i = 0; i < g; i++) sigma2 += (i + 1 - mu) * (i + 1 - mu) * px[i];
        double hxy1 = 0, hxy2 = 0;
        for (int i = 0; i < g; i++)
            for (int j = 0; j < g; j++)
            {
                if (px[i] == 0 || px[j] == 0) continue;
                hxy1 -= p[i, j] * Math.Log2(px[i] * px[j]);
                hxy2 -= px[i] * px[j] * Math.Log2(px[i] * px[j]);
            }
        double sa = 0, se = 0, da = 0, de = 0;
        for (int k = 0; k < sum.Length; k++) { sa += k * sum[k]; if (sum[k] > 0) se -= sum[k] * Math.Log2(sum[k]); }
        for (int k = 0; k < g; k++) { da += k * diff[k]; if (diff[k] > 0) de -= diff[k] * Math.Log2(diff[k]); }
        double sv = 0, dv = 0;
        for (int k = 0; k < sum.Length; k++) sv += (k - sa) * (k - sa) * sum[k];
        for (int k = 0; k < g; k++) dv += (k - da) * (k - da) * diff[k];
        return
        [
            entropy, energy, contrast, idm, (ijSum - mu * mu) / sigma2,
            (entropy - hxy1) / hx, Math.Sqrt(1 - Math.Exp(-2 * (hxy2 - entropy))),
            sa, sv, se, da, dv, de,
        ];
    }

    [Fact]
    public void SparseStatisticsEqualTheDenseDefinitions()
    {
        var random = new Random(4);
        const int levels = 9;
        var matrix = new SparseCooccurrence(levels);
        var statistics = new HaralickStatistics(levels);
        var result = new double[HaralickStatistics.Count];
        for (int trial = 0; trial < 20; trial++)
        {
            matrix.Clear();
            var dense = new double[levels, levels];
            int pairs = random.Next(3, 60);
            for (int n = 0; n < pairs; n++)
            {
                int a = random.Next(levels), b = Math.Min(levels - 1, a + random.Next(3));
                matrix.Add(a, b);
                dense[a, b]++;
                dense[b, a]++;
            }
            // a few removals exercise the occupied list's bookkeeping
            for (int n = 0; n < 3; n++)
            {
                int a = random.Next(levels), b = Math.Min(levels - 1, a + random.Next(3));
                if (dense[a, b] == 0 || matrix.PairCount == 1) continue;
                matrix.Remove(a, b);
                dense[a, b]--;
                if (a != b) dense[b, a]--;
                else dense[a, a]--;   // a diagonal pair was counted twice
            }
            double total = 0;
            foreach (var v in dense) total += v;
            Assert.Equal(2.0 * matrix.PairCount, total);
            for (int i = 0; i < levels; i++) for (int j = 0; j < levels; j++) dense[i, j] /= total;
            var expected = Dense(dense);
            statistics.Compute(matrix, result);
            for (int s = 0; s < expected.Length; s++) Assert.Equal(expected[s], result[s], 10);
        }
    }

    [Fact]
    public void AnEmptyMatrixGivesNaNAndASingleCellGivesTheDegenerateValues()
    {
        var matrix = new SparseCooccurrence(4);
        var statistics = new HaralickStatistics(4);
        var result = new double[HaralickStatistics.Count];
        statistics.Compute(matrix, result);
        Assert.All(result, v => Assert.True(double.IsNaN(v)));
        matrix.Add(2, 2);
        matrix.Add(2, 2);
        statistics.Compute(matrix, result);
        Assert.Equal([0, 1, 0, 1, double.NaN, double.NaN, 0, 6, 0, 0, 0, 0, 0], result);
    }

    [Fact]
    public void StatisticsAgreeWithTheGlcmFamilyOnTheSameMatrix()
    {
        const int levels = 7;
        // a ROI holding every level once, so that the GLCM family's compact levels are the levels themselves
        var grid = Grid.Create(levels, 1, 1, Vec3.One);
        var roi = new Radiomics.Preprocessing.DiscretisedRoi(grid, Enumerable.Range(1, levels).ToArray(), levels, Enumerable.Repeat((byte)1, levels).ToArray());
        var family = new Radiomics.Features.Glcm(Radiomics.Features.Texture.TextureVolume.Create(roi, padding: 0), symmetric: true);
        var random = new Random(17);
        var sparse = new SparseCooccurrence(levels);
        var statistics = new HaralickStatistics(levels);
        var result = new double[HaralickStatistics.Count];
        for (int trial = 0; trial < 10; trial++)
        {
            sparse.Clear();
            var dense = new long[family.MatrixLength];
            for (int n = random.Next(5, 80); n > 0; n--)
            {
                int a = random.Next(levels), b = random.Next(levels);
                sparse.Add(a, b);
                dense[(a + 1) * (levels + 1) + b + 1]++;
            }
            statistics.Compute(sparse, result);
            var probabilities = family.Statistics(dense)!;
            for (int s = 0; s < HaralickStatistics.Count; s++)
            {
                var feature = Radiomics.Features.Glcm.Definitions.Single(f => f.Tag == HaralickStatistics.IbsiTags[s]);
                Assert.Equal(feature.Value(probabilities), result[s], 1e-9);
            }
        }
    }
}
