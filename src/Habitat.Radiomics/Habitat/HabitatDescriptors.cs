using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.Habitat;

/// <summary>
/// Habitat-level descriptors (names <c>habitat.…</c>): compartment volumes (mL), the ratios oedema/lesion and
/// core/lesion, enhancing-rim thickness and the lesion–ventricle distance.
/// </summary>
public static class HabitatDescriptors
{
    public static readonly IReadOnlyList<string> RimStatistics = ["mean", "sd", "median", "p10", "p90"];

    public static void Compute(LabelVolume habitat, IReadOnlyList<Compartment> compartments, LabelMapping labels, FeatureRow row)
    {
        var grid = habitat.Grid;
        double ml = grid.VoxelVolume / 1000;
        foreach (var c in compartments) row.Add($"habitat.volume_ml.{c.Name}", c.VoxelCount * ml);
        long lesion = Count(compartments, Compartments.WholeLesion);
        string noLesion = "the habitat holds no enhancing or necrotic-core voxel";
        row.AddRatio("habitat.ratio.oedema_to_lesion", Count(compartments, Compartments.Oedema), lesion, noLesion);
        row.AddRatio("habitat.ratio.core_to_lesion", Count(compartments, Compartments.NecroticCore), lesion, noLesion);
        RimThickness(grid, Mask(compartments, Compartments.Enhancing), Mask(compartments, Compartments.NecroticCore), row);
        VentricleDistance(habitat, Mask(compartments, Compartments.WholeLesion), labels, row);
    }

    /// <summary>
    /// Rim thickness: at every enhancing voxel on the lesion's outer surface (6-connected to a voxel outside the
    /// whole lesion), the distance (mm, exact EDT) to the nearest necrotic-core voxel — how far the enhancing wall
    /// reaches inward there. Summarised by mean, SD, median, 10th and 90th percentiles. Undefined without a core.
    /// </summary>
    private static void RimThickness(Grid grid, byte[] enhancing, byte[] core, FeatureRow row)
    {
        string? missing = Array.IndexOf(enhancing, (byte)1) < 0 ? "no enhancing voxel"
            : Array.IndexOf(core, (byte)1) < 0 ? "no necrotic core: the enhancing lesion is solid, so a rim thickness is undefined" : null;
        if (missing is not null)
        {
            foreach (var s in RimStatistics) row.AddMissing($"habitat.rim_thickness_mm.{s}", missing);
            return;
        }
        var toCore = DistanceTransform.Euclidean(grid, core);
        var samples = new List<double>();
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                {
                    int n = grid.Index(i, j, k);
                    if (enhancing[n] != 0 && OnOuterSurface(grid, enhancing, core, i, j, k)) samples.Add(toCore[n]);
                }
        samples.Sort();
        double mean = samples.Average();
        double sd = Math.Sqrt(samples.Sum(x => (x - mean) * (x - mean)) / samples.Count);
        row.Add("habitat.rim_thickness_mm.mean", mean);
        row.Add("habitat.rim_thickness_mm.sd", sd);
        row.Add("habitat.rim_thickness_mm.median", Quantile(samples, 0.5));
        row.Add("habitat.rim_thickness_mm.p10", Quantile(samples, 0.1));
        row.Add("habitat.rim_thickness_mm.p90", Quantile(samples, 0.9));
    }

    private static bool OnOuterSurface(Grid grid, byte[] enhancing, byte[] core, int i, int j, int k)
    {
        ReadOnlySpan<(int, int, int)> steps = [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)];
        foreach (var (di, dj, dk) in steps)
        {
            int a = i + di, b = j + dj, c = k + dk;
            if (!grid.Contains(a, b, c)) return true;
            int m = grid.Index(a, b, c);
            if (enhancing[m] == 0 && core[m] == 0) return true;
        }
        return false;
    }

    /// <summary>Shortest distance (mm) between a whole-lesion voxel and a ventricle voxel. Ventricles come from the
    /// label mapping's <c>ventricles</c> labels only (no automatic CSF segmentation): absent → missing, with the reason.</summary>
    private static void VentricleDistance(LabelVolume habitat, byte[] lesion, LabelMapping labels, FeatureRow row)
    {
        const string Name = "habitat.lesion_ventricle_distance_mm";
        if (labels.Ventricles.Count == 0) { row.AddMissing(Name, "no ventricle label configured (habitat.labels.ventricles)"); return; }
        var ventricles = Compartments.MaskOf(habitat, labels.Ventricles);
        if (Array.IndexOf(ventricles, (byte)1) < 0) { row.AddMissing(Name, "the habitat map holds no ventricle voxel"); return; }
        if (Array.IndexOf(lesion, (byte)1) < 0) { row.AddMissing(Name, "the habitat holds no lesion voxel"); return; }
        var toVentricle = DistanceTransform.Euclidean(habitat.Grid, ventricles);
        double best = double.PositiveInfinity;
        for (int n = 0; n < lesion.Length; n++) if (lesion[n] != 0) best = Math.Min(best, toVentricle[n]);
        row.Add(Name, best);
    }

    private static double Quantile(List<double> sorted, double p)
    {
        double position = p * (sorted.Count - 1);
        int below = (int)position;
        int above = Math.Min(sorted.Count - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static byte[] Mask(IReadOnlyList<Compartment> compartments, string name) => compartments.First(c => c.Name == name).Mask;
    private static long Count(IReadOnlyList<Compartment> compartments, string name) => compartments.First(c => c.Name == name).VoxelCount;
}
