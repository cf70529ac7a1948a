using System.Globalization;
using Habitat.Cli.Batch;
using Habitat.Radiomics.PyRadiomics;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;

namespace Habitat.Cli.Tests;

/// <summary><c>habitat extract --params</c>: one case (CSV/JSON) and batch runs over a manifest.</summary>
public class PyRadiomicsExtractTests
{
    private static string Reference(string file) => ReferenceData.Path("pyradiomics", file);
    private static string Params => Path.Combine(ReferenceData.RepoRoot, "settings", "pyradiomics", "brain1", "default.yaml");

    /// <summary>breast1 twice (different IDs), brain2, a missing file and a truncated (corrupt) image.</summary>
    private static string WriteManifest(TempDir dir)
    {
        File.WriteAllBytes(dir.File("corrupt.nrrd"), File.ReadAllBytes(Reference("breast1_image.nrrd"))[..200]);
        var path = dir.File("cases.csv");
        File.WriteAllLines(path,
        [
            "ID,Image,Mask,Label,Site",
            $"a,{Reference("breast1_image.nrrd")},{Reference("breast1_label.nrrd")},1,\"Oslo, NO\"",
            $"b,missing.nrrd,{Reference("breast1_label.nrrd")},,x",
            $"c,{Reference("brain2_image.nrrd")},{Reference("brain2_label.nrrd")},,y",
            $"d,corrupt.nrrd,{Reference("breast1_label.nrrd")},,z",
            $"e,{Reference("breast1_image.nrrd")},{Reference("breast1_label.nrrd")},1,w",
        ]);
        return path;
    }

    [Fact]
    public void One_case_writes_a_wide_row_with_pyradiomics_names()
    {
        using var dir = new TempDir();
        var output = dir.File("one.csv");
        var (code, _, err) = Run("extract", "--image", Reference("brain1_image.nrrd"), "--mask", Reference("brain1_label.nrrd"),
            "--params", Params, "--names", "pyradiomics", "--out", output);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(output);
        Assert.Equal(2, lines.Length);
        var header = CsvText.Split(lines[0]);
        var row = CsvText.Split(lines[1]);
        Assert.Equal(header.Count, row.Count);
        Assert.Equal(["Image", "Mask"], header[..2]);
        double entropy = double.Parse(row[header.IndexOf("original_glcm_JointEntropy")], CultureInfo.InvariantCulture);
        Assert.Equal(8.799696270248813, entropy, 1e-9);
        Assert.Contains("diagnostics_Mask-original_BoundingBox", header);
    }

    [Fact]
    public void Lbp3D_columns_are_named_as_pyradiomics_names_them()
    {
        using var dir = new TempDir();
        var parameters = dir.File("lbp3d.yaml");
        File.WriteAllText(parameters, "setting:\n  binWidth: 1\nimageType:\n  LBP3D: {}\nfeatureClass:\n  firstorder: [Mean, Maximum]\n  glcm: [JointEntropy]\n");
        var output = dir.File("lbp3d.csv");
        var (code, _, err) = Run("extract", "--image", Reference("brain1_image.nrrd"), "--mask", Reference("brain1_label.nrrd"),
            "--params", parameters, "--names", "pyradiomics", "--out", output);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(output);
        var header = CsvText.Split(lines[0]);
        var row = CsvText.Split(lines[1]);
        double Value(string name) => double.Parse(row[header.IndexOf(name)], CultureInfo.InvariantCulture);
        var features = header.Where(h => !h.StartsWith("diagnostics_", StringComparison.Ordinal) && h is not ("Image" or "Mask")).ToList();
        Assert.Equal(["lbp-3D-m1_firstorder_Mean", "lbp-3D-m1_firstorder_Maximum", "lbp-3D-m1_glcm_JointEntropy",
            "lbp-3D-m2_firstorder_Mean", "lbp-3D-m2_firstorder_Maximum", "lbp-3D-m2_glcm_JointEntropy",
            "lbp-3D-k_firstorder_Mean", "lbp-3D-k_firstorder_Maximum", "lbp-3D-k_glcm_JointEntropy"], features);
        // Degree 0 is √42 · (neighbours ≥ centre) / 4π ≤ √42 · 42 / 4π.
        Assert.InRange(Value("lbp-3D-m1_firstorder_Maximum"), 0, Math.Sqrt(42) * 42 / (4 * Math.PI) + 1e-5);
        Assert.True(Value("lbp-3D-m2_glcm_JointEntropy") > 0);
    }

    [Fact]
    public void One_case_as_json()
    {
        var (code, json, err) = Run("extract", "--image", Reference("brain1_image.nrrd"), "--mask", Reference("brain1_label.nrrd"),
            "--params", Params, "--names", "pyradiomics", "--format", "json");
        Assert.True(code == 0, err);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(4137, document.RootElement.GetProperty("diagnostics_Mask-original_VoxelNum").GetString() is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : -1);
        Assert.Equal(825.2354363065023, document.RootElement.GetProperty("original_firstorder_Mean").GetDouble(), 1e-9);
    }

    [Fact]
    public void Bad_parameter_files_name_the_key()
    {
        using var dir = new TempDir();
        var file = dir.File("p.yaml");
        File.WriteAllText(file, "setting:\n  binWidht: 25\n");
        var (code, _, err) = Run("extract", "--image", Reference("brain1_image.nrrd"), "--mask", Reference("brain1_label.nrrd"),
            "--params", file, "--names", "pyradiomics");
        Assert.Equal(1, code);
        Assert.Contains("binWidht", err);
        File.WriteAllText(file, "setting:\n  resegmentMode: absolut\n");
        Assert.Contains("resegmentMode", Run("extract", "--image", "i", "--mask", "m", "--params", file, "--names", "pyradiomics").Err);
        File.WriteAllText(file, "featureClass:\n  glcm: [JointEntropy, Nope]\n");
        Assert.Contains("Nope", Run("extract", "--image", "i", "--mask", "m", "--params", file, "--names", "pyradiomics").Err);
    }

    [Fact]
    public void A_batch_records_the_corrupt_and_missing_cases_and_goes_on()
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        var output = dir.File("features.csv");
        var (code, stdout, err) = Run("extract", "--manifest", manifest, "--params", Params, "--out", output, "--jobs", "2");
        Assert.Equal(1, code); // some case failed
        Assert.Contains("3 cases extracted, 2 failed", stdout);
        var lines = File.ReadAllLines(output);
        Assert.Equal(4, lines.Length);
        var header = CsvText.Split(lines[0]);
        Assert.Equal(["ID", "Image", "Mask", "Label", "Site"], header[..5]);
        var rows = lines.Skip(1).Select(CsvText.Split).ToList();
        Assert.Equal(["a", "c", "e"], rows.Select(r => r[0]));
        Assert.Equal("Oslo, NO", rows[0][4]);
        // Each row equals a direct extraction of that case.
        var direct = PyRadiomicsExtractor.Extract(Habitat.Imaging.IO.ImageFile.Read(Reference("brain2_image.nrrd")),
            Habitat.Imaging.IO.ImageFile.Read(Reference("brain2_label.nrrd")), PyRadiomicsParameters.Load(Params));
        foreach (var (name, value) in direct.Features)
            Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), rows[1][header.IndexOf(name)]);
        Assert.Equal(rows[0][5..], rows[2][5..]); // the same image twice gives the same values

        var errors = File.ReadAllLines(output + ".errors.csv");
        Assert.Equal("ID,Image,Mask,Label,Site,error", errors[0]);
        Assert.Equal(3, errors.Length);
        Assert.StartsWith("b,", errors[1]);
        Assert.Contains("missing.nrrd", errors[1]);
        Assert.StartsWith("d,", errors[2]);
        Assert.Contains("corrupt.nrrd", errors[2]);
        Assert.Contains("row 3", err);
    }

    [Theory]
    [InlineData(BatchFormat.Csv)]
    [InlineData(BatchFormat.Parquet)]
    public void A_cancelled_run_resumed_gives_the_uninterrupted_output(BatchFormat format)
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        string extension = format == BatchFormat.Csv ? "csv" : "parquet";
        var whole = dir.File("whole." + extension);
        var summary = new BatchExtraction(1, TextWriter.Null, false).Run(PyRadiomicsBatch.Plan(manifest, Params, whole, format));
        Assert.Equal((5, 3, 2, false), (summary.Total, summary.Succeeded, summary.Failed, summary.Cancelled));

        // Cancel as soon as the first case is reported, then resume.
        var resumed = dir.File("resumed." + extension);
        using var cancel = new CancellationTokenSource();
        var log = new CancelOnWrite(cancel);
        var first = new BatchExtraction(1, log, false).Run(PyRadiomicsBatch.Plan(manifest, Params, resumed, format), cancel.Token);
        Assert.True(first.Cancelled);
        Assert.True(first.Succeeded + first.Failed < 5);
        var second = new BatchExtraction(1, TextWriter.Null, false).Run(PyRadiomicsBatch.Plan(manifest, Params, resumed, format));
        Assert.False(second.Cancelled);
        Assert.Equal(first.Succeeded, second.Skipped);
        Assert.Equal(5, second.Skipped + second.Succeeded + second.Failed);

        string journal(string path) => format == BatchFormat.Csv ? path : path + ".rows.csv";
        Assert.Equal(File.ReadAllBytes(journal(whole)), File.ReadAllBytes(journal(resumed)));
        Assert.Equal(File.ReadAllBytes(whole + ".errors.csv"), File.ReadAllBytes(resumed + ".errors.csv"));
        if (format == BatchFormat.Parquet) Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));
    }

    [Fact]
    public void A_torn_last_row_from_a_killed_run_is_cut_and_redone()
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        var output = dir.File("f.csv");
        new BatchExtraction(1, TextWriter.Null, false).Run(PyRadiomicsBatch.Plan(manifest, Params, output, BatchFormat.Csv));
        var complete = File.ReadAllBytes(output);
        // A kill in the middle of writing the last row: drop that row and leave half of it.
        var lines = File.ReadAllText(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var torn = string.Join("\n", lines[..^1]) + "\n" + lines[^1][..(lines[^1].Length / 2)];
        File.WriteAllText(output, torn);
        var summary = new BatchExtraction(1, TextWriter.Null, false).Run(PyRadiomicsBatch.Plan(manifest, Params, output, BatchFormat.Csv));
        Assert.Equal(2, summary.Skipped);
        Assert.Equal(complete, File.ReadAllBytes(output));
    }

    [Fact]
    public void Resuming_with_another_parameter_file_is_refused()
    {
        using var dir = new TempDir();
        var manifest = WriteManifest(dir);
        var output = dir.File("f.csv");
        Run("extract", "--manifest", manifest, "--params", Params, "--out", output);
        Assert.Equal(File.ReadAllText(Params), File.ReadAllText(output + ".params.yaml"));
        var before = File.ReadAllBytes(output);
        var other = dir.File("other.yaml");
        File.WriteAllText(other, File.ReadAllText(Params).Replace("binWidth: 25", "binWidth: 10"));
        var (code, _, err) = Run("extract", "--manifest", manifest, "--params", other, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("cannot resume", err);
        Assert.Equal(before, File.ReadAllBytes(output));
        Assert.Equal(File.ReadAllText(Params), File.ReadAllText(output + ".params.yaml"));
        // The same parameters resume (nothing left to do but the two failing cases).
        (code, var stdout, err) = Run("extract", "--manifest", manifest, "--params", Params, "--out", output);
        Assert.Contains("0 cases extracted, 3 skipped (already done), 2 failed of 5", stdout);
        Assert.Equal(before, File.ReadAllBytes(output));
    }

    /// <summary>A log that cancels the run when the first case is reported.</summary>
    private sealed class CancelOnWrite(CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith('[') == true) cancel.Cancel();
        }
    }
}
