using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Models;
using Habitat.Learning.Validation;
using Xunit.Abstractions;

namespace Habitat.Learning.Tests;

public sealed class ValidationTests(ITestOutputHelper output)
{
    /// <summary>
    /// A cohort of <paramref name="patients"/> patients with 1–3 lesions each over two sites; features are pure noise
    /// plus (when <paramref name="signal"/> &gt; 0) a shift of the first two features by the label.
    /// </summary>
    internal static CohortTable Synthetic(int patients, int features, double signal, int seed, bool randomLabels = false)
    {
        var rng = new Random(seed);
        var ids = new List<string>(); var pids = new List<string>(); var labels = new List<int>(); var sites = new List<string>();
        var rows = new List<double[]>();
        for (int p = 0; p < patients; p++)
        {
            int lesions = 1 + p % 3;
            int patientLabel = p % 2;
            for (int l = 0; l < lesions; l++)
            {
                int label = randomLabels ? rng.Next(2) : patientLabel;
                ids.Add($"p{p}_l{l}"); pids.Add($"p{p}"); labels.Add(label); sites.Add(p % 4 == 0 ? "B" : "A");
                var x = new double[features];
                for (int j = 0; j < features; j++) x[j] = ClassifierTests.Normal(rng) + (j < 2 ? signal * label : 0);
                rows.Add(x);
            }
        }
        if (randomLabels && labels.Distinct().Count() < 2) labels[0] = 1 - labels[0];
        var matrix = new FeatureMatrix(rows.Count, features, rows.SelectMany(r => r).ToArray());
        return new CohortTable(ids, pids, labels.ToArray(), ["0", "1"], sites, null,
            Enumerable.Range(0, features).Select(j => $"f{j}").ToArray(), matrix);
    }

    [Fact]
    public void GroupedFoldsNeverSplitAPatientAndCoverEveryCaseOnce()
    {
        var cohort = Synthetic(41, 3, 1, 2);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var splits = Splits.StratifiedGroupKFold(cohort.Labels, cohort.PatientIds, 5, seed);
            var tested = new int[cohort.Count];
            foreach (var s in splits)
            {
                var trainPatients = s.Train.Select(i => cohort.PatientIds[i]).ToHashSet();
                Assert.DoesNotContain(s.Test, i => trainPatients.Contains(cohort.PatientIds[i]));
                Assert.Equal(cohort.Count, s.Train.Length + s.Test.Length);
                foreach (var i in s.Test) tested[i]++;
                double positiveFraction = s.Test.Average(i => cohort.Labels[i]);
                Assert.InRange(positiveFraction, 0.3, 0.7);
            }
            Assert.All(tested, t => Assert.Equal(1, t));
        }
    }

    [Fact]
    public void NestedCrossValidationIsNotOptimisticOnRandomLabels()
    {
        // 20 repeats of nested CV with the feature count chosen inside: random labels must give AUC ≈ 0.5.
        var cohort = Synthetic(40, 60, 0, 11, randomLabels: true);
        var candidates = new[] { 3, 8 }.Select(k => new ModelSpec
        {
            Classifier = new ClassifierSpec(ClassifierKind.LogisticL2, 1),
            Selection = new SelectionSpec { Method = SelectionMethod.Wilcoxon, FeatureCount = k },
            Preprocessing = new PreprocessingSpec { CorrelationThreshold = null },
        }).ToArray();
        var result = NestedCrossValidation.Run(cohort, candidates, new ValidationPlan { Folds = 5, InnerFolds = 3, Repeats = 20, Seed = 5 });
        double mean = result["auc"].Mean;
        output.WriteLine($"random labels: nested CV AUC over 20 repeats = {mean:F4} (SD {result["auc"].Sd:F4})");
        Assert.InRange(mean, 0.45, 0.55);
        Assert.Equal(20, result.Repeats.Count);

        // The check is sensitive: choosing the 3 best features on all cases before cross-validating (the classic
        // leak) makes the same noise look predictive.
        var p = Habitat.Learning.Selection.WilcoxonRankSum.PValues(cohort.Features, cohort.Labels);
        var leaked = Enumerable.Range(0, p.Length).OrderBy(j => p[j]).Take(3).ToArray();
        var preselected = new CohortTable(cohort.CaseIds, cohort.PatientIds, cohort.Labels, cohort.ClassNames, cohort.Sites, null,
            leaked.Select(j => cohort.FeatureNames[j]).ToArray(), cohort.Features.SelectColumns(leaked));
        var leakyResult = NestedCrossValidation.Run(preselected, [new ModelSpec { Preprocessing = new PreprocessingSpec { CorrelationThreshold = null } }],
            new ValidationPlan { Folds = 5, InnerFolds = 3, Repeats = 5, Seed = 5 });
        output.WriteLine($"selection outside CV on the same noise: AUC {leakyResult["auc"].Mean:F4}");
        Assert.True(leakyResult["auc"].Mean > 0.6, $"leaky AUC {leakyResult["auc"].Mean}");
    }

    [Fact]
    public void SameSeedGivesIdenticalResultsAndSignalIsFound()
    {
        var cohort = Synthetic(40, 10, 1.2, 3);
        var candidates = new[] { new ModelSpec { Classifier = new ClassifierSpec(ClassifierKind.RandomForest, trees: 25), Seed = 4 } };
        var plan = new ValidationPlan { Folds = 4, Repeats = 2, Seed = 9 };
        var a = NestedCrossValidation.Run(cohort, candidates, plan);
        var b = NestedCrossValidation.Run(cohort, candidates, plan);
        Assert.Equal(a.Summary, b.Summary);
        for (int r = 0; r < a.Repeats.Count; r++) Assert.Equal(a.Repeats[r].Probabilities, b.Repeats[r].Probabilities);
        output.WriteLine($"signal: AUC {a["auc"].Mean:F3} [{a["auc"].Lower:F3}, {a["auc"].Upper:F3}], bootstrap [{a["auc_bootstrap"].Lower:F3}, {a["auc_bootstrap"].Upper:F3}]");
        Assert.True(a["auc"].Mean > 0.75);
        Assert.True(a["auc"].Lower < a["auc"].Mean && a["auc"].Mean < a["auc"].Upper);
        var other = NestedCrossValidation.Run(cohort, candidates, plan with { Seed = 10 });
        Assert.NotEqual(a.Repeats[0].Probabilities, other.Repeats[0].Probabilities);
    }

    [Fact]
    public void LeaveOneSiteOutAndExternalSplitsKeepTheirSides()
    {
        var cohort = Synthetic(24, 4, 1, 8);
        var loso = Splits.LeaveOneSiteOut(cohort);
        Assert.Equal(2, loso.Count);
        foreach (var s in loso) Assert.Single(s.Test.Select(i => cohort.Sites![i]).Distinct());
        var splitColumn = cohort.PatientIds.Select(p => int.Parse(p[1..]) < 16 ? "train" : "test").ToArray();
        var withSplit = new CohortTable(cohort.CaseIds, cohort.PatientIds, cohort.Labels, cohort.ClassNames, cohort.Sites, splitColumn, cohort.FeatureNames, cohort.Features);
        var external = Splits.External(withSplit);
        Assert.All(external.Test, i => Assert.Equal("test", splitColumn[i]));
        var result = NestedCrossValidation.Run(withSplit, [new ModelSpec()], new ValidationPlan { Scheme = ValidationScheme.ExternalTest });
        Assert.Single(result.Folds);
        Assert.Equal(external.Test.Length, result.Repeats[0].Rows.Length);
    }

    [Fact]
    public void ErrorsInsideParallelFoldsSurfaceUnwrapped()
    {
        // ComBat without a site column fails in every fold; the caller sees the ArgumentException itself.
        var c = Synthetic(20, 3, 1, 4);
        var noSites = new CohortTable(c.CaseIds, c.PatientIds, c.Labels, c.ClassNames, null, null, c.FeatureNames, c.Features);
        var spec = new ModelSpec { Preprocessing = new PreprocessingSpec { Harmonisation = Habitat.Learning.Preprocessing.ComBatPrior.Parametric } };
        var e = Assert.Throws<ArgumentException>(() => NestedCrossValidation.Run(noSites, [spec], new ValidationPlan { Folds = 3 }));
        Assert.Contains("site", e.Message);
    }

    [Fact]
    public void DeLongMatchesHandComputation()
    {
        // Positives 0.9, 0.8, 0.4; negatives 0.7, 0.3, 0.2: V10 = (1, 1, 2/3), V01 = (2/3, 1, 1), AUC = 8/9,
        // S10 = S01 = 1/27, Var = 2/81.
        double[] scores = [0.9, 0.8, 0.4, 0.7, 0.3, 0.2];
        int[] labels = [1, 1, 1, 0, 0, 0];
        var e = DeLong.Estimate(scores, labels);
        Assert.Equal(8.0 / 9, e.Auc, 12);
        Assert.Equal(Math.Sqrt(2.0 / 81), e.StandardError, 12);
        var same = DeLong.Compare(scores, scores, labels);
        Assert.Equal(0, same.Difference);
        Assert.Equal(1, same.PValue);
        double[] worse = [0.9, 0.2, 0.4, 0.7, 0.3, 0.8];
        var cmp = DeLong.Compare(scores, worse, labels);
        Assert.Equal(8.0 / 9 - RocAuc.Compute(worse, labels), cmp.Difference, 12);
        Assert.InRange(cmp.PValue, 0, 1);
    }

    [Fact]
    public void YoudenThresholdAndCalibrationByHand()
    {
        double[] p = [0.9, 0.8, 0.6, 0.55, 0.3, 0.1];
        int[] y = [1, 1, 0, 1, 0, 0];
        // Calling the top 2 positive: J = 2/3; top 4: J = 1 − 1/3 = 2/3; top 2 comes first (higher threshold kept on ties).
        Assert.Equal(0.7, BinaryMetrics.YoudenThreshold(p, y), 12);
        var bins = BinaryMetrics.CalibrationCurve(p, y);
        Assert.Equal(6, bins.Sum(b => b.Count));
        var top = bins.Single(b => b.Lower == 0.9);
        Assert.Equal(1.0, top.ObservedFraction);
    }
}
