using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Models;
using Xunit.Abstractions;
using static Habitat.Synthesis.Tests.StudyStatistics;

namespace Habitat.Synthesis.Tests;

public sealed class CohortStatisticsTests(CoarseCohortFixture cohort, ITestOutputHelper output) : IClassFixture<CoarseCohortFixture>
{
    private int[] Labels => cohort.Studies.Select(s => s.Plan.Recurrence ? 1 : 0).ToArray();

    /// <summary>In-sample AUC of an L2 logistic regression on z-scored columns (optimistic, so a strict check).</summary>
    private static double LogisticAuc(double[][] columns, int[] labels)
    {
        int rows = labels.Length;
        var x = new FeatureMatrix(rows, columns.Length);
        for (int c = 0; c < columns.Length; c++)
        {
            double mean = columns[c].Average();
            double sd = Math.Sqrt(columns[c].Select(v => (v - mean) * (v - mean)).Average());
            for (int r = 0; r < rows; r++) x[r, c] = (columns[c][r] - mean) / sd;
        }
        var model = new LogisticRegressionTrainer(1).Fit(x, labels);
        var p = new double[rows];
        for (int r = 0; r < rows; r++) p[r] = model.Probability(x.Row(r));
        return RocAuc.Compute(p, labels);
    }

    [Fact]
    public void Both_classes_and_sites_are_present()
    {
        Assert.InRange(Labels.Sum(), 35, 85);
        Assert.Equal(2, cohort.Studies.Select(s => s.Plan.Site).Distinct().Count());
    }

    [Fact]
    public void Lesion_volume_and_mean_T1c_stay_near_chance()
    {
        var volume = cohort.Studies.Select(s => Math.Log(LesionVolumeMl(s))).ToArray();
        var rawMean = cohort.Studies.Select(s => MeanWhere(s.Images["T1c"], s.Habitat, l => l is 1 or 3)).ToArray();
        var zMean = cohort.Studies.Select(s =>
        {
            var (mean, sd) = BrainMeanSd(s, "T1c");
            return (MeanWhere(s.Images["T1c"], s.Habitat, l => l is 1 or 3) - mean) / sd;
        }).ToArray();
        double rawAuc = LogisticAuc([volume, rawMean], Labels);
        double zAuc = LogisticAuc([volume, zMean], Labels);
        output.WriteLine($"in-sample logistic AUC, log volume + mean T1c: raw {rawAuc:F3}, brain z-scored {zAuc:F3}");
        Assert.True(Separation(rawAuc) <= 0.65, $"raw trivial-cue AUC {rawAuc:F3}");
        Assert.True(Separation(zAuc) <= 0.65, $"z-scored trivial-cue AUC {zAuc:F3}");
    }

    [Fact]
    public void Habitat_ratio_carries_signal_that_the_trivial_cues_lack()
    {
        // Necrosis-like lesions have large oedema relative to the lesion: the ratio must separate the classes.
        var ratio = cohort.Studies.Select(s => Math.Log(VolumeMl(s, SyntheticStudy.Oedema) / LesionVolumeMl(s))).ToArray();
        double auc = LogisticAuc([ratio], Labels);
        output.WriteLine($"in-sample AUC of log(oedema / lesion volume): {auc:F3}");
        Assert.True(auc >= 0.65, $"oedema/lesion ratio AUC {auc:F3}");
        Assert.True(auc < 0.95, $"oedema/lesion ratio alone nearly separates the classes (AUC {auc:F3}): too easy");
    }

    [Fact]
    public void Site_effects_show_in_raw_intensities_and_shrink_after_brain_z_scoring()
    {
        var site = cohort.Studies.Select(s => s.Plan.Site).ToArray();
        var rawBrain = cohort.Studies.Select(s => NormalBrainMean(s, "T1c")).ToArray();
        var rawLesion = cohort.Studies.Select(s => MeanWhere(s.Images["T1c"], s.Habitat, l => l is 1 or 3)).ToArray();
        var zLesion = cohort.Studies.Select(s =>
        {
            var (mean, sd) = BrainMeanSd(s, "T1c");
            return (MeanWhere(s.Images["T1c"], s.Habitat, l => l is 1 or 3) - mean) / sd;
        }).ToArray();
        double brainAuc = Separation(RocAuc.Compute(rawBrain, site));
        double lesionAuc = Separation(RocAuc.Compute(rawLesion, site));
        double zAuc = Separation(RocAuc.Compute(zLesion, site));
        output.WriteLine($"site separation AUC: raw normal-brain mean {brainAuc:F3}, raw lesion mean {lesionAuc:F3}, z-scored lesion mean {zAuc:F3}");
        Assert.True(brainAuc >= 0.9, $"raw brain intensity separates sites only with AUC {brainAuc:F3}");
        Assert.True(lesionAuc >= 0.8, $"raw lesion intensity separates sites only with AUC {lesionAuc:F3}");
        Assert.True(zAuc < lesionAuc - 0.1, $"z-scoring left the site effect at AUC {zAuc:F3} (raw {lesionAuc:F3})");
    }

    [Fact]
    public void Labels_agree_with_the_images()
    {
        foreach (var s in cohort.Studies)
        {
            var t1c = s.Images["T1c"];
            var flair = s.Images["FLAIR"];
            double enhancing = MeanWhere(t1c, s.Habitat, l => l == SyntheticStudy.Enhancing);
            double core = MeanWhere(t1c, s.Habitat, l => l == SyntheticStudy.NecroticCore);
            double oedemaFlair = MeanWhere(flair, s.Habitat, l => l == SyntheticStudy.Oedema);
            double normalFlair = NormalBrainMean(s, "FLAIR");
            Assert.True(enhancing > NormalBrainMean(s, "T1c"), $"{s.Plan.CaseId}: enhancing lesion not brighter than brain on T1c");
            if (!double.IsNaN(core))
                Assert.True(enhancing > core, $"{s.Plan.CaseId}: enhancing {enhancing:F0} not brighter than necrotic core {core:F0} on T1c");
            Assert.True(oedemaFlair > 1.3 * normalFlair, $"{s.Plan.CaseId}: oedema {oedemaFlair:F0} not bright on FLAIR (brain {normalFlair:F0})");
            for (int n = 0; n < s.Habitat.Labels.Length; n++)
                if (s.Habitat.Labels[n] != 0)
                    Assert.True(s.BrainMask.Labels[n] == 1, $"{s.Plan.CaseId}: habitat voxel {n} outside the brain mask");
        }
    }
}
