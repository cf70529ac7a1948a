using System.Globalization;
using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Models;
using Habitat.Learning.Validation;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat validate</c>: cross-validated performance of a model on a labelled feature table.</summary>
public sealed class ValidateCommand : ICommand
{
    public string Name => "validate";
    public string Summary => "cross-validate a classifier on a feature table (out-of-fold probabilities, AUC)";
    public string Usage => """
        usage: habitat validate --table T.csv --folds FOLDS.csv --model logistic-l2|lda [options]
          --table T.csv          cases as rows: an id column, a label column, numeric feature columns
          --id-column NAME       case id column (default case_id)
          --label-column NAME    binary label column (default label)
          --positive-class V     label value of class 1 (default: larger numeric / last text label)
          --folds FOLDS.csv      fold of each case (columns case_id,fold); plain k-fold on these folds
          --model NAME           logistic-l2 | lda
          --C VALUE              inverse L2 strength of logistic regression (default 1)
          --oof-out OOF.csv      write out-of-fold probability of class 1 as case_id,probability
        Features are z-scored on the training folds (population SD) before fitting.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
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
            CsvTable.WriteAtomic(oofOut, [columns.CaseId, "probability"],
                cohort.CaseIds.Select((id, i) => (IReadOnlyList<string>)[id, CsvTable.Format(probabilities[i])]));
        var auc = RocAuc.Compute(probabilities, cohort.Labels);
        stdout.WriteLine(FormattableString.Invariant(
            $"{cohort.Count} cases, {cohort.FeatureNames.Count} features, {folds.Folds.Length} folds; out-of-fold ROC AUC {auc:F6}"));
        if (oofOut is not null) stdout.WriteLine($"out-of-fold probabilities: {oofOut}");
        return 0;
    }
}
