using System.Globalization;
using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Models;
using Habitat.Learning.Reporting;
using Habitat.Learning.Validation;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat validate</c>: cross-validated performance of a model on a labelled feature table.</summary>
public sealed class ValidateCommand : ICommand
{
    public string Name => "validate";
    public string Summary => "cross-validate a model: nested CV metrics with CIs and plots, or out-of-fold probabilities on given folds";
    public string Usage => """
        usage: habitat validate --features F --clinical C (--model-spec S.json | --model NAME ...) --out DIR [options]
          Nested cross-validation (hyper-parameters and feature count chosen inside); prints the metrics table
          (mean, SD, 95% intervals) and writes metrics.csv, oof.csv, folds.csv, roc.png/svg, calibration.png/svg.
        """ + "\n" + LearningOptions.CohortUsage + "\n" + LearningOptions.ModelUsage + "\n" + """
          --compare-spec S2.json       also validate a second model on the same splits; DeLong test of the AUCs
          --out DIR                    output folder

        usage: habitat validate --table T.csv --folds FOLDS.csv --model logistic-l2|lda [options]
          --table T.csv          cases as rows: an id column, a label column, numeric feature columns
          --id-column NAME       case id column (default case_id)
          --label-column NAME    binary label column (default label)
          --positive-class V     label value of class 1 (default: larger numeric / last text label)
          --folds FOLDS.csv      fold of each case (columns case_id,fold); plain k-fold on these folds
          --model NAME           logistic-l2 | lda (or any model name listed above)
          --C VALUE              inverse L2 strength of logistic regression (default 1)
          --oof-out OOF.csv      write out-of-fold probability of class 1 as case_id,probability
        Features are z-scored on the training folds (population SD) before fitting.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "drop-constant", "drop-incomplete" };

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr) =>
        args.Option("table") is not null ? RunOnGivenFolds(args, stdout) : RunNested(args, stdout, stderr);

    private static int RunNested(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var source = LearningOptions.Cohort(args);
        ModelSearch search;
        IReadOnlyList<ModelSpec> candidates;
        ValidationPlan plan;
        try
        {
            search = LearningOptions.Search(args);
            candidates = search.Candidates();
            plan = search.Plan();
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        var comparePath = args.Option("compare-spec");
        var output = args.Required("out");
        args.EnsureAllUsed();

        var cohort = source.Load(stderr);
        stdout.WriteLine($"{cohort.Count} cases ({cohort.Labels.Sum()} {cohort.ClassNames[1]}), {cohort.PatientIds.Distinct().Count()} patients, {cohort.FeatureNames.Count} features; {candidates.Count} candidate model(s)");
        var result = NestedCrossValidation.Run(cohort, candidates, plan, new LineProgress(stderr));
        ValidationReport.Write(result, cohort, output);
        stdout.Write(ValidationReport.Table(result));
        if (comparePath is not null)
        {
            var other = ModelSearch.Read(comparePath);
            var otherResult = NestedCrossValidation.Run(cohort, other.Candidates(), plan, new LineProgress(stderr));
            ValidationReport.Write(otherResult, cohort, Path.Combine(output, "compared"));
            var a = result.Repeats[0];
            var b = otherResult.Repeats[0];
            var order = b.Rows.Select((row, k) => (row, k)).ToDictionary(t => t.row, t => t.k);
            var labels = a.Rows.Select(i => cohort.Labels[i]).ToArray();
            var bAligned = a.Rows.Select(i => b.Probabilities[order[i]]).ToArray();
            var test = DeLong.Compare(a.Probabilities, bAligned, labels);
            stdout.WriteLine(FormattableString.Invariant(
                $"DeLong test (repeat 1): AUC {test.AucA:F4} vs {test.AucB:F4}, difference {test.Difference:F4} (SE {test.StandardError:F4}), z = {test.Z:F3}, p = {test.PValue:G4}"));
        }
        stdout.WriteLine($"written: {output}");
        return 0;
    }

    private static int RunOnGivenFolds(CliArgs args, TextWriter stdout)
    {
        var tablePath = args.Required("table");
        var columns = new CohortColumns
        {
            CaseId = args.Option("id-column") ?? "case_id",
            Label = args.Option("label-column") ?? "label",
            PositiveClass = args.Option("positive-class"),
        };
        var foldsPath = args.Required("folds");
        ClassifierKind kind;
        try { kind = ClassifierSpec.ParseKind(args.Required("model")); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        double c = args.Double("C", 1);
        if (!(c > 0)) throw new UsageException($"--C must be positive, got {c.ToString(CultureInfo.InvariantCulture)}");
        var oofOut = args.Option("oof-out");
        args.EnsureAllUsed();

        var cohort = CohortTable.FromSingleTable(CsvTable.Read(tablePath), columns);
        var folds = FoldAssignment.Read(foldsPath, cohort.CaseIds, columns.CaseId);
        var probabilities = CrossValidation.OutOfFoldProbabilities(cohort, folds, new ClassifierSpec(kind, c));
        if (oofOut is not null)
            CsvTable.WriteAtomic(oofOut, ["case_id", "probability"], // the contract header, whatever the id column is called
                cohort.CaseIds.Select((id, i) => (IReadOnlyList<string>)[id, CsvTable.Format(probabilities[i])]));
        var auc = RocAuc.Compute(probabilities, cohort.Labels);
        stdout.WriteLine(FormattableString.Invariant(
            $"{cohort.Count} cases, {cohort.FeatureNames.Count} features, {folds.Folds.Length} folds; out-of-fold ROC AUC {auc:F6}"));
        if (oofOut is not null) stdout.WriteLine($"out-of-fold probabilities: {oofOut}");
        return 0;
    }
}
