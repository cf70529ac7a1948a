using Habitat.Cli;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Learning.Data;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;

namespace Habitat.Cli.Tests;

/// <summary><c>habitat extract --study / --manifest</c>: the wide study table, errors sidecar and resume.</summary>
public class StudyExtractCommandTests
{
    internal const string Settings = """
        discretisation: {method: fixed_bin_number, bin_count: 16}
        texture: {distance: 1, aggregations: ["3D, averaged"]}
        families: [intensity_statistics, glcm]
        habitat: {shape: false}
        """;

    /// <summary>A synthetic study; its intensities are <paramref name="scale"/>·v + <paramref name="shift"/> of
    /// values drawn from <paramref name="seed"/> (by default one that depends only on the folder path's length).</summary>
    internal static void WriteStudy(string dir, double scale = 1, double shift = 0, int? seed = null)
    {
        Directory.CreateDirectory(dir);
        var grid = Grid.Create(30, 30, 24, Vec3.One);
        var labels = new int[grid.Count];
        var t1c = new float[grid.Count];
        var random = new Random(seed ?? dir.Length);
        for (int k = 0; k < 24; k++) for (int j = 0; j < 30; j++) for (int i = 0; i < 30; i++)
        {
            int n = grid.Index(i, j, k);
            double r = (grid.IndexToPhysical(i, j, k) - new Vec3(15, 15, 12)).Length;
            labels[n] = r <= 3 ? 1 : r <= 5 ? 4 : r <= 7 ? 2 : 0;
            t1c[n] = (float)(scale * (50 + 30 * random.NextDouble() + (labels[n] == 4 ? 40 : 0)) + shift);
        }
        ImageFile.Write(new Volume(grid, t1c), Path.Combine(dir, "T1c.nii.gz"));
        ImageFile.Write(new Volume(grid, t1c.Select(v => (float)(scale * 300 + 2 * shift) - v).ToArray()), Path.Combine(dir, "FLAIR.nii.gz"));
        ImageFile.Write(new LabelVolume(grid, labels), Path.Combine(dir, "habitat.nii.gz"));
    }

    [Fact]
    public void Manifest_run_writes_one_row_per_study_records_failures_and_resumes()
    {
        using var dir = new TempDir();
        WriteStudy(dir.File("a"));
        WriteStudy(dir.File("b"));
        File.WriteAllText(dir.File("settings.yaml"), Settings);
        File.WriteAllText(dir.File("studies.csv"), "id,T1c,FLAIR,habitat\na,a/T1c.nii.gz,a/FLAIR.nii.gz,a/habitat.nii.gz\nbad,a/T1c.nii.gz,,a/habitat.nii.gz\nb,b/T1c.nii.gz,b/FLAIR.nii.gz,b/habitat.nii.gz\n");
        var outPath = dir.File("features.csv");
        var (code, output, err) = Run("extract", "--manifest", dir.File("studies.csv"), "--settings", dir.File("settings.yaml"), "--out", outPath);
        Assert.Equal(1, code); // one study failed
        Assert.Contains("2 studies extracted", output);
        Assert.Contains("[2/3] bad: FAILED", err);
        var lines = File.ReadAllLines(outPath);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("id,settings_hash,", lines[0]);
        Assert.Contains("T1c.enhancing.cm.joint_entr.3D_averaged", lines[0].Split(','));
        Assert.Contains("FLAIR.shell_0_5mm.stat.mean", lines[0].Split(','));
        Assert.Equal(SettingsHash.Of(Settings), lines[1].Split(',')[1]);
        Assert.Contains("lacks the required sequence FLAIR", File.ReadAllText(dir.File("features.errors.csv")));
        Assert.Equal(Settings, File.ReadAllText(dir.File("features.settings.yaml")));

        // Learning reads the table with its settings hash (it refuses empty cells, so the always-missing
        // lesion–ventricle distance — no ventricle label configured — is left out).
        var table = FeatureTable.Read(outPath, "id", ["habitat.lesion_ventricle_distance_mm"]);
        Assert.Equal(SettingsHash.Of(Settings), table.SettingsHash);

        // Resume: the two done studies are skipped, the failed one is retried (and fails again).
        (code, output, err) = Run("extract", "--manifest", dir.File("studies.csv"), "--settings", dir.File("settings.yaml"), "--out", outPath, "--resume");
        Assert.Contains("0 studies extracted, 2 skipped", output);
        Assert.Equal(lines, File.ReadAllLines(outPath));
    }

    [Fact]
    public void Study_folder_run_gives_one_row()
    {
        using var dir = new TempDir();
        WriteStudy(dir.File("case-7"));
        File.WriteAllText(dir.File("settings.yaml"), Settings);
        var (code, _, err) = Run("extract", "--study", dir.File("case-7"), "--settings", dir.File("settings.yaml"), "--out", dir.File("f.csv"));
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(dir.File("f.csv"));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("case-7,", lines[1]);
    }

    [Fact]
    public void Nyul_landmarks_trained_by_the_cli_standardise_two_sites_at_extraction()
    {
        using var dir = new TempDir();
        WriteStudy(dir.File("a"));
        WriteStudy(dir.File("b"), scale: 3, shift: 10); // the same anatomy, another scanner's intensity scale
        var nyulSettings = Settings.Replace("habitat: {shape: false}", "habitat: {shape: false, normalisation: nyul, nyul_landmarks: nyul.json}");
        File.WriteAllText(dir.File("settings.yaml"), nyulSettings);
        File.WriteAllText(dir.File("studies.csv"), "id,T1c,FLAIR,habitat\na,a/T1c.nii.gz,a/FLAIR.nii.gz,a/habitat.nii.gz\nb,b/T1c.nii.gz,b/FLAIR.nii.gz,b/habitat.nii.gz\n");

        // Without the landmarks file, extraction fails with a message that names the command making it.
        var (code, _, err) = Run("extract", "--manifest", dir.File("studies.csv"), "--settings", dir.File("settings.yaml"), "--out", dir.File("f.csv"));
        Assert.Equal(1, code);
        Assert.Contains("habitat nyul-train", err);
        File.WriteAllText(dir.File("no-landmarks.yaml"), Settings.Replace("habitat: {shape: false}", "habitat: {shape: false, normalisation: nyul}"));
        (code, _, err) = Run("extract", "--manifest", dir.File("studies.csv"), "--settings", dir.File("no-landmarks.yaml"), "--out", dir.File("f.csv"));
        Assert.NotEqual(0, code);
        Assert.Contains("habitat nyul-train", err);

        (code, var output, err) = Run("nyul-train", "--manifest", dir.File("studies.csv"), "--settings", dir.File("settings.yaml"), "--out", dir.File("nyul.json"));
        Assert.True(code == 0, err);
        Assert.Contains("T1c: 2 studies", output);
        var saved = Radiomics.Habitat.NyulStandardisation.Load(dir.File("nyul.json"));
        Assert.Equal(0, saved["T1c"].StandardLandmarks[0], 9);
        Assert.Equal(100, saved["FLAIR"].StandardLandmarks[^1], 9);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*")); // written atomically, no leftovers

        (code, _, err) = Run("extract", "--manifest", dir.File("studies.csv"), "--settings", dir.File("settings.yaml"), "--out", dir.File("f.csv"));
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(dir.File("f.csv"));
        var header = lines[0].Split(',');
        var (rowA, rowB) = (lines[1].Split(','), lines[2].Split(','));
        // After standardisation the two sites' intensities coincide, so do their first-order features.
        foreach (var column in new[] { "T1c.enhancing.stat.mean", "T1c.oedema.stat.P90", "FLAIR.whole_lesion.stat.median" })
        {
            int c = Array.IndexOf(header, column);
            Assert.True(c > 0, column);
            double a = double.Parse(rowA[c], System.Globalization.CultureInfo.InvariantCulture), b = double.Parse(rowB[c], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(a, b, 1e-3 * Math.Max(1, Math.Abs(a)));
        }
    }
}
