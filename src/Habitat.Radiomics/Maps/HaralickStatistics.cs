namespace Habitat.Radiomics.Maps;

/// <summary>
/// The 13 Haralick statistics of a normalised symmetric co-occurrence matrix, computed from the occupied cells of
/// a <see cref="SparseCooccurrence"/> in O(occupied cells + levels). Definitions follow IBSI 1 (section 3.6, grey
/// level co-occurrence matrix) with levels numbered from 1 and logarithms to base 2; Haralick (1973) is the origin.
/// One instance per worker thread: it owns scratch buffers and allocates nothing per call.
/// </summary>
public sealed class HaralickStatistics
{
    /// <summary>Statistic names in output order (used in map and feature names).</summary>
    public static readonly string[] Names =
    [
        "entropy", "energy", "contrast", "inverse_difference_moment", "correlation",
        "info_correlation1", "info_correlation2", "sum_average", "sum_variance", "sum_entropy",
        "difference_average", "difference_variance", "difference_entropy",
    ];

    /// <summary>IBSI tags of the statistics, in <see cref="Names"/> order (the GLCM family's names).</summary>
    public static readonly string[] IbsiTags =
    [
        "cm.joint.entr", "cm.energy", "cm.contrast", "cm.inv.diff.mom", "cm.corr",
        "cm.info.corr.1", "cm.info.corr.2", "cm.sum.avg", "cm.sum.var", "cm.sum.entr",
        "cm.diff.avg", "cm.diff.var", "cm.diff.entr",
    ];

    public const int Count = 13;

    private readonly double[] _sumDistribution;   // p_{x+y} indexed by (i−1)+(j−1)
    private readonly double[] _diffDistribution;  // p_{x−y} indexed by |i−j|
    private readonly int[] _sumTouched, _diffTouched;

    public HaralickStatistics(int levelCount)
    {
        _sumDistribution = new double[2 * levelCount - 1];
        _diffDistribution = new double[levelCount];
        _sumTouched = new int[2 * levelCount - 1];
        _diffTouched = new int[levelCount];
    }

    /// <summary>Writes the 13 statistics of <paramref name="matrix"/> into <paramref name="result"/> in <see cref="Names"/> order;
    /// all NaN when the matrix holds no pair; correlation and the first information correlation NaN when a single level
    /// occurs (0/0).</summary>
    public void Compute(SparseCooccurrence matrix, Span<double> result)
    {
        if (matrix.PairCount == 0) { result[..Count].Fill(double.NaN); return; }
        double total = 2.0 * matrix.PairCount;
        double entropy = 0, energy = 0, contrast = 0, idm = 0, sumProducts = 0;
        int sumTouched = 0, diffTouched = 0;
        int levels = matrix.LevelCount;
        for (int n = 0; n < matrix.OccupiedCount; n++)
        {
            int cell = matrix.OccupiedCell(n);
            int a = cell / levels, b = cell - a * levels;   // a ≤ b
            double count = matrix.CellCount(cell);
            // a diagonal cell is one matrix entry holding 2·count; an off-diagonal cell is two entries holding count each
            double p = (a == b ? 2 * count : count) / total;
            double entries = a == b ? 1 : 2, mass = entries * p;
            int difference = b - a;
            entropy -= mass * Math.Log2(p);                              // IBSI TU9B: joint entropy
            energy += entries * p * p;                                   // IBSI 8ZQL: angular second moment
            contrast += mass * difference * difference;                  // IBSI ACUI: contrast
            idm += mass / (1.0 + difference * difference);               // IBSI WF0Z: inverse difference moment
            sumProducts += mass * (a + 1.0) * (b + 1.0);
            if (_sumDistribution[a + b] == 0) _sumTouched[sumTouched++] = a + b;
            _sumDistribution[a + b] += mass;
            if (_diffDistribution[difference] == 0) _diffTouched[diffTouched++] = difference;
            _diffDistribution[difference] += mass;
        }

        // Marginals: the matrix is symmetric, so p_x = p_y, μ_x = μ_y, σ_x = σ_y and HX = HY.
        double mean = 0, marginalEntropy = 0;
        for (int a = 0; a < levels; a++)
        {
            int m = matrix.Marginal(a);
            if (m == 0) continue;
            double px = m / total;
            mean += (a + 1) * px;
            marginalEntropy -= px * Math.Log2(px);
        }
        double variance = 0;
        for (int a = 0; a < levels; a++)
        {
            int m = matrix.Marginal(a);
            if (m == 0) continue;
            double d = a + 1 - mean;
            variance += d * d * m / total;
        }

        double sumAverage = 0, sumEntropy = 0;
        for (int t = 0; t < sumTouched; t++)
        {
            int k = _sumTouched[t];
            double p = _sumDistribution[k];
            sumAverage += (k + 2) * p;                                   // IBSI ZGXS: sum average (levels from 1, so i+j = k+2)
            sumEntropy -= p * Math.Log2(p);                              // IBSI P6QZ: sum entropy
        }
        double sumVariance = 0;
        for (int t = 0; t < sumTouched; t++)
        {
            int k = _sumTouched[t];
            double d = k + 2 - sumAverage;
            sumVariance += d * d * _sumDistribution[k];                  // IBSI OEEB: sum variance
            _sumDistribution[k] = 0;
        }

        double diffAverage = 0, diffEntropy = 0;
        for (int t = 0; t < diffTouched; t++)
        {
            int k = _diffTouched[t];
            double p = _diffDistribution[k];
            diffAverage += k * p;                                        // IBSI TF7R: difference average
            diffEntropy -= p * Math.Log2(p);                             // IBSI NTRS: difference entropy
        }
        double diffVariance = 0;
        for (int t = 0; t < diffTouched; t++)
        {
            int k = _diffTouched[t];
            double d = k - diffAverage;
            diffVariance += d * d * _diffDistribution[k];                // IBSI D3YU: difference variance
            _diffDistribution[k] = 0;
        }

        // IBSI NI2N: correlation; undefined (NaN) for a single occupied level, as in the GLCM family.
        double correlation = variance > 0 ? (sumProducts - mean * mean) / variance : double.NaN;
        // HXY1 = HXY2 = HX + HY identically (the logarithm of a product of marginals splits), and HX = HY here.
        double hxy1 = 2 * marginalEntropy;
        double infoCorrelation1 = marginalEntropy > 0 ? (entropy - hxy1) / marginalEntropy : double.NaN;   // IBSI R8DG
        double infoCorrelation2 = Math.Sqrt(Math.Max(0, 1 - Math.Exp(-2 * (hxy1 - entropy))));    // IBSI JN9H

        result[0] = entropy;
        result[1] = energy;
        result[2] = contrast;
        result[3] = idm;
        result[4] = correlation;
        result[5] = infoCorrelation1;
        result[6] = infoCorrelation2;
        result[7] = sumAverage;
        result[8] = sumVariance;
        result[9] = sumEntropy;
        result[10] = diffAverage;
        result[11] = diffVariance;
        result[12] = diffEntropy;
    }
}
