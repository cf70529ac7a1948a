using Habitat.Learning.Data;
using Habitat.Learning.Preprocessing;
using Habitat.Learning.Selection;

namespace Habitat.Learning.Tests;

public sealed class SelectionTests
{
    /// <summary>Features 0–2 carry the label (decreasing strength), feature 3 duplicates feature 0, the rest are noise.</summary>
    private static (FeatureMatrix X, int[] Y) Informative(int n = 200, int p = 20, int seed = 4)
    {
        var rng = new Random(seed);
        var x = new FeatureMatrix(n, p);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            for (int j = 0; j < p; j++) x[i, j] = ClassifierTests.Normal(rng);
            x[i, 0] += 2.0 * y[i];
            x[i, 1] += 1.4 * y[i];
            x[i, 2] += 1.0 * y[i];
            x[i, 3] = x[i, 0] + 0.01 * ClassifierTests.Normal(rng);
        }
        return (ZScore.Fit(x).Transform(x), y);
    }

    [Fact]
    public void WilcoxonRanksInformativeFeaturesFirst()
    {
        var (x, y) = Informative();
        var p = WilcoxonRankSum.PValues(x, y);
        var top = Enumerable.Range(0, p.Length).OrderBy(j => p[j]).Take(4).Order().ToArray();
        Assert.Equal([0, 1, 2, 3], top);
        Assert.All(Enumerable.Range(4, 16), j => Assert.True(p[j] > 1e-4));
    }

    [Fact]
    public void WilcoxonPValueMatchesTheNormalApproximationByHand()
    {
        // x = 1..6 with labels 0,0,0,1,1,1: U = 9, mean 4.5, var 3·3·7/12 = 5.25; z = (9 − 4.5 − 0.5)/√5.25.
        double p = WilcoxonRankSum.PValue([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1]);
        double z = 4 / Math.Sqrt(5.25);
        Assert.Equal(2 * (1 - NormalDistribution.Cdf(z)), p, 6);
        Assert.Equal(0.0809, p, 3); // R: wilcox.test(4:6, 1:3, exact = FALSE, correct = TRUE)$p.value = 0.08086
    }

    [Fact]
    public void BenjaminiHochbergMatchesHandComputation()
    {
        // p sorted: 0.01, 0.02, 0.03, 0.5 with m = 4: raw q = 0.04, 0.04, 0.04, 0.5.
        var q = WilcoxonRankSum.BenjaminiHochberg([0.03, 0.5, 0.01, 0.02]);
        Assert.Equal([0.04, 0.5, 0.04, 0.04], q.Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void MrmrSkipsTheRedundantCopy()
    {
        var (x, y) = Informative();
        var ranked = Mrmr.Rank(x, y, 3);
        Assert.Contains(ranked[0], new[] { 0, 3 });
        Assert.DoesNotContain(ranked[0] == 0 ? 3 : 0, ranked); // the copy of the first pick is redundant
        Assert.Contains(1, ranked);
    }

    [Fact]
    public void LassoPathEntersStrongFeaturesFirst()
    {
        var (x, y) = Informative();
        var ranked = LassoPath.Rank(x, y, 3);
        Assert.Equal(3, ranked.Length);
        Assert.Contains(ranked[0], new[] { 0, 3 });
        Assert.Contains(1, ranked);
        Assert.All(ranked, j => Assert.True(j < 4, $"noise feature {j} entered early"));
    }

    [Fact]
    public void CorrelationFilterKeepsTheMoreRelevantOfAPair()
    {
        var (x, y) = Informative();
        var kept = FeatureFilters.Decorrelated(x, y, 0.9);
        Assert.True(kept.Contains(0) ^ kept.Contains(3), "exactly one of the near-duplicate pair survives");
        Assert.Equal(19, kept.Length);
    }

    [Fact]
    public void NearConstantFilterDropsDominatedColumns()
    {
        var x = new FeatureMatrix(20, 3);
        for (int i = 0; i < 20; i++) { x[i, 0] = i; x[i, 1] = i == 0 ? 1 : 0; x[i, 2] = 5; }
        Assert.Equal([0], FeatureFilters.NonConstant(x, 0.95));
        Assert.Equal([0, 1], FeatureFilters.NonConstant(x, 1.0));
    }
}
