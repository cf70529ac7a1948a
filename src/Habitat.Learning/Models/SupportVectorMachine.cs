using Habitat.Learning.Data;

namespace Habitat.Learning.Models;

/// <summary>Kernel of a support-vector machine.</summary>
public enum SvmKernel { Linear, Rbf }

/// <summary>
/// C-support-vector classification solved by SMO with second-order working-set selection (Fan, Chen &amp; Lin, JMLR
/// 2005 — the LIBSVM solver): minimise ½αᵀQα − Σα subject to 0 ≤ α ≤ C, yᵀα = 0, Q_ij = y_i y_j K(x_i, x_j).
/// Decision values f(x) = Σ α_i y_i K(x_i, x) − ρ become probabilities by Platt scaling P = 1/(1 + e^{A f + B}),
/// fitted on decision values from an internal 3-fold cross-validation (as LIBSVM does, Lin, Lin &amp; Weng 2007).
/// A linear kernel collapses to a <see cref="LinearClassifier"/> (exact contributions).
/// </summary>
public sealed record SvmTrainer(SvmKernel Kernel, double C, double? Gamma, int Seed) : IClassifierTrainer
{
    private const double Tolerance = 1e-3;
    private const double Tau = 1e-12;
    private const int CalibrationFolds = 3;

    public IClassifier Fit(FeatureMatrix x, ReadOnlySpan<int> labels)
    {
        Logistic.CheckBinary(x, labels);
        double gamma = Gamma ?? 1.0 / Math.Max(1, x.Columns); // "scale" default for z-scored features
        var y = labels.ToArray();
        var machine = Solve(x, y, gamma);

        // Platt scaling on held-out decision values (stratified by label, folds assigned by a seeded shuffle).
        var decision = new double[x.Rows];
        var fold = StratifiedFolds(y, CalibrationFolds, Seed);
        bool calibrated = true;
        for (int k = 0; k < CalibrationFolds && calibrated; k++)
        {
            var train = Enumerable.Range(0, y.Length).Where(i => fold[i] != k).ToArray();
            var test = Enumerable.Range(0, y.Length).Where(i => fold[i] == k).ToArray();
            var trainLabels = train.Select(i => y[i]).ToArray();
            if (trainLabels.Distinct().Count() < 2) { calibrated = false; break; }
            var inner = Solve(x.SelectRows(train), trainLabels, gamma);
            foreach (var i in test) decision[i] = inner.Decision(x.Row(i));
        }
        if (!calibrated) for (int i = 0; i < y.Length; i++) decision[i] = machine.Decision(x.Row(i));
        var (a, b) = PlattScaling.Fit(decision, y);

        if (Kernel == SvmKernel.Linear)
        {
            // P = σ(−A·(w·x − ρ) − B): a linear classifier with weights −A·w and intercept A·ρ − B.
            var w = new double[x.Columns];
            for (int s = 0; s < machine.Coefficients.Length; s++)
                for (int j = 0; j < w.Length; j++) w[j] += machine.Coefficients[s] * machine.SupportVectors[s][j];
            for (int j = 0; j < w.Length; j++) w[j] *= -a;
            return new LinearClassifier(w, a * machine.Rho - b);
        }
        return machine with { PlattA = a, PlattB = b };
    }

    internal static int[] StratifiedFolds(int[] y, int folds, int seed)
    {
        var rng = new Random(seed);
        var fold = new int[y.Length];
        foreach (var cls in new[] { 0, 1 })
        {
            var members = Enumerable.Range(0, y.Length).Where(i => y[i] == cls).ToArray();
            rng.Shuffle(members);
            for (int r = 0; r < members.Length; r++) fold[members[r]] = r % folds;
        }
        return fold;
    }

    internal KernelSvmClassifier Solve(FeatureMatrix x, int[] labels, double gamma)
    {
        int n = x.Rows;
        var y = labels.Select(l => l == 1 ? 1.0 : -1.0).ToArray();
        var kernel = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                kernel[i * n + j] = kernel[j * n + i] = KernelValue(x.Row(i), x.Row(j), gamma);
        var alpha = new double[n];
        var gradient = new double[n];
        Array.Fill(gradient, -1.0);
        int maxIterations = Math.Max(10_000_000, 100 * n);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            // Working set: i maximises −y_t G_t over I_up; j minimises the second-order decrease over I_low.
            double gMax = double.NegativeInfinity, gMax2 = double.NegativeInfinity;
            int i = -1;
            for (int t = 0; t < n; t++)
            {
                if (y[t] > 0 ? alpha[t] < C : alpha[t] > 0)
                    if (-y[t] * gradient[t] >= gMax) { gMax = -y[t] * gradient[t]; i = t; }
            }
            int j = -1;
            double bestObjective = double.PositiveInfinity;
            for (int t = 0; t < n && i >= 0; t++)
            {
                if (!(y[t] > 0 ? alpha[t] > 0 : alpha[t] < C)) continue;
                double yg = y[t] * gradient[t];
                gMax2 = Math.Max(gMax2, yg);
                double gradDiff = gMax + yg;
                if (gradDiff > 0)
                {
                    double quad = kernel[i * n + i] + kernel[t * n + t] - 2 * kernel[i * n + t];
                    double objective = -gradDiff * gradDiff / (quad > 0 ? quad : Tau);
                    if (objective <= bestObjective) { bestObjective = objective; j = t; }
                }
            }
            if (i < 0 || j < 0 || gMax + gMax2 < Tolerance) break;
            UpdatePair(i, j, y, alpha, gradient, kernel, n);
        }
        // ρ: average of y_t G_t over free vectors, else the middle of the feasible interval.
        double sumFree = 0, upper = double.PositiveInfinity, lower = double.NegativeInfinity;
        int free = 0;
        for (int t = 0; t < n; t++)
        {
            double yg = y[t] * gradient[t];
            if (alpha[t] > 0 && alpha[t] < C) { sumFree += yg; free++; }
            else if (alpha[t] >= C == y[t] > 0) lower = Math.Max(lower, yg); // at upper bound with y=+1 or at 0 with y=−1
            else upper = Math.Min(upper, yg);
        }
        double rho = free > 0 ? sumFree / free : (upper + lower) / 2;
        var support = Enumerable.Range(0, n).Where(t => alpha[t] > 0).ToArray();
        return new KernelSvmClassifier(
            support.Select(t => x.Row(t).ToArray()).ToArray(),
            support.Select(t => alpha[t] * y[t]).ToArray(),
            rho, Kernel == SvmKernel.Linear ? 0 : gamma, 0, 0);
    }

    private void UpdatePair(int i, int j, double[] y, double[] alpha, double[] gradient, double[] kernel, int n)
    {
        double oldI = alpha[i], oldJ = alpha[j];
        double quad = kernel[i * n + i] + kernel[j * n + j] - 2 * kernel[i * n + j];
        if (quad <= 0) quad = Tau;
        if (y[i] != y[j])
        {
            double delta = (-gradient[i] - gradient[j]) / quad;
            double diff = alpha[i] - alpha[j];
            alpha[i] += delta; alpha[j] += delta;
            if (diff > 0) { if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = diff; } }
            else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = -diff; }
            if (diff > 0) { if (alpha[i] > C) { alpha[i] = C; alpha[j] = C - diff; } }
            else if (alpha[j] > C) { alpha[j] = C; alpha[i] = C + diff; }
        }
        else
        {
            double delta = (gradient[i] - gradient[j]) / quad;
            double sum = alpha[i] + alpha[j];
            alpha[i] -= delta; alpha[j] += delta;
            if (sum > C) { if (alpha[i] > C) { alpha[i] = C; alpha[j] = sum - C; } }
            else if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = sum; }
            if (sum > C) { if (alpha[j] > C) { alpha[j] = C; alpha[i] = sum - C; } }
            else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = sum; }
        }
        double di = alpha[i] - oldI, dj = alpha[j] - oldJ;
        for (int k = 0; k < n; k++)
            gradient[k] += y[k] * (y[i] * kernel[i * n + k] * di + y[j] * kernel[j * n + k] * dj);
    }

    internal double KernelValue(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double gamma) => Kernel == SvmKernel.Linear
        ? System.Numerics.Tensors.TensorPrimitives.Dot(a, b)
        : Math.Exp(-gamma * KernelSvmClassifier.SquaredDistance(a, b));
}

/// <summary>A trained kernel SVM: f(x) = Σ c_s K(sv_s, x) − ρ, probability 1/(1 + e^{A f + B}). Gamma 0 means a linear kernel.</summary>
public sealed record KernelSvmClassifier(double[][] SupportVectors, double[] Coefficients, double Rho, double Gamma, double PlattA, double PlattB) : IClassifier
{
    public double Decision(ReadOnlySpan<double> x)
    {
        double f = -Rho;
        for (int s = 0; s < SupportVectors.Length; s++)
        {
            double k = Gamma == 0
                ? System.Numerics.Tensors.TensorPrimitives.Dot<double>(SupportVectors[s], x)
                : Math.Exp(-Gamma * SquaredDistance(SupportVectors[s], x));
            f += Coefficients[s] * k;
        }
        return f;
    }

    internal static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double d = 0;
        for (int j = 0; j < a.Length; j++) { double e = a[j] - b[j]; d += e * e; }
        return d;
    }

    public double Probability(ReadOnlySpan<double> features) => Logistic.Sigmoid(-(PlattA * Decision(features) + PlattB));
}

/// <summary>
/// Platt's sigmoid P(y=1|f) = 1/(1 + e^{A f + B}) fitted by Newton's method on the regularised targets of
/// Lin, Lin &amp; Weng (Machine Learning 2007): t₊ = (N₊ + 1)/(N₊ + 2), t₋ = 1/(N₋ + 2).
/// </summary>
public static class PlattScaling
{
    public static (double A, double B) Fit(double[] decision, int[] labels)
    {
        int n = decision.Length;
        double positives = labels.Count(l => l == 1), negatives = n - positives;
        double hi = (positives + 1) / (positives + 2), lo = 1 / (negatives + 2);
        var t = labels.Select(l => l == 1 ? hi : lo).ToArray();
        double a = 0, b = Math.Log((negatives + 1) / (positives + 1));
        double Objective(double aa, double bb)
        {
            double f = 0;
            for (int i = 0; i < n; i++)
            {
                double z = aa * decision[i] + bb; // P = σ(−z); −log-likelihood = t·softplus(z) + (1−t)·softplus(−z)
                f += t[i] * Logistic.Softplus(z) + (1 - t[i]) * Logistic.Softplus(-z);
            }
            return f;
        }
        double current = Objective(a, b);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h21 = 0;
            for (int i = 0; i < n; i++)
            {
                double p = Logistic.Sigmoid(-(a * decision[i] + b));
                double d2 = p * (1 - p);
                double d1 = t[i] - p; // ∂/∂z of the loss
                g1 += decision[i] * d1; g2 += d1;
                h11 += decision[i] * decision[i] * d2; h22 += d2; h21 += decision[i] * d2;
            }
            if (Math.Abs(g1) < 1e-9 && Math.Abs(g2) < 1e-9) break;
            double det = h11 * h22 - h21 * h21;
            double da = -(h22 * g1 - h21 * g2) / det, db = -(-h21 * g1 + h11 * g2) / det;
            double step = 1;
            while (step > 1e-10)
            {
                double candidate = Objective(a + step * da, b + step * db);
                if (candidate < current + 1e-4 * step * (g1 * da + g2 * db)) { a += step * da; b += step * db; current = candidate; break; }
                step /= 2;
            }
            if (step <= 1e-10) break;
        }
        return (a, b);
    }
}
