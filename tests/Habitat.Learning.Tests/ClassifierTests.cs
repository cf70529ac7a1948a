using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Models;
using Habitat.Learning.Validation;
using Habitat.Testing;
using Xunit.Abstractions;

namespace Habitat.Learning.Tests;

public sealed class ClassifierTests(ITestOutputHelper output)
{
    private static readonly Lazy<CohortTable> BreastCancer = new(() =>
        CohortTable.FromSingleTable(CsvTable.Read(ReferenceData.Path("learning", "breast_cancer_wisconsin.csv")), new CohortColumns()));

    [Theory]
    [InlineData(ClassifierKind.LinearSvm, 0.99)]
    [InlineData(ClassifierKind.RbfSvm, 0.99)]
    [InlineData(ClassifierKind.RandomForest, 0.98)]
    [InlineData(ClassifierKind.GradientBoosting, 0.98)]
    public void EveryFamilySeparatesBreastCancerOutOfFold(ClassifierKind kind, double minimumAuc)
    {
        var cohort = BreastCancer.Value;
        // The reference's ten folds paired into five keep the test quick.
        var tenFolds = FoldAssignment.Read(ReferenceData.Path("learning", "folds.csv"), cohort.CaseIds);
        var folds = new FoldAssignment(tenFolds.FoldOfRow.Select(f => f / 2).ToArray());
        var spec = new ModelSpec { Classifier = new ClassifierSpec(kind, trees: 30), Preprocessing = new PreprocessingSpec { CorrelationThreshold = null }, Seed = 3 };
        var p = CrossValidation.OutOfFoldProbabilities(cohort, folds, spec);
        double auc = RocAuc.Compute(p, cohort.Labels);
        output.WriteLine($"{kind}: out-of-fold AUC {auc:F4}");
        Assert.True(auc >= minimumAuc, $"{kind}: AUC {auc}");
        Assert.All(p, v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void SmoSolutionSatisfiesTheKktConditions()
    {
        var (x, y) = Blobs(80, separation: 1.0, seed: 5);
        const double c = 2;
        var trainer = new SvmTrainer(SvmKernel.Rbf, c, 0.5, 1);
        var machine = trainer.Solve(x, y, 0.5);
        // Recover α_i from the coefficients α_i·y_i of the support vectors.
        double balance = machine.Coefficients.Sum();
        Assert.True(Math.Abs(balance) < 1e-9, $"Σ α_i y_i = {balance}");
        for (int i = 0; i < x.Rows; i++)
        {
            double margin = (y[i] == 1 ? 1 : -1) * machine.Decision(x.Row(i));
            int s = Array.FindIndex(machine.SupportVectors, v => v.AsSpan().SequenceEqual(x.Row(i)));
            double alpha = s < 0 ? 0 : Math.Abs(machine.Coefficients[s]);
            Assert.InRange(alpha, 0, c + 1e-12);
            if (alpha == 0) Assert.True(margin >= 1 - 2e-3, $"row {i}: α=0 but margin {margin}");
            else if (alpha >= c - 1e-12) Assert.True(margin <= 1 + 2e-3, $"row {i}: α=C but margin {margin}");
            else Assert.InRange(margin, 1 - 2e-3, 1 + 2e-3);
        }
    }

    [Fact]
    public void LinearSvmFindsTheMaximumMarginDirection()
    {
        // Two symmetric clouds separated along x₀ only: the hard-margin normal is (1, 0).
        var x = new FeatureMatrix(6, 2, [-2, 0, -1, 1, -1, -1, 2, 0, 1, 1, 1, -1]);
        int[] y = [0, 0, 0, 1, 1, 1];
        var machine = new SvmTrainer(SvmKernel.Linear, 1000, null, 1).Solve(x, y, 0);
        var w = new double[2];
        for (int s = 0; s < machine.SupportVectors.Length; s++)
            for (int j = 0; j < 2; j++) w[j] += machine.Coefficients[s] * machine.SupportVectors[s][j];
        Assert.Equal(1.0, w[0], 3);
        Assert.Equal(0.0, w[1], 3);
        Assert.Equal(0.0, machine.Rho, 3);
    }

    [Theory]
    [InlineData(ClassifierKind.RandomForest)]
    [InlineData(ClassifierKind.GradientBoosting)]
    [InlineData(ClassifierKind.LogisticL2)]
    public void ContributionsAddUpToTheOutputAndSeedsReproduce(ClassifierKind kind)
    {
        var (x, y) = Blobs(120, separation: 1.5, seed: 9);
        var spec = new ClassifierSpec(kind, trees: 30);
        var first = (IExplainableClassifier)spec.CreateTrainer(11).Fit(x, y);
        var again = (IExplainableClassifier)spec.CreateTrainer(11).Fit(x, y);
        for (int i = 0; i < x.Rows; i += 7)
        {
            var c = first.Contributions(x.Row(i), out double baseline);
            double total = baseline + c.Sum();
            double p = first.Probability(x.Row(i));
            double expected = first switch
            {
                GradientBoostingClassifier g => g.Score(x.Row(i)),
                LinearClassifier l => l.LogOdds(x.Row(i)),
                _ => p,
            };
            Assert.Equal(expected, total, 9);
            Assert.Equal(p, again.Probability(x.Row(i)));
        }
    }

    [Fact]
    public void LdaWithMoreFeaturesThanCasesSaysWhy()
    {
        var (x, y) = Blobs(6, 1, 2);
        var wide = new FeatureMatrix(6, 8);
        for (int i = 0; i < 6; i++) for (int j = 0; j < 8; j++) wide[i, j] = x[i, j % 4] + j * 0.01 * i * i;
        var e = Assert.Throws<ArgumentException>(() => new LinearDiscriminantTrainer().Fit(wide, y));
        Assert.Contains("singular", e.Message);
    }

    internal static (FeatureMatrix X, int[] Y) Blobs(int n, double separation, int seed)
    {
        var rng = new Random(seed);
        var x = new FeatureMatrix(n, 4);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            for (int j = 0; j < 4; j++) x[i, j] = Normal(rng) + (j < 2 && y[i] == 1 ? separation : 0);
        }
        return (x, y);
    }

    internal static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
