using Habitat.Learning.Data;
using Habitat.Learning.Numerics;

namespace Habitat.Learning.Models;

/// <summary>
/// Two-class linear discriminant analysis: Gaussian classes with a shared covariance Σ (pooled within-class
/// scatter divided by n − 2) and priors πₖ from the training class frequencies. The posterior log-odds are linear:
/// w = Σ⁻¹(μ₁ − μ₀), b = −½ wᵀ(μ₁ + μ₀) + log(π₁/π₀) (Hastie, Tibshirani &amp; Friedman, ESL §4.3).
/// </summary>
public sealed record LinearDiscriminantTrainer : IClassifierTrainer
{
    public IClassifier Fit(FeatureMatrix x, ReadOnlySpan<int> y)
    {
        Logistic.CheckBinary(x, y);
        int n = x.Rows, p = x.Columns;
        var mean0 = new double[p];
        var mean1 = new double[p];
        int n1 = 0;
        for (int i = 0; i < n; i++)
        {
            var target = y[i] == 1 ? mean1 : mean0;
            n1 += y[i];
            var row = x.Row(i);
            for (int j = 0; j < p; j++) target[j] += row[j];
        }
        int n0 = n - n1;
        if (n < 3) throw new ArgumentException("LDA needs at least three training cases");
        for (int j = 0; j < p; j++) { mean0[j] /= n0; mean1[j] /= n1; }

        var covariance = new double[p * p];
        var centred = new double[p];
        for (int i = 0; i < n; i++)
        {
            var mean = y[i] == 1 ? mean1 : mean0;
            var row = x.Row(i);
            for (int j = 0; j < p; j++) centred[j] = row[j] - mean[j];
            for (int j = 0; j < p; j++)
                for (int k = 0; k <= j; k++) covariance[j * p + k] += centred[j] * centred[k];
        }
        for (int j = 0; j < p; j++)
            for (int k = 0; k <= j; k++)
                covariance[k * p + j] = covariance[j * p + k] /= n - 2;

        var factor = Cholesky.TryFactor(covariance, p) ?? throw new ArgumentException(
            $"LDA: the pooled covariance of {p} features over {n} training cases is singular (collinear features or too few cases); select fewer features");
        var w = new double[p];
        for (int j = 0; j < p; j++) w[j] = mean1[j] - mean0[j];
        factor.Solve(w);
        double b = Math.Log((double)n1 / n0);
        for (int j = 0; j < p; j++) b -= 0.5 * w[j] * (mean1[j] + mean0[j]);
        return new LinearClassifier(w, b);
    }
}
