using Habitat.Learning.Data;
using Habitat.Learning.Preprocessing;
using Xunit.Abstractions;

namespace Habitat.Learning.Tests;

/// <summary>
/// Simulated multi-site data following the ComBat model with known parameters:
/// y_ig = α_g + β_g·ℓ_i + γ_{s,g} + δ_s·σ_g·ε_ig, ε ~ N(0,1), with the label fraction differing between sites
/// (so site and label are partly confounded). After harmonisation the closed-form expectations are:
/// every site's label-adjusted mean = α_g + Σ_s (n_s/n)·γ_{s,g} + β_g·ℓ̄; every site's residual variance =
/// σ_g²·Σ_s (n_s/n)·δ_s² (the pooled variance); the label effect stays β_g. Mean errors are judged in units of
/// their closed-form standard errors, so an RMS near 1 is what a correct estimator gives. Many features make the
/// non-parametric prior (an empirical distribution over the other features' estimates) dense enough for that.
/// </summary>
public sealed class ComBatTests(ITestOutputHelper output)
{
    private static readonly int[] SiteSizes = [60, 80, 100];
    private static readonly double[] PositiveFraction = [0.3, 0.5, 0.7];
    private static readonly double[] SiteScale = [0.5, 1.0, 2.0];
    private const int FeatureCount = 400;

    private sealed record Simulation(FeatureMatrix X, string[] Sites, int[] Labels, double[] Alpha, double[] Beta, double[][] Gamma, double[] Sigma);

    private static Simulation Simulate(int seed, int[] sizes)
    {
        var rng = new Random(seed);
        var alpha = new double[FeatureCount]; var beta = new double[FeatureCount]; var sigma = new double[FeatureCount];
        var gamma = SiteSizes.Select(_ => new double[FeatureCount]).ToArray();
        var truthRng = new Random(12345); // the parameters are the same for training and new cases
        for (int g = 0; g < FeatureCount; g++)
        {
            alpha[g] = 10 * truthRng.NextDouble();
            beta[g] = 0.5 + truthRng.NextDouble();
            sigma[g] = 0.5 + truthRng.NextDouble();
            for (int s = 0; s < SiteSizes.Length; s++) gamma[s][g] = (s - 1) * 1.5 + 0.5 * Normal(truthRng);
        }
        int n = sizes.Sum();
        var x = new FeatureMatrix(n, FeatureCount);
        var sites = new string[n]; var labels = new int[n];
        int row = 0;
        for (int s = 0; s < sizes.Length; s++)
            for (int k = 0; k < sizes[s]; k++, row++)
            {
                sites[row] = "site" + s;
                labels[row] = k < Math.Round(PositiveFraction[s] * sizes[s]) ? 1 : 0;
                for (int g = 0; g < FeatureCount; g++)
                    x[row, g] = alpha[g] + beta[g] * labels[row] + gamma[s][g] + SiteScale[s] * sigma[g] * Normal(rng);
            }
        return new Simulation(x, sites, labels, alpha, beta, gamma, sigma);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Theory]
    [InlineData(ComBatPrior.Parametric)]
    [InlineData(ComBatPrior.NonParametric)]
    public void EqualisesSiteMeansAndVariancesAndKeepsTheLabelEffect(ComBatPrior prior)
    {
        var sim = Simulate(7, SiteSizes);
        var model = ComBatModel.Fit(sim.X, sim.Sites, sim.Labels, prior);
        var harmonised = model.Transform(sim.X, sim.Sites, sim.Labels);
        int n = sim.X.Rows;
        double meanLabel = sim.Labels.Average();
        double pooledVarianceFactor = 0;
        for (int s = 0; s < SiteSizes.Length; s++) pooledVarianceFactor += SiteSizes[s] / (double)n * SiteScale[s] * SiteScale[s];

        for (int s = 0; s < SiteSizes.Length; s++)
        {
            var (meanErrorBefore, varianceRatioBefore) = SiteSummary(sim, sim.X, s, meanLabel, pooledVarianceFactor);
            var (meanError, varianceRatio) = SiteSummary(sim, harmonised, s, meanLabel, pooledVarianceFactor);
            output.WriteLine($"{prior} site{s}: RMS mean error / SE {meanErrorBefore:F2} → {meanError:F2}; variance / expected {varianceRatioBefore:F3} → {varianceRatio:F3}");
            Assert.True(meanError < 1.5, $"site {s}: RMS mean error is {meanError} standard errors");
            Assert.InRange(varianceRatio, 0.9, 1.1);
            Assert.True(meanErrorBefore > 5 || Math.Abs(varianceRatioBefore - 1) > 0.5, "the simulation must have site effects to remove");
        }

        // Label effect: within-site difference of class means, pooled over sites, relative to β_g.
        double ratioSum = 0;
        for (int g = 0; g < FeatureCount; g++) ratioSum += WithinSiteLabelEffect(harmonised, sim, g) / sim.Beta[g];
        double meanRatio = ratioSum / FeatureCount;
        output.WriteLine($"{prior}: mean harmonised label effect / β = {meanRatio:F3}");
        Assert.InRange(meanRatio, 0.9, 1.1);
    }

    [Fact]
    public void NewCasesFromKnownSitesAreHarmonisedWithoutTheirLabels()
    {
        var train = Simulate(7, SiteSizes);
        var model = ComBatModel.Fit(train.X, train.Sites, train.Labels, ComBatPrior.Parametric);
        double meanLabel = train.Labels.Average();
        var fresh = Simulate(99, [200, 200, 200]);
        var harmonised = model.Transform(fresh.X, fresh.Sites);
        // Without labels the centre is α + βℓ̄, so a new case keeps its label deviation scaled by 1/√δ*:
        // E[y*] = α_g + Σ_s (n_s/n)γ_{s,g} + β_g·ℓ̄ + β_g·(ℓ − ℓ̄)/√δ*_{s,g}.
        for (int s = 0; s < 3; s++)
        {
            var rows = Enumerable.Range(0, fresh.X.Rows).Where(i => fresh.Sites[i] == "site" + s).ToArray();
            double siteLabelShift = rows.Average(i => fresh.Labels[i] - meanLabel);
            double sumSq = 0;
            for (int g = 0; g < FeatureCount; g++)
            {
                double expected = fresh.Alpha[g] + fresh.Beta[g] * meanLabel
                    + Enumerable.Range(0, 3).Sum(t => SiteSizes[t] / 240.0 * fresh.Gamma[t][g])
                    + fresh.Beta[g] * siteLabelShift / Math.Sqrt(model.DeltaStar[s][g]);
                // Standard error: the site's effect was estimated from n_s training cases and the new mean is over
                // m_s cases, both with raw SD δ_s·σ_g, then multiplied by 1/√δ*.
                double se = SiteScale[s] * fresh.Sigma[g] * Math.Sqrt(1.0 / SiteSizes[s] + 1.0 / rows.Length) / Math.Sqrt(model.DeltaStar[s][g]);
                double e = (rows.Average(i => harmonised[i, g]) - expected) / se;
                sumSq += e * e;
            }
            double rms = Math.Sqrt(sumSq / FeatureCount);
            output.WriteLine($"new cases site{s}: RMS mean error / SE {rms:F2}");
            Assert.True(rms < 1.5, $"site {s}: RMS mean error is {rms} standard errors");
        }
        Assert.Throws<ArgumentException>(() => model.Transform(fresh.X.SelectRows([0]), ["unseen-site"]));
    }

    /// <summary>
    /// RMS over features of (label-adjusted site mean − expected)/SE, where SE = σ_g·√(Σ_s n_s δ_s²)/n is the
    /// standard error of the estimated grand mean (harmonised site means coincide with it); and the mean over
    /// features of residual variance / expected.
    /// </summary>
    private static (double MeanError, double VarianceRatio) SiteSummary(Simulation sim, FeatureMatrix y, int site, double meanLabel, double pooledVarianceFactor)
    {
        var rows = Enumerable.Range(0, y.Rows).Where(i => sim.Sites[i] == "site" + site).ToArray();
        int n = y.Rows;
        double sumSq = 0, ratioSum = 0;
        double grandMeanSe = Math.Sqrt(Enumerable.Range(0, SiteSizes.Length).Sum(s => SiteSizes[s] * SiteScale[s] * SiteScale[s])) / n;
        for (int g = 0; g < FeatureCount; g++)
        {
            double expectedMean = sim.Alpha[g] + sim.Beta[g] * meanLabel;
            for (int s = 0; s < SiteSizes.Length; s++) expectedMean += SiteSizes[s] / (double)n * sim.Gamma[s][g];
            var residual = rows.Select(i => y[i, g] - sim.Beta[g] * (sim.Labels[i] - meanLabel)).ToArray();
            double mean = residual.Average();
            double variance = residual.Sum(r => (r - mean) * (r - mean)) / (residual.Length - 1);
            double e = (mean - expectedMean) / (sim.Sigma[g] * grandMeanSe);
            sumSq += e * e;
            ratioSum += variance / (sim.Sigma[g] * sim.Sigma[g] * pooledVarianceFactor);
        }
        return (Math.Sqrt(sumSq / FeatureCount), ratioSum / FeatureCount);
    }

    private static double WithinSiteLabelEffect(FeatureMatrix y, Simulation sim, int g)
    {
        double weighted = 0, weights = 0;
        for (int s = 0; s < SiteSizes.Length; s++)
        {
            var rows = Enumerable.Range(0, y.Rows).Where(i => sim.Sites[i] == "site" + s).ToArray();
            var pos = rows.Where(i => sim.Labels[i] == 1).Select(i => y[i, g]).ToArray();
            var neg = rows.Where(i => sim.Labels[i] == 0).Select(i => y[i, g]).ToArray();
            double w = 1.0 / (1.0 / pos.Length + 1.0 / neg.Length);
            weighted += w * (pos.Average() - neg.Average());
            weights += w;
        }
        return weighted / weights;
    }
}
