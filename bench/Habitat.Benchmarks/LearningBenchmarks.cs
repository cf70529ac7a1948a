using BenchmarkDotNet.Attributes;
using Habitat.Learning.Data;
using Habitat.Learning.Models;
using Habitat.Learning.Preprocessing;
using Habitat.Learning.Validation;
using Habitat.Testing;

namespace Habitat.Benchmarks;

/// <summary>
/// Learning: classifier fits on the breast-cancer reference (569 × 30, z-scored), and one nested cross-validation
/// of a radiomics-sized synthetic cohort (120 cases, 400 features, mRMR with two feature counts, 5 × 3 folds).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LearningBenchmarks
{
    private FeatureMatrix _x = null!;
    private int[] _y = null!;
    private CohortTable _radiomics = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cohort = CohortTable.FromSingleTable(CsvTable.Read(ReferenceData.Path("learning", "breast_cancer_wisconsin.csv")), new CohortColumns());
        _x = ZScore.Fit(cohort.Features).Transform(cohort.Features);
        _y = cohort.Labels;
        var rng = new Random(1);
        int n = 120, p = 400;
        var m = new FeatureMatrix(n, p);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 2;
            for (int j = 0; j < p; j++) m[i, j] = rng.NextDouble() + (j < 5 ? 0.4 * labels[i] : 0);
        }
        var ids = Enumerable.Range(0, n).Select(i => $"c{i}").ToArray();
        _radiomics = new CohortTable(ids, ids, labels, ["0", "1"], null, null, Enumerable.Range(0, p).Select(j => $"f{j}").ToArray(), m);
    }

    [Benchmark] public IClassifier LogisticL2() => new LogisticRegressionTrainer(1).Fit(_x, _y);
    [Benchmark] public IClassifier Lda() => new LinearDiscriminantTrainer().Fit(_x, _y);
    [Benchmark] public IClassifier RbfSvm() => new SvmTrainer(SvmKernel.Rbf, 1, null, 1).Fit(_x, _y);
    [Benchmark] public IClassifier RandomForest() => new RandomForestTrainer(100, 1, null, 1).Fit(_x, _y);

    [Benchmark]
    public ValidationResult NestedCvRadiomics() => NestedCrossValidation.Run(_radiomics,
        new[] { 5, 10 }.Select(k => new ModelSpec { Selection = new SelectionSpec { Method = SelectionMethod.Mrmr, FeatureCount = k } }).ToArray(),
        new ValidationPlan { Folds = 5, InnerFolds = 3 });
}
