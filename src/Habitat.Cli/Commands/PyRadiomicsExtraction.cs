using System.Globalization;
using System.Text;
using System.Text.Json;
using Habitat.Cli.Batch;
using Habitat.Imaging.IO;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Cli.Commands;

/// <summary>The PyRadiomics-compatible forms of <c>habitat extract</c> (a parameter file given with <c>--params</c>).</summary>
internal static class PyRadiomicsExtraction
{
    public const string Usage = """
          habitat extract --image I --mask M --params P.yaml --names pyradiomics [--label N] [--out F] [--format csv|json]
          habitat extract --manifest cases.csv --params P.yaml --out features.csv [--jobs N] [--format csv|parquet]
          --params P      PyRadiomics parameter file (YAML or JSON)
          --out F         one case: wide CSV (header + one row) or JSON, stdout when omitted;
                          batch: output table (resumed when it exists, refused when F.params.yaml, the copy of
                          the parameter file, differs; failures in F.errors.csv)
          --manifest M    CSV with columns Image, Mask, optional Label (other columns are carried through)
        """ + BatchCommandLine.OptionsUsage;

    public static int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var parametersPath = args.Required("params");
        if (args.Option("manifest") is { } manifest) return RunBatch(args, manifest, parametersPath, stdout, stderr);
        var parameters = PyRadiomicsParameters.Load(parametersPath);

        var imagePath = args.Required("image");
        var maskPath = args.Required("mask");
        var names = args.Required("names");
        if (names != "pyradiomics") throw new UsageException($"with --params, --names must be 'pyradiomics', got '{names}'");
        int? label = args.Option("label") is null ? null : args.Int("label", 0);
        if (label is < 1) throw new UsageException($"--label must be a positive integer, got {label}");
        var format = args.Option("format") ?? "csv";
        if (format is not ("csv" or "json")) throw new UsageException($"--format must be csv or json for one case, got '{format}'");
        var outPath = args.Option("out");
        args.EnsureAllUsed();

        var result = PyRadiomicsExtractor.ExtractFiles(imagePath, maskPath, parameters, label);
        var columns = new List<KeyValuePair<string, string>> { new("Image", imagePath), new("Mask", maskPath) };
        columns.AddRange(result.Diagnostics);
        columns.AddRange(result.Features.Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString("R", CultureInfo.InvariantCulture))));
        string text = format == "json" ? Json(columns, result) : CsvText.Line(columns.Select(c => c.Key)) + "\n" + CsvText.Line(columns.Select(c => c.Value)) + "\n";
        if (outPath is null) stdout.Write(text);
        else
        {
            var temp = outPath + ".tmp";
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, outPath, overwrite: true);
            stdout.WriteLine($"{result.Features.Count} features written to {outPath}");
        }
        return 0;
    }

    private static string Json(List<KeyValuePair<string, string>> columns, PyRadiomicsResult result)
    {
        var features = result.Features.ToDictionary(f => f.Key, f => f.Value);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in columns)
                if (features.TryGetValue(key, out var number) && double.IsFinite(number)) writer.WriteNumber(key, number);
                else if (features.ContainsKey(key)) writer.WriteNull(key); // NaN/∞ have no JSON number
                else writer.WriteString(key, value);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static int RunBatch(CliArgs args, string manifest, string parametersPath, TextWriter stdout, TextWriter stderr)
    {
        var outPath = args.Required("out");
        var (jobs, format) = BatchCommandLine.Options(args, outPath);
        args.EnsureAllUsed();
        return BatchCommandLine.Run(PyRadiomicsBatch.Plan(manifest, parametersPath, outPath, format), jobs, "cases", stdout, stderr);
    }
}
