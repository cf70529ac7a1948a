using Habitat.Learning.Data;
using Habitat.Learning.Numerics;

namespace Habitat.Learning.Models;

/// <summary>
/// L2-penalised logistic regression. Minimises C·Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ] + ½‖w‖², zᵢ = w·xᵢ + b, with the
/// intercept b unpenalised (the objective of scikit-learn's LogisticRegression). The objective is strictly convex,
/// so Newton's method (IRLS) with a Cholesky solve of the (p+1)² Hessian and a backtracking line search reaches the
/// optimum to machine precision in a handful of iterations.
/// </summary>
public sealed record LogisticRegressionTrainer(double C) : IClassifierTrainer
{
    private const int MaxIterations = 200;

    public IClassifier Fit(FeatureMatrix x, ReadOnlySpan<int> y)
    {
        if (!(C > 0) || double.IsInfinity(C)) throw new ArgumentException($"C must be a positive finite number, got {C}");
        Logistic.CheckBinary(x, y);
        int n = x.Rows, p = x.Columns, d = p + 1; // parameter vector θ = (w₁..w_p, b)
        var theta = new double[d];
        var gradient = new double[d];
        var hessian = new double[d * d];
        var step = new double[d];
        var trial = new double[d];
        var z = new double[n];
        double objective = Objective(x, y, theta, z);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            GradientAndHessian(x, y, theta, z, gradient, hessian);
            gradient.CopyTo(step, 0);
            var factor = Cholesky.Factor(hessian, d);
            factor.Solve(step); // Newton step: H·s = g, θ ← θ − t·s
            double decrement = 0;
            for (int k = 0; k < d; k++) decrement += gradient[k] * step[k];
            if (decrement <= 1e-24 * Math.Max(1, objective)) break;
            double t = 1;
            double candidate;
            while (true)
            {
                for (int k = 0; k < d; k++) trial[k] = theta[k] - t * step[k];
                candidate = Objective(x, y, trial, z);
                if (candidate <= objective - 0.25 * t * decrement || t < 1e-12) break;
                t *= 0.5;
            }
            (theta, trial) = (trial, theta);
            bool stalled = objective - candidate <= 0;
            objective = candidate;
            if (stalled) break;
        }
        return new LinearClassifier(theta[..p], theta[p]);
    }

    private double Objective(FeatureMatrix x, ReadOnlySpan<int> y, double[] theta, double[] z)
    {
        int p = x.Columns;
        double loss = 0, penalty = 0;
        for (int j = 0; j < p; j++) penalty += theta[j] * theta[j];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            double zi = theta[p];
            for (int j = 0; j < p; j++) zi += theta[j] * row[j];
            z[i] = zi;
            loss += Logistic.Softplus(zi) - y[i] * zi;
        }
        return C * loss + 0.5 * penalty;
    }

    /// <summary>Gradient and Hessian at θ, using the linear scores z left by the last <see cref="Objective"/> call at θ.</summary>
    private void GradientAndHessian(FeatureMatrix x, ReadOnlySpan<int> y, double[] theta, double[] z, double[] g, double[] h)
    {
        int p = x.Columns, d = p + 1;
        Array.Clear(g); Array.Clear(h);
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            double prob = Logistic.Sigmoid(z[i]);
            double residual = C * (prob - y[i]);
            double weight = C * prob * (1 - prob);
            for (int j = 0; j < p; j++)
            {
                g[j] += residual * row[j];
                double wr = weight * row[j];
                int rowOffset = j * d;
                for (int k = 0; k <= j; k++) h[rowOffset + k] += wr * row[k];
                h[rowOffset + p] += wr;
            }
            g[p] += residual;
            h[p * d + p] += weight;
        }
        for (int j = 0; j < p; j++)
        {
            g[j] += theta[j];
            h[j * d + j] += 1;
            for (int k = 0; k < j; k++) h[k * d + j] = h[j * d + k];
            h[p * d + j] = h[j * d + p];
        }
    }
}
