using System.Numerics;
using Habitat.Radiomics.Features.Texture;

namespace Habitat.Radiomics.Features;

/// <summary>
/// IBSI 1 grey level co-occurrence based features (LFYI). For a direction vector m (scaled by the distance δ) the GLCM
/// M_m(i, j) counts pairs of intensity-mask voxels (k, k + m) with grey levels i and j; the symmetric GLCM adds the
/// pairs along −m, i.e. M_m + M_mᵀ. From p_ij = M(i, j) / Σ M follow the marginals p_i. and p_.j, the diagonal
/// probabilities p_{i−j,k} (k = |i − j|) and the cross-diagonal probabilities p_{i+j,k} (k = i + j).
/// Aggregation over directions and slices: <see cref="DirectionalAggregation"/>.
/// </summary>
internal sealed class Glcm : IDirectionalFamily<Glcm.Probabilities>
{
    public IReadOnlyList<TextureFeature<Probabilities>> Features => Definitions;

    internal static readonly TextureFeature<Probabilities>[] Definitions =
    [
        new("cm.joint.max", "GYBY", p => p.JointMaximum),                               // IBSI GYBY: joint maximum, max p_ij
        new("cm.joint.avg", "60VM", p => p.MeanRow),                                    // IBSI 60VM: joint average, Σ i p_ij
        new("cm.joint.var", "UR99", p => p.VarianceRow),                                // IBSI UR99: joint variance, Σ (i − μ)² p_ij
        new("cm.joint.entr", "TU9B", p => p.JointEntropy),                              // IBSI TU9B: joint entropy, −Σ p_ij log2 p_ij
        new("cm.diff.avg", "TF7R", p => Mean(p.Difference)),                            // IBSI TF7R: difference average, Σ k p_{i−j,k}
        new("cm.diff.var", "D3YU", p => Variance(p.Difference)),                        // IBSI D3YU: difference variance
        new("cm.diff.entr", "NTRS", p => Entropy(p.Difference)),                        // IBSI NTRS: difference entropy
        new("cm.sum.avg", "ZGXS", p => Mean(p.Sum)),                                    // IBSI ZGXS: sum average, Σ k p_{i+j,k}
        new("cm.sum.var", "OEEB", p => Variance(p.Sum)),                                // IBSI OEEB: sum variance
        new("cm.sum.entr", "P6QZ", p => Entropy(p.Sum)),                                // IBSI P6QZ: sum entropy
        new("cm.energy", "8ZQL", p => p.Energy),                                        // IBSI 8ZQL: angular second moment, Σ p_ij²
        new("cm.contrast", "ACUI", p => DifferenceSum(p, static (k, _) => k * k)),                  // IBSI ACUI: contrast, Σ (i − j)² p_ij
        new("cm.dissimilarity", "8S9J", p => DifferenceSum(p, static (k, _) => k)),                 // IBSI 8S9J: dissimilarity, Σ |i − j| p_ij
        new("cm.inv.diff", "IB1Z", p => DifferenceSum(p, static (k, _) => 1 / (1 + k))),           // IBSI IB1Z: inverse difference
        new("cm.inv.diff.norm", "NDRX", p => DifferenceSum(p, static (k, ng) => 1 / (1 + k / ng))),                    // IBSI NDRX
        new("cm.inv.diff.mom", "WF0Z", p => DifferenceSum(p, static (k, _) => 1 / (1 + k * k))),                                // IBSI WF0Z
        new("cm.inv.diff.mom.norm", "1QCO", p => DifferenceSum(p, static (k, ng) => 1 / (1 + k * k / (ng * ng)))), // IBSI 1QCO
        new("cm.inv.var", "E8JP", p => DifferenceSum(p, static (k, _) => k == 0 ? 0 : 1 / (k * k))), // IBSI E8JP: inverse variance, k ≥ 1
        new("cm.corr", "NI2N", Correlation),                                            // IBSI NI2N: correlation
        new("cm.auto.corr", "QWB0", p => p.Autocorrelation),                            // IBSI QWB0: autocorrelation, Σ i j p_ij
        new("cm.clust.tend", "DG8W", p => ClusterMoment(p, 2)),                         // IBSI DG8W: cluster tendency
        new("cm.clust.shade", "7NFM", p => ClusterMoment(p, 3)),                        // IBSI 7NFM: cluster shade
        new("cm.clust.prom", "AE86", p => ClusterMoment(p, 4)),                         // IBSI AE86: cluster prominence
        new("cm.info.corr.1", "R8DG", InformationCorrelation1),                         // IBSI R8DG: first information correlation
        new("cm.info.corr.2", "JN9H", InformationCorrelation2),                         // IBSI JN9H: second information correlation
    ];

    public static void Compute(TextureVolume volume, TextureOptions options, List<Feature> output) =>
        DirectionalAggregation.Compute(volume, new Glcm(volume, options.SymmetricGlcm), options.Distance, options, output);

    private readonly TextureVolume _volume;
    private readonly bool _symmetric;
    internal bool Symmetric => _symmetric;
    private readonly int _size;
    private readonly int[] _allLevels;

    internal Glcm(TextureVolume volume, bool symmetric)
    {
        _volume = volume;
        _symmetric = symmetric;
        _size = volume.PresentLevels + 1;
        _allLevels = Enumerable.Range(1, volume.PresentLevels).ToArray();
    }

    /// <summary>Row i, column j (compact levels); column 0 collects pairs whose neighbour lies outside the mask and is ignored.</summary>
    public int MatrixLength => _size * _size;

    public void Count(ReadOnlySpan<int> voxels, int offset, Span<long> matrix)
    {
        var levels = _volume.Levels;
        int size = _size;
        foreach (int v in voxels) matrix[levels[v] * size + levels[v + offset]]++;
    }

    /// <summary>Non-zero entries M(i, j) keyed by grey levels (symmetrised when the GLCM is symmetric), as the IBSI manual prints GLCMs.</summary>
    internal Dictionary<(int I, int J), long> CountsByGreyLevel(ReadOnlySpan<long> matrix)
    {
        var entries = new Dictionary<(int, int), long>();
        for (int i = 1; i < _size; i++)
            for (int j = 1; j < _size; j++)
            {
                long count = matrix[i * _size + j] + (_symmetric ? matrix[j * _size + i] : 0);
                if (count != 0) entries[(_volume.GreyLevel[i], _volume.GreyLevel[j])] = count;
            }
        return entries;
    }

    public Probabilities? Statistics(ReadOnlySpan<long> matrix) => Statistics(matrix, _allLevels, NewProbabilities());

    public Probabilities? Statistics(ReadOnlySpan<double> weightedMatrix) => Statistics(weightedMatrix, _allLevels, NewProbabilities());

    /// <summary>The compact levels 1…n present in the ROI.</summary>
    internal ReadOnlySpan<int> AllLevels => _allLevels;

    internal Probabilities NewProbabilities() => new(_volume.GreyLevel, _volume.LevelCount);

    /// <summary>
    /// The statistics of a matrix whose non-zero rows and columns are among <paramref name="levels"/> (compact levels,
    /// ascending), written into <paramref name="p"/> (reused, as a sliding kernel does); null when the matrix is empty.
    /// Counts are integers (<see langword="long"/>) except in PyRadiomics' distance-weighted sums (<see langword="double"/>).
    /// </summary>
    internal Probabilities? Statistics<T>(ReadOnlySpan<T> matrix, ReadOnlySpan<int> levels, Probabilities p) where T : unmanaged, INumber<T>
    {
        int size = _size;
        T total = T.Zero;
        foreach (int i in levels)
            foreach (int j in levels) total += matrix[i * size + j];
        if (total == T.Zero) return null;

        var greyLevel = _volume.GreyLevel;
        p.Clear();
        // With a symmetric GLCM, visit each unordered pair once: p_ij = p_ji = (M_ij + M_ji) / (2 Σ M).
        // Divide (not multiply by the reciprocal) so that a single-entry matrix gives p = 1 exactly, as PyRadiomics' P / ΣP does.
        double normaliser = _symmetric ? 2.0 * double.CreateTruncating(total) : double.CreateTruncating(total);
        double countLogCount = 0, energy = 0, autocorrelation = 0, maximum = 0;
        for (int a = 0; a < levels.Length; a++)
            for (int b = _symmetric ? a : 0; b < levels.Length; b++)
            {
                int i = levels[a], j = levels[b];
                T count = _symmetric ? matrix[i * size + j] + matrix[j * size + i] : matrix[i * size + j];
                if (count == T.Zero) continue;
                double pij = double.CreateTruncating(count) / normaliser;
                double copies = _symmetric && i != j ? 2 : 1;
                int gi = greyLevel[i], gj = greyLevel[j];
                if (pij > maximum) maximum = pij;
                countLogCount += copies * CountLog.TimesLog2(count);
                energy += copies * pij * pij;
                autocorrelation += copies * gi * gj * pij;
                p.Row[i] += pij;
                p.Column[j] += pij;
                if (copies == 2)
                {
                    p.Row[j] += pij;
                    p.Column[i] += pij;
                }
                p.Difference[Math.Abs(gi - gj)] += copies * pij;
                p.Sum[gi + gj] += copies * pij;
            }
        p.JointMaximum = maximum;
        // −Σ p log2 p with p = count / N and Σ p = 1: log2(N) − Σ count log2 count / N.
        p.JointEntropy = Math.Log2(normaliser) - countLogCount / normaliser;
        p.Energy = energy;
        p.Autocorrelation = autocorrelation;
        p.MeanRow = MarginalMean(p.Row, greyLevel);
        p.MeanColumn = MarginalMean(p.Column, greyLevel);
        p.VarianceRow = MarginalVariance(p.Row, greyLevel, p.MeanRow);
        p.VarianceColumn = MarginalVariance(p.Column, greyLevel, p.MeanColumn);
        p.EntropyRow = Entropy(p.Row);
        p.EntropyColumn = Entropy(p.Column);
        return p;
    }

    /// <summary>The probability distributions of one GLCM and the sums over p_ij that the features share.</summary>
    internal sealed class Probabilities(int[] greyLevel, int levelCount)
    {
        /// <summary>p_i. and p_.j, indexed by compact level (grey level <c>GreyLevel[index]</c>).</summary>
        public readonly double[] Row = new double[greyLevel.Length], Column = new double[greyLevel.Length];
        /// <summary>p_{i−j,k}, k = 0…N_g − 1.</summary>
        public readonly double[] Difference = new double[levelCount];
        /// <summary>p_{i+j,k}, k = 0…2N_g (entries below 2 stay 0).</summary>
        public readonly double[] Sum = new double[2 * levelCount + 1];
        public readonly int[] GreyLevel = greyLevel;
        /// <summary>N_g as a real number for the normalised features.</summary>
        public readonly double LevelCount = levelCount;
        public double JointMaximum, JointEntropy, Energy, Autocorrelation;
        public double MeanRow, MeanColumn, VarianceRow, VarianceColumn, EntropyRow, EntropyColumn;

        public void Clear()
        {
            Array.Clear(Row);
            Array.Clear(Column);
            Array.Clear(Difference);
            Array.Clear(Sum);
        }
    }

    /// <summary>Mean of a distribution over 0…n−1 (p_{x+y}, p_{x−y} marginals).</summary>
    internal static double Mean(double[] p)
    {
        double mean = 0;
        for (int k = 0; k < p.Length; k++) mean += k * p[k];
        return mean;
    }

    /// <summary>Variance of a distribution over 0…n−1.</summary>
    internal static double Variance(double[] p)
    {
        double mean = Mean(p), variance = 0;
        for (int k = 0; k < p.Length; k++) variance += (k - mean) * (k - mean) * p[k];
        return variance;
    }

    private static double Entropy(double[] p)
    {
        double entropy = 0;
        foreach (double pk in p)
            if (pk > 0) entropy -= pk * Math.Log2(pk);
        return entropy;
    }

    private static double MarginalMean(double[] p, int[] greyLevel)
    {
        double mean = 0;
        for (int i = 1; i < p.Length; i++) mean += greyLevel[i] * p[i];
        return mean;
    }

    private static double MarginalVariance(double[] p, int[] greyLevel, double mean)
    {
        double variance = 0;
        for (int i = 1; i < p.Length; i++) variance += (greyLevel[i] - mean) * (greyLevel[i] - mean) * p[i];
        return variance;
    }

    /// <summary>Σ_k w(k, N_g) p_{i−j,k}: every GLCM feature that depends on i and j only through |i − j|.</summary>
    private static double DifferenceSum(Probabilities p, Func<double, double, double> weight)
    {
        double sum = 0;
        for (int k = 0; k < p.Difference.Length; k++)
            if (p.Difference[k] > 0) sum += weight(k, p.LevelCount) * p.Difference[k];
        return sum;
    }

    /// <summary>Σ (i + j − μ_i. − μ_.j)^n p_ij = Σ_k (k − μ_i. − μ_.j)^n p_{i+j,k}: cluster tendency, shade, prominence.</summary>
    private static double ClusterMoment(Probabilities p, int power)
    {
        double centre = p.MeanRow + p.MeanColumn, sum = 0;
        for (int k = 2; k < p.Sum.Length; k++)
        {
            if (p.Sum[k] == 0) continue;
            double d = k - centre, term = d * d;
            for (int n = 2; n < power; n++) term *= d;
            sum += term * p.Sum[k];
        }
        return sum;
    }

    /// <summary>(Σ i j p_ij − μ_i. μ_.j) / (σ_i. σ_.j); undefined (NaN) for a single grey level.</summary>
    private static double Correlation(Probabilities p) =>
        (p.Autocorrelation - p.MeanRow * p.MeanColumn) / Math.Sqrt(p.VarianceRow * p.VarianceColumn);

    /// <summary>
    /// (HXY − HXY1) / max(HX, HY) with HXY1 = −Σ p_ij log2(p_i. p_.j). Since p_ij > 0 implies p_i. p_.j > 0,
    /// HXY1 = HX + HY exactly (for the symmetric GLCM, 2 HX as IBSI writes it).
    /// </summary>
    private static double InformationCorrelation1(Probabilities p) =>
        (p.JointEntropy - (p.EntropyRow + p.EntropyColumn)) / Math.Max(p.EntropyRow, p.EntropyColumn);

    /// <summary>√(1 − exp(−2 (HXY2 − HXY))) with HXY2 = −Σ p_i. p_.j log2(p_i. p_.j) = HX + HY.</summary>
    private static double InformationCorrelation2(Probabilities p) =>
        Math.Sqrt(Math.Max(0, 1 - Math.Exp(-2 * (p.EntropyRow + p.EntropyColumn - p.JointEntropy)))); // Max: rounding may leave −1e-16
}
