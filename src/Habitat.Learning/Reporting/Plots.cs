using System.Globalization;
using Habitat.Learning.Data;
using Habitat.Learning.Metrics;
using Habitat.Learning.Validation;
using ScottPlot;

namespace Habitat.Learning.Reporting;

/// <summary>ROC and calibration plots of a validation, each written as PNG and SVG (ScottPlot 5).</summary>
public static class Plots
{
    private const int Width = 640, Height = 560;

    /// <summary>Writes <c>{stem}.png</c> and <c>{stem}.svg</c>: one ROC curve per repeat of pooled out-of-fold predictions.</summary>
    public static void Roc(ValidationResult result, CohortTable cohort, string stem)
    {
        var plot = new Plot();
        foreach (var repeat in result.Repeats)
        {
            var labels = repeat.Rows.Select(i => cohort.Labels[i]).ToArray();
            var (fpr, tpr) = RocCurve.Points(repeat.Probabilities, labels);
            var line = plot.Add.ScatterLine(fpr, tpr);
            line.LineWidth = result.Repeats.Count > 1 ? 1 : 2;
            line.Color = Colors.SteelBlue.WithAlpha(result.Repeats.Count > 1 ? 0.5 : 1.0);
        }
        var auc = result["auc"];
        SaveOnUnitSquare(plot, string.Create(CultureInfo.InvariantCulture, $"ROC, AUC {auc.Mean:F3} (95% CI {auc.Lower:F3}–{auc.Upper:F3})"),
            "1 − specificity", "sensitivity", stem);
    }

    /// <summary>Both plots live on [0, 1]² with the dashed diagonal as reference (chance / perfect calibration).</summary>
    private static void SaveOnUnitSquare(Plot plot, string title, string xLabel, string yLabel, string stem)
    {
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.SetLimits(0, 1, 0, 1);
        Save(plot, stem);
    }

    /// <summary>Writes <c>{stem}.png</c> and <c>{stem}.svg</c>: observed fraction against mean predicted probability per bin.</summary>
    public static void Calibration(ValidationResult result, CohortTable cohort, string stem)
    {
        var plot = new Plot();
        var probabilities = result.Repeats.SelectMany(r => r.Probabilities).ToArray();
        var labels = result.Repeats.SelectMany(r => r.Rows.Select(i => cohort.Labels[i])).ToArray();
        var bins = BinaryMetrics.CalibrationCurve(probabilities, labels);
        var curve = plot.Add.Scatter(bins.Select(b => b.MeanPredicted).ToArray(), bins.Select(b => b.ObservedFraction).ToArray());
        curve.Color = Colors.SteelBlue;
        curve.MarkerSize = 8;
        var brier = result["brier"];
        SaveOnUnitSquare(plot, string.Create(CultureInfo.InvariantCulture, $"Calibration (Brier {brier.Mean:F3})"),
            "mean predicted probability", "observed fraction of class 1", stem);
    }

    private static void Save(Plot plot, string stem)
    {
        AtomicFile.WriteAllBytes(stem + ".png", plot.GetImageBytes(Width, Height, ImageFormat.Png));
        AtomicFile.WriteAllText(stem + ".svg", plot.GetSvgXml(Width, Height));
    }
}
