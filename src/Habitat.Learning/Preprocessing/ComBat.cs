using Habitat.Learning.Data;
using Habitat.Learning.Numerics;

namespace Habitat.Learning.Preprocessing;

/// <summary>Prior used for the empirical-Bayes site effects.</summary>
public enum ComBatPrior
{
    /// <summary>Normal prior on the additive effects, inverse-gamma on the multiplicative ones (Johnson et al. 2007, §2.3).</summary>
    Parametric,
    /// <summary>Each feature's effects are a likelihood-weighted average of the other features' estimates (Johnson et al. 2007, §2.4).</summary>
    NonParametric,
}

/// <summary>
/// ComBat harmonisation (Johnson, Li &amp; Rabinovic, Biostatistics 2007; Fortin et al. NeuroImage 2018).
/// Model per feature g: y_ig = α_g + β_g·label_i + γ_{s(i)g} + δ_{s(i)g}·ε_ig. Site effects γ, δ are estimated on
/// standardised data, shrunk by empirical Bayes across features, and removed; the label is a protected covariate,
/// so its effect β is kept. Fitted on training cases only, applicable to new cases from any site it saw.
/// </summary>
public sealed record ComBatModel(
    string[] Sites,
    double[] GrandMean,      // α_g + β_g·mean(label): the training cohort's mean without site effects
    double[] LabelEffect,    // β_g
    double MeanLabel,
    double[] PooledSd,       // √σ²_g
    double[][] GammaStar,    // [site][g] additive effect, standardised units
    double[][] DeltaStar)    // [site][g] multiplicative effect (variance ratio)
{
    private const double Tolerance = 1e-4;
    private const int MaxIterations = 1000;

    public static ComBatModel Fit(FeatureMatrix x, IReadOnlyList<string> sites, ReadOnlySpan<int> labels, ComBatPrior prior)
    {
        int n = x.Rows, p = x.Columns;
        if (sites.Count != n || labels.Length != n) throw new ArgumentException("ComBat: sites and labels must have one entry per case");
        var siteNames = sites.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        int b = siteNames.Length;
        var siteOf = sites.Select(s => Array.IndexOf(siteNames, s)).ToArray();
        var siteCounts = new int[b];
        foreach (var s in siteOf) siteCounts[s]++;
        if (siteCounts.Any(c => c < 2)) throw new ArgumentException("ComBat: every site needs at least two training cases");

        // Ordinary least squares on the design [site indicators | label]: normal equations DᵀD θ = Dᵀy.
        int d = b + 1;
        var gram = new double[d * d];
        for (int i = 0; i < n; i++)
        {
            gram[siteOf[i] * d + siteOf[i]] += 1;
            gram[siteOf[i] * d + b] += labels[i];
            gram[b * d + siteOf[i]] += labels[i];
            gram[b * d + b] += labels[i] * labels[i];
        }
        var factor = Cholesky.TryFactor(gram, d)
            ?? throw new ArgumentException("ComBat: the label is confounded with site (some site holds one class only across all sites), its effect cannot be protected");
        var grandMean = new double[p];
        var labelEffect = new double[p];
        var pooledSd = new double[p];
        double meanLabel = 0;
        for (int i = 0; i < n; i++) meanLabel += labels[i];
        meanLabel /= n;

        var standardised = new FeatureMatrix(n, p);
        var rhs = new double[d];
        for (int g = 0; g < p; g++)
        {
            Array.Clear(rhs);
            for (int i = 0; i < n; i++) { double y = x[i, g]; rhs[siteOf[i]] += y; rhs[b] += labels[i] * y; }
            factor.Solve(rhs);
            double alpha = 0;
            for (int s = 0; s < b; s++) alpha += siteCounts[s] * rhs[s];
            alpha /= n; // α_g: site intercepts averaged with the site sizes as weights
            double beta = rhs[b], residualSquares = 0;
            for (int i = 0; i < n; i++)
            {
                double r = x[i, g] - rhs[siteOf[i]] - beta * labels[i];
                residualSquares += r * r;
            }
            double sd = Math.Sqrt(residualSquares / n);
            if (sd == 0) sd = 1; // a feature without residual spread has no site scale to remove
            labelEffect[g] = beta;
            grandMean[g] = alpha + beta * meanLabel;
            pooledSd[g] = sd;
            for (int i = 0; i < n; i++) standardised[i, g] = (x[i, g] - alpha - beta * labels[i]) / sd;
        }

        // Per-site moments of the standardised data: γ̂ (mean) and δ̂ (sample variance).
        var gammaHat = new double[b][];
        var deltaHat = new double[b][];
        var rowsOfSite = Enumerable.Range(0, b).Select(s => Enumerable.Range(0, n).Where(i => siteOf[i] == s).ToArray()).ToArray();
        for (int s = 0; s < b; s++)
        {
            gammaHat[s] = new double[p]; deltaHat[s] = new double[p];
            for (int g = 0; g < p; g++)
            {
                double mean = 0;
                foreach (var i in rowsOfSite[s]) mean += standardised[i, g];
                mean /= rowsOfSite[s].Length;
                double ss = 0;
                foreach (var i in rowsOfSite[s]) { double e = standardised[i, g] - mean; ss += e * e; }
                gammaHat[s][g] = mean;
                deltaHat[s][g] = Math.Max(ss / (rowsOfSite[s].Length - 1), 1e-12);
            }
        }

        var gammaStar = new double[b][];
        var deltaStar = new double[b][];
        for (int s = 0; s < b; s++)
        {
            var siteData = standardised.SelectRows(rowsOfSite[s]);
            (gammaStar[s], deltaStar[s]) = prior == ComBatPrior.Parametric || p < 2
                ? ParametricPosterior(siteData, gammaHat[s], deltaHat[s])
                : NonParametricPosterior(siteData, gammaHat[s], deltaHat[s]);
        }
        return new ComBatModel(siteNames, grandMean, labelEffect, meanLabel, pooledSd, gammaStar, deltaStar);
    }

    /// <summary>
    /// Posterior means under γ ~ N(γ̄, τ²) and δ ~ InvGamma(a, b) with hyper-parameters from the method of moments
    /// across features; γ* and δ* depend on each other and are iterated to a fixed point.
    /// </summary>
    private static (double[] Gamma, double[] Delta) ParametricPosterior(FeatureMatrix z, double[] gammaHat, double[] deltaHat)
    {
        int n = z.Rows, p = z.Columns;
        double gammaBar = gammaHat.Average();
        double tau2 = p > 1 ? SampleVariance(gammaHat) : 1;
        if (tau2 <= 0) tau2 = 1e-12;
        double m = deltaHat.Average(), v = p > 1 ? SampleVariance(deltaHat) : 0;
        // Inverse-gamma moments: a = (2v + m²)/v, b = (m v + m³)/v; without spread the prior is flat-ish.
        double aPrior = v > 0 ? (2 * v + m * m) / v : 1e6, bPrior = v > 0 ? (m * v + m * m * m) / v : m * (1e6 - 1);
        var gamma = (double[])gammaHat.Clone();
        var delta = (double[])deltaHat.Clone();
        for (int g = 0; g < p; g++)
        {
            double gOld = gammaHat[g], dOld = deltaHat[g];
            for (int iteration = 0; iteration < MaxIterations; iteration++)
            {
                double gNew = (n * tau2 * gammaHat[g] + dOld * gammaBar) / (n * tau2 + dOld);
                double ss = 0;
                for (int i = 0; i < n; i++) { double e = z[i, g] - gNew; ss += e * e; }
                double dNew = (0.5 * ss + bPrior) / (n / 2.0 + aPrior - 1);
                double change = Math.Max(Math.Abs(gNew - gOld) / Math.Max(Math.Abs(gOld), 1e-12), Math.Abs(dNew - dOld) / dOld);
                gOld = gNew; dOld = dNew;
                if (change < Tolerance) break;
            }
            gamma[g] = gOld; delta[g] = dOld;
        }
        return (gamma, delta);
    }

    /// <summary>
    /// Non-parametric posterior: feature g's effects are the averages of the other features' (γ̂_j, δ̂_j), each
    /// weighted by the likelihood Πᵢ N(z_ig; γ̂_j, δ̂_j) of feature g's data under them.
    /// </summary>
    private static (double[] Gamma, double[] Delta) NonParametricPosterior(FeatureMatrix z, double[] gammaHat, double[] deltaHat)
    {
        int n = z.Rows, p = z.Columns;
        var gamma = new double[p];
        var delta = new double[p];
        var logWeights = new double[p];
        for (int g = 0; g < p; g++)
        {
            double maxLog = double.NegativeInfinity;
            for (int j = 0; j < p; j++)
            {
                if (j == g) { logWeights[j] = double.NegativeInfinity; continue; }
                double ss = 0;
                for (int i = 0; i < n; i++) { double e = z[i, g] - gammaHat[j]; ss += e * e; }
                logWeights[j] = -0.5 * n * Math.Log(2 * Math.PI * deltaHat[j]) - ss / (2 * deltaHat[j]);
                maxLog = Math.Max(maxLog, logWeights[j]);
            }
            double sum = 0, gSum = 0, dSum = 0;
            for (int j = 0; j < p; j++)
            {
                if (j == g) continue;
                double w = Math.Exp(logWeights[j] - maxLog); // rescaled to avoid underflow
                sum += w; gSum += w * gammaHat[j]; dSum += w * deltaHat[j];
            }
            gamma[g] = gSum / sum;
            delta[g] = dSum / sum;
        }
        return (gamma, delta);
    }

    private static double SampleVariance(double[] v)
    {
        double mean = v.Average(), ss = 0;
        foreach (var x in v) ss += (x - mean) * (x - mean);
        return ss / (v.Length - 1);
    }

    /// <summary>
    /// Removes the site effects: y* = (y − α − βℓ − σγ*)/√δ* + α + βℓ. With known labels (training cases) ℓ is the
    /// case's label; for new cases the label is unknown and the training mean label stands in (as neuroCombat's
    /// "from training" mode does), so no test label is ever used.
    /// </summary>
    public FeatureMatrix Transform(FeatureMatrix x, IReadOnlyList<string> sites, ReadOnlySpan<int> knownLabels = default)
    {
        if (x.Columns != GrandMean.Length) throw new ArgumentException($"ComBat: expected {GrandMean.Length} features, got {x.Columns}");
        if (sites.Count != x.Rows) throw new ArgumentException("ComBat: one site per case is needed");
        bool useLabels = !knownLabels.IsEmpty;
        if (useLabels && knownLabels.Length != x.Rows) throw new ArgumentException("ComBat: one label per case is needed");
        var result = new FeatureMatrix(x.Rows, x.Columns);
        for (int i = 0; i < x.Rows; i++)
        {
            int s = Array.IndexOf(Sites, sites[i]);
            if (s < 0) throw new ArgumentException($"ComBat: site '{sites[i]}' was not in the training data (known: {string.Join(", ", Sites)})");
            double labelShift = useLabels ? knownLabels[i] - MeanLabel : 0;
            for (int g = 0; g < x.Columns; g++)
            {
                double centre = GrandMean[g] + LabelEffect[g] * labelShift;
                double z = (x[i, g] - centre) / PooledSd[g];
                result[i, g] = (z - GammaStar[s][g]) / Math.Sqrt(DeltaStar[s][g]) * PooledSd[g] + centre;
            }
        }
        return result;
    }
}
