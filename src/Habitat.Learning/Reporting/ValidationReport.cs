using System.Globalization;
using System.Text;
using Habitat.Learning.Data;
using Habitat.Learning.Validation;

namespace Habitat.Learning.Reporting;

/// <summary>The files and the printed table of a validation run.</summary>
public static class ValidationReport
{
    /// <summary>Metric table: mean ± SD over repeats and the 95% interval.</summary>
    public static string Table(ValidationResult result)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Invariant($"{"metric",-18} {"mean",8} {"sd",8} {"95% interval",-19} {"interval"}"));
        foreach (var m in result.Summary)
        {
            var interval = double.IsNaN(m.Lower) ? "" : Invariant($"[{m.Lower:F3}, {m.Upper:F3}]");
            sb.AppendLine(Invariant($"{m.Metric,-18} {m.Mean,8:F3} {m.Sd,8:F3} {interval,-19} {m.Interval}"));
        }
        return sb.ToString();
    }

    /// <summary>
    /// Writes into <paramref name="folder"/>: <c>metrics.csv</c>, <c>oof.csv</c> (case, repeat, probability,
    /// predicted class), <c>folds.csv</c> (chosen candidate, inner AUC and threshold per outer split), and the ROC
    /// and calibration plots as PNG and SVG.
    /// </summary>
    public static void Write(ValidationResult result, CohortTable cohort, string folder)
    {
        Directory.CreateDirectory(folder);
        CsvTable.WriteAtomic(Path.Combine(folder, "metrics.csv"), ["metric", "mean", "sd", "lower", "upper", "interval"],
            result.Summary.Select(m => (IReadOnlyList<string>)[m.Metric, F(m.Mean), F(m.Sd), F(m.Lower), F(m.Upper), m.Interval]));
        CsvTable.WriteAtomic(Path.Combine(folder, "oof.csv"), ["case_id", "patient_id", "label", "repeat", "probability", "predicted_label"],
            result.Repeats.SelectMany(r => r.Rows.Select((row, k) => (IReadOnlyList<string>)[
                cohort.CaseIds[row], cohort.PatientIds[row], cohort.Labels[row].ToString(CultureInfo.InvariantCulture),
                r.Repeat.ToString(CultureInfo.InvariantCulture), F(r.Probabilities[k]), r.Predicted[k].ToString(CultureInfo.InvariantCulture)])));
        CsvTable.WriteAtomic(Path.Combine(folder, "folds.csv"), ["repeat", "split", "test_cases", "chosen_model", "inner_auc", "threshold"],
            result.Folds.Select(f => (IReadOnlyList<string>)[f.Repeat.ToString(CultureInfo.InvariantCulture), f.Split,
                f.Test.Length.ToString(CultureInfo.InvariantCulture), f.Chosen.Describe(), F(f.InnerAuc), F(f.Threshold)]));
        Plots.Roc(result, cohort, Path.Combine(folder, "roc"));
        Plots.Calibration(result, cohort, Path.Combine(folder, "calibration"));
    }

    private static string F(double v) => CsvTable.Format(v);
    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
