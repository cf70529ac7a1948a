using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Models;
using Habitat.Learning.Validation;
using Habitat.Testing;
using Xunit.Abstractions;

namespace Habitat.Learning.Tests;

/// <summary>
/// Breast cancer Wisconsin, fixed 10 folds: our L2 logistic regression and LDA against scikit-learn 1.2.1's
/// out-of-fold probabilities (shared/reference/learning).
/// </summary>
public sealed class ReferenceReproductionTests(ITestOutputHelper output)
{
    private static CohortTable Cohort() =>
        CohortTable.FromSingleTable(CsvTable.Read(ReferenceData.Path("learning", "breast_cancer_wisconsin.csv")), new CohortColumns());

    [Theory]
    [InlineData(ClassifierKind.LogisticL2, "p_logistic_l2_c1", 0.994860)]
    [InlineData(ClassifierKind.Lda, "p_lda", 0.991491)]
    public void OutOfFoldProbabilitiesMatchReference(ClassifierKind kind, string referenceColumn, double referenceAuc)
    {
        var cohort = Cohort();
        Assert.Equal(569, cohort.Count);
        Assert.Equal(30, cohort.FeatureNames.Count);
        var folds = FoldAssignment.Read(ReferenceData.Path("learning", "folds.csv"), cohort.CaseIds);
        var ours = CrossValidation.OutOfFoldProbabilities(cohort, folds, new ClassifierSpec(kind, 1));

        var reference = CsvTable.Read(ReferenceData.Path("learning", "reference_oof_probabilities.csv"));
        int id = reference.Column("case_id"), p = reference.Column(referenceColumn);
        var expected = reference.Rows.ToDictionary(r => r[id], r => double.Parse(r[p], System.Globalization.CultureInfo.InvariantCulture));
        double maxDiff = 0;
        for (int i = 0; i < cohort.Count; i++) maxDiff = Math.Max(maxDiff, Math.Abs(ours[i] - expected[cohort.CaseIds[i]]));
        double auc = RocAuc.Compute(ours, cohort.Labels);
        output.WriteLine($"{kind}: max |Δp| = {maxDiff:E3}, AUC = {auc:F6} (reference {referenceAuc:F6})");
        Assert.True(maxDiff <= 1e-3, $"max abs difference {maxDiff}");
        Assert.InRange(auc, referenceAuc - 1e-3, referenceAuc + 1e-3);
    }
}
