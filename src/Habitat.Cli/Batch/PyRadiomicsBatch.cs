using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Cli.Batch;

/// <summary>
/// A PyRadiomics batch: the manifest has the columns <c>Image</c>, <c>Mask</c>, optional <c>Label</c> and any others;
/// every manifest column is carried into the output (and identifies the case when resuming), followed by the
/// <c>diagnostics_*</c> entries (text) and the features. Failures go to <c>{out}.errors.csv</c>, the parameter file's
/// text to <c>{out}.params.yaml</c> (resuming with another parameter file is refused).
/// </summary>
public static class PyRadiomicsBatch
{
    public static BatchPlan Plan(string manifestPath, string parametersPath, string outPath, BatchFormat format)
    {
        string parametersText;
        try { parametersText = File.ReadAllText(parametersPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(parametersPath, $"cannot read the parameter file: {e.Message}", e);
        }
        var parameters = PyRadiomicsParameters.Parse(parametersText, parametersPath);
        var manifest = Manifest.Read(manifestPath);
        int image = manifest.Column("Image"), mask = manifest.Column("Mask"), label = manifest.Column("Label");
        if (image < 0 || mask < 0)
            throw new ImageFormatException(manifestPath, $"the manifest needs the columns Image and Mask (found: {string.Join(", ", manifest.Columns)})");
        var cases = new List<BatchCase>(manifest.Rows.Count);
        foreach (var row in manifest.Rows)
        {
            int? caseLabel = null;
            if (label >= 0 && row.Values[label].Trim().Length > 0)
                caseLabel = int.TryParse(row.Values[label], out var l) && l > 0 ? l
                    : throw new ImageFormatException(manifestPath, $"line {row.Line}: Label must be a positive integer, got '{row.Values[label]}'");
            string imagePath = manifest.Resolve(row.Values[image]), maskPath = manifest.Resolve(row.Values[mask]);
            cases.Add(new BatchCase(row.Line, row.Values, $"row {row.Line} {imagePath}", () =>
                Values(PyRadiomicsExtractor.ExtractFiles(imagePath, maskPath, parameters, caseLabel))));
        }
        return new BatchPlan(cases, manifest.Columns, outPath, format, outPath + ".errors.csv")
        {
            IsTextColumn = name => name.StartsWith("diagnostics_", StringComparison.Ordinal),
            Settings = (outPath + ".params.yaml", parametersText),
        };
    }

    private static CaseValues Values(PyRadiomicsResult result)
    {
        var values = new CaseValues();
        foreach (var (name, text) in result.Diagnostics) values.Add(name, text);
        foreach (var (name, value) in result.Features) values.Add(name, value);
        return values;
    }
}
