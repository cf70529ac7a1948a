using Habitat.Imaging;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>
/// PyRadiomics 3.1's texture classes written straight from their definitions (<c>cmatrices.c</c> and the feature
/// formulas of <c>glcm.py</c>, <c>glrlm.py</c>, <c>glszm.py</c>, <c>gldm.py</c>, <c>ngtdm.py</c>), with plain loops over
/// voxels and offsets in PyRadiomics' (z, y, x) terms: an independent reference for the extractor.
/// Grey levels are 1…n inside the ROI, 0 outside; the volume is indexed x + nx (y + ny z).
/// </summary>
internal sealed class PyTextureReference(int nx, int ny, int nz, int[] levels, Vec3 spacing)
{
    private const double Eps = 2.220446049250313e-16;

    private int Level(int x, int y, int z) =>
        x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz ? 0 : levels[x + nx * (y + ny * z)];

    private IEnumerable<(int X, int Y, int Z, int Level)> RoiVoxels()
    {
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                    if (Level(x, y, z) > 0) yield return (x, y, z, Level(x, y, z));
    }

    private int RoiCount => levels.Count(l => l > 0);

    /// <summary>Every non-zero offset whose Chebyshev norm is one of <paramref name="distances"/>; with force2D, those
    /// that do not move along PyRadiomics' dimension <paramref name="dimension"/> (0 = z, 1 = y, 2 = x). Offsets longer
    /// than the volume never meet a voxel of it and are not listed.</summary>
    public List<(int Dx, int Dy, int Dz)> Offsets(int[] distances, bool force2D, int dimension)
    {
        int m = Math.Min(distances.Max(), Math.Max(nx, Math.Max(ny, nz)));
        var offsets = new List<(int, int, int)>();
        for (int dz = -m; dz <= m; dz++)
            for (int dy = -m; dy <= m; dy++)
                for (int dx = -m; dx <= m; dx++)
                {
                    int norm = Math.Max(Math.Abs(dx), Math.Max(Math.Abs(dy), Math.Abs(dz)));
                    if (norm == 0 || !distances.Contains(norm)) continue;
                    if (force2D && (dimension == 0 ? dz : dimension == 1 ? dy : dx) != 0) continue;
                    offsets.Add((dx, dy, dz));
                }
        return offsets;
    }

    /// <summary>One of each ± pair: the offset whose first non-zero (z, y, x) component is positive.</summary>
    public List<(int Dx, int Dy, int Dz)> Angles(int[] distances, bool force2D, int dimension) =>
        Offsets(distances, force2D, dimension).Where(o => (o.Dz, o.Dy, o.Dx).CompareTo((0, 0, 0)) > 0).ToList();

    // ---------------------------------------------------------------- GLDM
    public Dictionary<string, double> Gldm(int[] distances, bool force2D, int dimension, int alpha)
    {
        var offsets = Offsets(distances, force2D, dimension);
        var entries = new List<(int Level, int Size)>();
        foreach (var (x, y, z, g) in RoiVoxels())
        {
            int dependent = 0;
            foreach (var (dx, dy, dz) in offsets)
            {
                int h = Level(x + dx, y + dy, z + dz);
                if (h > 0 && Math.Abs(h - g) <= alpha) dependent++;
            }
            entries.Add((g, dependent + 1));
        }
        var f = LevelSizeFeatures(entries.Select(e => (e.Level, e.Size, 1.0)).ToList(), RoiCount);
        return new()
        {
            ["gldm_SmallDependenceEmphasis"] = f["Small"], ["gldm_LargeDependenceEmphasis"] = f["Large"],
            ["gldm_GrayLevelNonUniformity"] = f["GLN"], ["gldm_DependenceNonUniformity"] = f["SN"],
            ["gldm_DependenceNonUniformityNormalized"] = f["SNN"], ["gldm_GrayLevelVariance"] = f["GLV"],
            ["gldm_DependenceVariance"] = f["SV"], ["gldm_DependenceEntropy"] = f["Entropy"],
            ["gldm_LowGrayLevelEmphasis"] = f["LGE"], ["gldm_HighGrayLevelEmphasis"] = f["HGE"],
            ["gldm_SmallDependenceLowGrayLevelEmphasis"] = f["SLGE"], ["gldm_SmallDependenceHighGrayLevelEmphasis"] = f["SHGE"],
            ["gldm_LargeDependenceLowGrayLevelEmphasis"] = f["LLGE"], ["gldm_LargeDependenceHighGrayLevelEmphasis"] = f["LHGE"],
        };
    }

    // ---------------------------------------------------------------- NGTDM
    public Dictionary<string, double> Ngtdm(int[] distances, bool force2D, int dimension)
    {
        var offsets = Offsets(distances, force2D, dimension);
        var n = new SortedDictionary<int, double>();
        var s = new SortedDictionary<int, double>();
        foreach (var (x, y, z, g) in RoiVoxels())
        {
            double sum = 0, count = 0;
            foreach (var (dx, dy, dz) in offsets)
            {
                int h = Level(x + dx, y + dy, z + dz);
                if (h == 0) continue;
                sum += h;
                count++;
            }
            // cmatrices.c: a voxel without neighbours in the mask still counts in n_i, with difference 0.
            n[g] = n.GetValueOrDefault(g) + 1;
            s[g] = s.GetValueOrDefault(g) + (count == 0 ? 0 : Math.Abs(g - sum / count));
        }
        var levelsPresent = n.Keys.ToArray();
        double nvp = n.Values.Sum();
        int ngp = levelsPresent.Length;
        double P(int i) => n[i] / nvp;
        double sumPs = levelsPresent.Sum(i => P(i) * s[i]), sumS = s.Values.Sum();
        double contrast = 0, absDiff = 0, complexity = 0, strength = 0;
        foreach (int i in levelsPresent)
            foreach (int j in levelsPresent)
            {
                contrast += P(i) * P(j) * (i - j) * (i - j);
                absDiff += Math.Abs(i * P(i) - j * P(j));
                complexity += Math.Abs(i - j) * (P(i) * s[i] + P(j) * s[j]) / (P(i) + P(j));
                strength += (P(i) + P(j)) * (i - j) * (i - j);
            }
        return new()
        {
            ["ngtdm_Coarseness"] = sumPs == 0 ? 1e6 : 1 / sumPs,
            ["ngtdm_Contrast"] = ngp < 2 ? 0 : contrast / (ngp * (ngp - 1.0)) * sumS / nvp,
            ["ngtdm_Busyness"] = absDiff == 0 ? 0 : sumPs / absDiff,
            ["ngtdm_Complexity"] = complexity / nvp,
            ["ngtdm_Strength"] = sumS == 0 ? 0 : strength / sumS,
        };
    }

    // ---------------------------------------------------------------- GLSZM
    public Dictionary<string, double> Glszm(bool force2D, int dimension)
    {
        var connectivity = Offsets([1], force2D, dimension);
        var visited = new bool[levels.Length];
        var zones = new List<(int Level, int Size, double Weight)>();
        foreach (var (x0, y0, z0, g) in RoiVoxels())
        {
            if (visited[x0 + nx * (y0 + ny * z0)]) continue;
            int size = 0;
            var stack = new Stack<(int, int, int)>();
            stack.Push((x0, y0, z0));
            visited[x0 + nx * (y0 + ny * z0)] = true;
            while (stack.Count > 0)
            {
                var (x, y, z) = stack.Pop();
                size++;
                foreach (var (dx, dy, dz) in connectivity)
                {
                    int x2 = x + dx, y2 = y + dy, z2 = z + dz;
                    if (Level(x2, y2, z2) != g || visited[x2 + nx * (y2 + ny * z2)]) continue;
                    visited[x2 + nx * (y2 + ny * z2)] = true;
                    stack.Push((x2, y2, z2));
                }
            }
            zones.Add((g, size, 1));
        }
        var f = LevelSizeFeatures(zones, RoiCount);
        return Named("glszm", ["SmallAreaEmphasis", "LargeAreaEmphasis", "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized",
            "SizeZoneNonUniformity", "SizeZoneNonUniformityNormalized", "ZonePercentage", "GrayLevelVariance", "ZoneVariance",
            "ZoneEntropy", "LowGrayLevelZoneEmphasis", "HighGrayLevelZoneEmphasis", "SmallAreaLowGrayLevelEmphasis",
            "SmallAreaHighGrayLevelEmphasis", "LargeAreaLowGrayLevelEmphasis", "LargeAreaHighGrayLevelEmphasis"], f);
    }

    // ---------------------------------------------------------------- GLRLM
    /// <summary>
    /// Runs along each angle of distance 1; features per angle averaged over the non-empty angles. An angle along which
    /// no line holds two ROI voxels is zeroed (cmatrices.c's multiElement check), hence not averaged.
    /// </summary>
    public Dictionary<string, double> Glrlm(bool force2D, int dimension)
    {
        var perAngle = new List<Dictionary<string, double>>();
        int longest = Math.Max(nx, Math.Max(ny, nz));
        foreach (var (dx, dy, dz) in Angles([1], force2D, dimension))
        {
            bool twoOnALine = RoiVoxels().Any(v => Enumerable.Range(1, longest).Any(k => Level(v.X + k * dx, v.Y + k * dy, v.Z + k * dz) > 0));
            if (!twoOnALine) continue;
            var runs = new List<(int Level, int Size, double Weight)>();
            foreach (var (x, y, z, g) in RoiVoxels())
            {
                if (Level(x - dx, y - dy, z - dz) == g) continue; // not the first voxel of its run
                int length = 1;
                while (Level(x + length * dx, y + length * dy, z + length * dz) == g) length++;
                runs.Add((g, length, 1));
            }
            if (runs.Count == 0) continue;
            perAngle.Add(LevelSizeFeatures(runs, runs.Sum(r => r.Size)));
        }
        var mean = perAngle[0].Keys.ToDictionary(k => k, k => perAngle.Average(f => f[k]));
        return Named("glrlm", ["ShortRunEmphasis", "LongRunEmphasis", "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized",
            "RunLengthNonUniformity", "RunLengthNonUniformityNormalized", "RunPercentage", "GrayLevelVariance", "RunVariance",
            "RunEntropy", "LowGrayLevelRunEmphasis", "HighGrayLevelRunEmphasis", "ShortRunLowGrayLevelEmphasis",
            "ShortRunHighGrayLevelEmphasis", "LongRunLowGrayLevelEmphasis", "LongRunHighGrayLevelEmphasis"], mean);
    }

    private static Dictionary<string, double> Named(string featureClass, string[] names, Dictionary<string, double> f)
    {
        string[] keys = ["Small", "Large", "GLN", "GLNN", "SN", "SNN", "Percentage", "GLV", "SV", "Entropy", "LGE", "HGE", "SLGE", "SHGE", "LLGE", "LHGE"];
        return names.Select((name, k) => (name, k)).ToDictionary(p => $"{featureClass}_{p.name}", p => f[keys[p.k]]);
    }

    /// <summary>The features shared by GLRLM, GLSZM and GLDM on a matrix of (grey level i, size j) entries; N_z = Σ P, N_p voxels.</summary>
    private static Dictionary<string, double> LevelSizeFeatures(List<(int Level, int Size, double Weight)> entries, double np)
    {
        var p = new Dictionary<(int I, int J), double>();
        foreach (var (i, j, w) in entries) p[(i, j)] = p.GetValueOrDefault((i, j)) + w;
        double nz = p.Values.Sum();
        var byLevel = p.GroupBy(e => e.Key.I).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        var bySize = p.GroupBy(e => e.Key.J).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        double muI = byLevel.Sum(e => e.Key * e.Value) / nz, muJ = bySize.Sum(e => e.Key * e.Value) / nz;
        double Sum(Func<double, double, double> term) => p.Sum(e => e.Value * term(e.Key.I, e.Key.J)) / nz;
        return new()
        {
            ["Small"] = Sum((_, j) => 1 / (j * j)), ["Large"] = Sum((_, j) => j * j),
            ["GLN"] = byLevel.Values.Sum(v => v * v) / nz, ["GLNN"] = byLevel.Values.Sum(v => v * v) / (nz * nz),
            ["SN"] = bySize.Values.Sum(v => v * v) / nz, ["SNN"] = bySize.Values.Sum(v => v * v) / (nz * nz),
            ["Percentage"] = nz / np,
            ["GLV"] = byLevel.Sum(e => e.Value / nz * (e.Key - muI) * (e.Key - muI)),
            ["SV"] = bySize.Sum(e => e.Value / nz * (e.Key - muJ) * (e.Key - muJ)),
            ["Entropy"] = -p.Values.Sum(v => v / nz * Math.Log2(v / nz + Eps)),
            ["LGE"] = Sum((i, _) => 1 / (i * i)), ["HGE"] = Sum((i, _) => i * i),
            ["SLGE"] = Sum((i, j) => 1 / (i * i * j * j)), ["SHGE"] = Sum((i, j) => i * i / (j * j)),
            ["LLGE"] = Sum((i, j) => j * j / (i * i)), ["LHGE"] = Sum((i, j) => i * i * j * j),
        };
    }

    // ---------------------------------------------------------------- GLCM
    /// <summary>
    /// GLCM per angle (row: the centre's level, column: the neighbour's), symmetrised when <paramref name="symmetric"/>;
    /// weightingNorm null: features per non-empty angle averaged; otherwise W = exp(−‖|offset| · spacing‖²) weighted sum.
    /// </summary>
    public Dictionary<string, double> Glcm(int[] distances, bool force2D, int dimension, bool symmetric, string? weightingNorm)
    {
        int n = levels.Max();
        var perAngle = new List<Dictionary<string, double>>();
        var weighted = new double[n + 1, n + 1];
        foreach (var (dx, dy, dz) in Angles(distances, force2D, dimension))
        {
            var m = new double[n + 1, n + 1];
            foreach (var (x, y, z, g) in RoiVoxels())
            {
                int h = Level(x + dx, y + dy, z + dz);
                if (h == 0) continue;
                m[g, h]++;
                if (symmetric) m[h, g]++;
            }
            if (weightingNorm is null)
            {
                if (m.Cast<double>().Sum() > 0) perAngle.Add(GlcmFeatures(m, n));
                continue;
            }
            double ax = Math.Abs(dx) * spacing.X, ay = Math.Abs(dy) * spacing.Y, az = Math.Abs(dz) * spacing.Z;
            double w = weightingNorm switch
            {
                "manhattan" => Math.Exp(-(ax + ay + az) * (ax + ay + az)),
                "euclidean" => Math.Exp(-(ax * ax + ay * ay + az * az)),
                "infinity" => Math.Exp(-Math.Pow(Math.Max(ax, Math.Max(ay, az)), 2)),
                _ => 1,
            };
            for (int i = 1; i <= n; i++)
                for (int j = 1; j <= n; j++) weighted[i, j] += w * m[i, j];
        }
        return weightingNorm is null
            ? perAngle[0].Keys.ToDictionary(k => k, k => perAngle.Average(f => f[k]))
            : GlcmFeatures(weighted, n);
    }

    private static Dictionary<string, double> GlcmFeatures(double[,] counts, int n)
    {
        double total = counts.Cast<double>().Sum();
        var p = new double[n + 1, n + 1];
        var px = new double[n + 1];
        var py = new double[n + 1];
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= n; j++)
            {
                p[i, j] = counts[i, j] / total;
                px[i] += p[i, j];
                py[j] += p[i, j];
            }
        double Sum(Func<int, int, double> term)
        {
            double s = 0;
            for (int i = 1; i <= n; i++)
                for (int j = 1; j <= n; j++) s += p[i, j] * term(i, j);
            return s;
        }
        double ux = Sum((i, _) => i), uy = Sum((_, j) => j);
        double sx = Math.Sqrt(Sum((i, _) => (i - ux) * (i - ux))), sy = Math.Sqrt(Sum((_, j) => (j - uy) * (j - uy)));
        var diff = new double[n];
        var sum = new double[2 * n + 1];
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= n; j++)
            {
                diff[Math.Abs(i - j)] += p[i, j];
                sum[i + j] += p[i, j];
            }
        double Entropy(IEnumerable<double> values) => -values.Sum(v => v * Math.Log2(v + Eps));
        double diffAverage = diff.Select((v, k) => k * v).Sum();
        double hx = Entropy(px.Skip(1)), hy = Entropy(py.Skip(1)), hxy = Entropy(p.Cast<double>());
        double hxy1 = -Sum((i, j) => Math.Log2(px[i] * py[j] + Eps));
        double hxy2 = 0;
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= n; j++) hxy2 -= px[i] * py[j] * Math.Log2(px[i] * py[j] + Eps);
        return new()
        {
            ["glcm_Autocorrelation"] = Sum((i, j) => i * j),
            ["glcm_JointAverage"] = ux,
            ["glcm_ClusterProminence"] = Sum((i, j) => Math.Pow(i + j - ux - uy, 4)),
            ["glcm_ClusterShade"] = Sum((i, j) => Math.Pow(i + j - ux - uy, 3)),
            ["glcm_ClusterTendency"] = Sum((i, j) => Math.Pow(i + j - ux - uy, 2)),
            ["glcm_Contrast"] = Sum((i, j) => (i - j) * (i - j)),
            ["glcm_Correlation"] = sx * sy == 0 ? 1 : (Sum((i, j) => i * j) - ux * uy) / (sx * sy),
            ["glcm_DifferenceAverage"] = diffAverage,
            ["glcm_DifferenceEntropy"] = Entropy(diff),
            ["glcm_DifferenceVariance"] = diff.Select((v, k) => (k - diffAverage) * (k - diffAverage) * v).Sum(),
            ["glcm_JointEnergy"] = Sum((i, j) => p[i, j]),
            ["glcm_JointEntropy"] = hxy,
            ["glcm_Imc1"] = Math.Max(hx, hy) == 0 ? 0 : (hxy - hxy1) / Math.Max(hx, hy),
            ["glcm_Imc2"] = hxy2 == hxy ? 0 : Math.Sqrt(1 - Math.Exp(-2 * (hxy2 - hxy))),
            ["glcm_Idm"] = Sum((i, j) => 1.0 / (1 + (i - j) * (i - j))),
            ["glcm_Id"] = Sum((i, j) => 1.0 / (1 + Math.Abs(i - j))),
            ["glcm_InverseVariance"] = Sum((i, j) => i == j ? 0 : 1.0 / ((i - j) * (i - j))),
            ["glcm_MaximumProbability"] = p.Cast<double>().Max(),
            ["glcm_SumAverage"] = sum.Select((v, k) => k * v).Sum(),
            ["glcm_SumEntropy"] = Entropy(sum),
            ["glcm_SumSquares"] = sx * sx,
        };
    }
}
