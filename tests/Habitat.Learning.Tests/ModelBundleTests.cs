using Habitat.Learning.Data;
using Habitat.Learning.Models;
using Habitat.Learning.Preprocessing;
using Habitat.Learning.Reporting;
using Habitat.Learning.Validation;
using Habitat.Testing;

namespace Habitat.Learning.Tests;

public sealed class ModelBundleTests
{
    private static CohortTable Cohort(string? hash) => WithHash(ValidationTests.Synthetic(30, 8, 1.5, 21), hash);

    private static CohortTable WithHash(CohortTable c, string? hash) =>
        new(c.CaseIds, c.PatientIds, c.Labels, c.ClassNames, c.Sites, c.Splits, c.FeatureNames, c.Features, hash);

    private static FeatureTable Features(CohortTable c, string? hash) => new("new.csv", c.CaseIds, c.FeatureNames, c.Features, hash);

    [Theory]
    [InlineData(ClassifierKind.LogisticL2, SelectionMethod.Mrmr, false)]
    [InlineData(ClassifierKind.RbfSvm, SelectionMethod.Wilcoxon, false)]
    [InlineData(ClassifierKind.RandomForest, SelectionMethod.Lasso, false)]
    [InlineData(ClassifierKind.GradientBoosting, SelectionMethod.None, false)]
    [InlineData(ClassifierKind.Lda, SelectionMethod.None, true)]
    public void PredictionsAfterReloadEqualPredictionsBefore(ClassifierKind kind, SelectionMethod selection, bool combat)
    {
        var cohort = Cohort("hash-1");
        var candidates = new[] { 3, 5 }.Select(k => new ModelSpec
        {
            Classifier = new ClassifierSpec(kind, trees: 20),
            Selection = new SelectionSpec { Method = selection, FeatureCount = k },
            Preprocessing = new PreprocessingSpec { Harmonisation = combat ? ComBatPrior.Parametric : null },
            Seed = 2,
        }).ToArray();
        var (bundle, validation) = ModelBundle.Train(cohort, candidates, new ValidationPlan { Folds = 3, InnerFolds = 3, Seed = 1 }, crossValidate: kind == ClassifierKind.LogisticL2);
        using var dir = new TempDir();
        bundle.Save(dir.Path);
        var reloaded = ModelBundle.Load(dir.Path);
        var table = Features(cohort, "hash-1");
        var before = bundle.Predict(table, cohort.Sites);
        var after = reloaded.Predict(table, cohort.Sites);
        Assert.Equal(before.Select(p => p.Probability), after.Select(p => p.Probability));
        Assert.Equal(before.Select(p => p.PredictedClass), after.Select(p => p.PredictedClass));
        Assert.Equal(bundle.SelectedFeatures, reloaded.SelectedFeatures);
        Assert.Equal(bundle.Pipeline.Threshold, reloaded.Pipeline.Threshold);
        if (kind != ClassifierKind.RbfSvm)
        {
            Assert.NotNull(after[0].Explanation);
            Assert.Equal(before[0].Explanation!.Contributions, after[0].Explanation!.Contributions);
        }
        if (validation is not null) Assert.Equal(validation.Summary, reloaded.CrossValidation!);
        var manifest = File.ReadAllText(dir.File("model.json"));
        Assert.Contains("\"settingsHash\": \"hash-1\"", manifest);
        Assert.Contains("Microsoft.ML.FastTree", manifest);
    }

    [Fact]
    public void RefusesFeaturesExtractedWithOtherSettingsUnlessForced()
    {
        var cohort = Cohort("hash-1");
        var (bundle, _) = ModelBundle.Train(cohort, [new ModelSpec()], new ValidationPlan { InnerFolds = 3 }, crossValidate: false);
        var e = Assert.Throws<SettingsMismatchException>(() => bundle.Predict(Features(cohort, "hash-2")));
        Assert.Contains("hash-2", e.Message);
        Assert.Throws<SettingsMismatchException>(() => bundle.Predict(Features(cohort, null)));
        Assert.Equal(cohort.Count, bundle.Predict(Features(cohort, "hash-2"), force: true).Count);
    }

    [Fact]
    public void LinearContributionsAreExactOnTheLogOddsScale()
    {
        var cohort = Cohort(null);
        var (bundle, _) = ModelBundle.Train(cohort, [new ModelSpec()], new ValidationPlan { InnerFolds = 3 }, crossValidate: false);
        var prediction = bundle.Predict(Features(cohort, null), topFeatures: 100)[0];
        var e = prediction.Explanation!;
        double logOdds = e.Baseline + e.Contributions.Sum(c => c.Contribution);
        Assert.Equal(Math.Log(prediction.Probability / (1 - prediction.Probability)), logOdds, 9);
        Assert.Equal("log-odds", e.Scale);
    }

    [Fact]
    public void WritesRocAndCalibrationPlots()
    {
        var cohort = Cohort(null);
        var result = NestedCrossValidation.Run(cohort, [new ModelSpec()], new ValidationPlan { Folds = 3, Repeats = 2 });
        using var dir = new TempDir();
        Plots.Roc(result, cohort, dir.File("roc"));
        Plots.Calibration(result, cohort, dir.File("calibration"));
        foreach (var stem in new[] { "roc", "calibration" })
        {
            var png = File.ReadAllBytes(dir.File(stem + ".png"));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
            Assert.Contains("<svg", File.ReadAllText(dir.File(stem + ".svg")));
        }
    }
}
