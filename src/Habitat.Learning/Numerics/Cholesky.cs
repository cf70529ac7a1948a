namespace Habitat.Learning.Numerics;

/// <summary>
/// Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix (row-major, n×n) and the solves built on it.
/// </summary>
public sealed class Cholesky
{
    private readonly double[] _l;
    public int Size { get; }

    private Cholesky(double[] l, int n) { _l = l; Size = n; }

    /// <summary>Factorises <paramref name="a"/>; returns null when it is not numerically positive definite.</summary>
    public static Cholesky? TryFactor(ReadOnlySpan<double> a, int n)
    {
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j)
                {
                    if (!(sum > 0)) return null;
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else l[i * n + j] = sum / l[j * n + j];
            }
        }
        return new Cholesky(l, n);
    }

    public static Cholesky Factor(ReadOnlySpan<double> a, int n) =>
        TryFactor(a, n) ?? throw new InvalidOperationException("matrix is not positive definite (features may be collinear or constant)");

    /// <summary>Solves A·x = b in place.</summary>
    public void Solve(Span<double> b)
    {
        int n = Size;
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= _l[i * n + k] * b[k];
            b[i] = s / _l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= _l[k * n + i] * b[k];
            b[i] = s / _l[i * n + i];
        }
    }
}
