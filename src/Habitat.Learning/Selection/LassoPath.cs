using Habitat.Learning.Data;
using Habitat.Learning.Models;

namespace Habitat.Learning.Selection;

/// <summary>
/// L1-penalised logistic regression by pathwise coordinate descent (Friedman, Hastie &amp; Tibshirani, J Stat Softw
/// 2010): minimise (1/n)·Σ log-loss + λ‖w‖₁ (intercept free) over a decreasing λ grid with warm starts, each λ solved
/// by iteratively reweighted least squares with soft-thresholded coordinate updates. Features are ranked by the λ at
/// which they first enter the model (columns are expected standardised).
/// </summary>
public static class LassoPath
{
    private const int PathLength = 60;
    private const double SmallestLambdaRatio = 1e-3;

    /// <summary>The first <paramref name="count"/> features in order of entry along the L1 path.</summary>
    public static int[] Rank(FeatureMatrix x, ReadOnlySpan<int> labels, int count)
    {
        int n = x.Rows, p = x.Columns;
        count = Math.Min(count, p);
        var y = labels.ToArray();
        var columns = new double[p][];
        for (int j = 0; j < p; j++) columns[j] = x.Column(j);
        double mean = y.Average();
        double lambdaMax = 0;
        for (int j = 0; j < p; j++)
        {
            double g = 0;
            for (int i = 0; i < n; i++) g += columns[j][i] * (y[i] - mean);
            lambdaMax = Math.Max(lambdaMax, Math.Abs(g) / n);
        }
        var w = new double[p];
        double b = Math.Log(mean / (1 - mean));
        var entry = new List<int>();
        var entered = new bool[p];
        for (int step = 0; step < PathLength && entry.Count < count; step++)
        {
            double lambda = lambdaMax * Math.Pow(SmallestLambdaRatio, (step + 1.0) / PathLength);
            Solve(columns, y, lambda, w, ref b);
            // Within one λ step several features may enter: order them by coefficient size.
            foreach (var j in Enumerable.Range(0, p).Where(j => !entered[j] && w[j] != 0).OrderByDescending(j => Math.Abs(w[j])))
            {
                entered[j] = true;
                entry.Add(j);
            }
        }
        return entry.Take(count).ToArray();
    }

    private static void Solve(double[][] columns, int[] y, double lambda, double[] w, ref double b)
    {
        int n = y.Length, p = columns.Length;
        var eta = new double[n];
        var weight = new double[n];
        var residual = new double[n];
        for (int outer = 0; outer < 50; outer++)
        {
            for (int i = 0; i < n; i++) eta[i] = b;
            for (int j = 0; j < p; j++) if (w[j] != 0) for (int i = 0; i < n; i++) eta[i] += w[j] * columns[j][i];
            for (int i = 0; i < n; i++)
            {
                double prob = Logistic.Sigmoid(eta[i]);
                weight[i] = Math.Max(prob * (1 - prob), 1e-5);
                residual[i] = (y[i] - prob) / weight[i]; // working response minus current fit
            }
            double maxChange = 0;
            for (int sweep = 0; sweep < 200; sweep++)
            {
                double sweepChange = 0;
                for (int j = 0; j < p; j++)
                {
                    var c = columns[j];
                    double num = 0, den = 0;
                    for (int i = 0; i < n; i++) { double wc = weight[i] * c[i]; num += wc * residual[i]; den += wc * c[i]; }
                    num = num / n + w[j] * den / n;
                    den /= n;
                    double updated = den > 0 ? SoftThreshold(num, lambda) / den : 0;
                    double delta = updated - w[j];
                    if (delta != 0)
                    {
                        for (int i = 0; i < n; i++) residual[i] -= delta * c[i];
                        w[j] = updated;
                        sweepChange = Math.Max(sweepChange, Math.Abs(delta) * Math.Sqrt(den));
                    }
                }
                double rw = 0, ws = 0;
                for (int i = 0; i < n; i++) { rw += weight[i] * residual[i]; ws += weight[i]; }
                double db = rw / ws;
                b += db;
                for (int i = 0; i < n; i++) residual[i] -= db;
                sweepChange = Math.Max(sweepChange, Math.Abs(db));
                maxChange = Math.Max(maxChange, sweepChange);
                if (sweepChange < 1e-7) break;
            }
            if (maxChange < 1e-6) break;
        }
    }

    private static double SoftThreshold(double value, double threshold) =>
        value > threshold ? value - threshold : value < -threshold ? value + threshold : 0;
}
