using System.Globalization;
using System.Text;
using Habitat.Learning.Data;
using Habitat.Testing;
using static Habitat.Cli.Tests.CliRunner;

namespace Habitat.Cli.Tests;

public sealed class LearningCommandsTests
{
    /// <summary>40 patients (1–2 lesions), two sites, 6 features of which f0 and f1 carry the label; settings hash h1.</summary>
    private static (string Features, string Clinical) WriteCohort(TempDir dir)
    {
        var rng = new Random(3);
        var features = new StringBuilder("case_id,settings_hash,f0,f1,f2,f3,f4,f5\n");
        var clinical = new StringBuilder("case_id,patient_id,label,site\n");
        for (int p = 0; p < 40; p++)
            for (int l = 0; l < 1 + p % 2; l++)
            {
                var label = p % 2 == 0 ? "recurrence" : "necrosis";
                var values = Enumerable.Range(0, 6).Select(j => (rng.NextDouble() * 2 + (j < 2 && label == "recurrence" ? 1.2 : 0)).ToString("R", CultureInfo.InvariantCulture));
                features.Append($"c{p}_{l},h1,{string.Join(",", values)}\n");
                clinical.Append($"c{p}_{l},p{p},{label},{(p % 3 == 0 ? "B" : "A")}\n");
            }
        File.WriteAllText(dir.File("features.csv"), features.ToString());
        File.WriteAllText(dir.File("clinical.csv"), clinical.ToString());
        return (dir.File("features.csv"), dir.File("clinical.csv"));
    }

    [Fact]
    public void ValidateTrainPredictEndToEnd()
    {
        using var dir = new TempDir();
        var (features, clinical) = WriteCohort(dir);
        File.WriteAllText(dir.File("spec.json"), """
            { "classifier": "logistic-l2", "C": [0.1, 1], "selection": "wilcoxon", "featureCounts": [2, 4],
              "validation": { "folds": 4, "repeats": 2, "innerFolds": 3 }, "seed": 7 }
            """);
        var validate = Run("validate", "--features", features, "--clinical", clinical, "--positive-class", "recurrence",
            "--model-spec", dir.File("spec.json"), "--out", dir.File("cv"));
        Assert.True(validate.Code == 0, validate.Err);
        Assert.Contains("auc", validate.Out);
        foreach (var f in new[] { "metrics.csv", "oof.csv", "folds.csv", "roc.png", "roc.svg", "calibration.png", "calibration.svg" })
            Assert.True(File.Exists(Path.Combine(dir.File("cv"), f)), f);
        var metrics = CsvTable.Read(Path.Combine(dir.File("cv"), "metrics.csv"));
        double auc = double.Parse(metrics.Rows.First(r => r[0] == "auc")[1], CultureInfo.InvariantCulture);
        Assert.InRange(auc, 0.7, 1.0);

        var train = Run("train", "--features", features, "--clinical", clinical, "--positive-class", "recurrence",
            "--model-spec", dir.File("spec.json"), "--out", dir.File("model"));
        Assert.True(train.Code == 0, train.Err);
        Assert.True(File.Exists(Path.Combine(dir.File("model"), "model.json")));

        var predict = Run("predict", "--model", dir.File("model"), "--features", features, "--out", dir.File("p.csv"), "--top", "2");
        Assert.True(predict.Code == 0, predict.Err);
        var p = CsvTable.Read(dir.File("p.csv"));
        Assert.Equal(60, p.Rows.Count);
        Assert.All(p.Rows, r => Assert.Contains(r[3], new[] { "recurrence", "necrosis" }));
        Assert.All(p.Rows, r => Assert.InRange(double.Parse(r[1], CultureInfo.InvariantCulture), 0, 1));
        Assert.Contains("log-odds", predict.Out);

        // Features extracted with other settings are refused unless forced.
        File.WriteAllText(dir.File("other.csv"), File.ReadAllText(features).Replace(",h1,", ",h2,"));
        var refused = Run("predict", "--model", dir.File("model"), "--features", dir.File("other.csv"));
        Assert.Equal(1, refused.Code);
        Assert.Contains("h2", refused.Err);
        var forced = Run("predict", "--model", dir.File("model"), "--features", dir.File("other.csv"), "--force");
        Assert.Equal(0, forced.Code);
    }

    [Fact]
    public void TrainRecordsTheSettingsFileAndItsHash()
    {
        using var dir = new TempDir();
        var (features, clinical) = WriteCohort(dir);
        var plain = File.ReadAllLines(features).Select(l => string.Join(",", l.Split(',').Where((_, k) => k != 1)));
        File.WriteAllLines(dir.File("nohash.csv"), plain);
        File.WriteAllText(dir.File("settings.yaml"), "discretisation:\r\n  bin_count: 32\r\n");
        var train = Run("train", "--features", dir.File("nohash.csv"), "--clinical", clinical, "--model", "lda", "--no-cv",
            "--settings", dir.File("settings.yaml"), "--out", dir.File("model"));
        Assert.True(train.Code == 0, train.Err);
        var manifest = File.ReadAllText(Path.Combine(dir.File("model"), "model.json"));
        Assert.Contains(SettingsHash.Of("discretisation:\n  bin_count: 32\n"), manifest);
        Assert.Contains("bin_count: 32", manifest);
        // Features without a hash cannot be checked against the model's settings.
        Assert.Equal(1, Run("predict", "--model", dir.File("model"), "--features", dir.File("nohash.csv")).Code);
        // A settings file other than the one the features were extracted with is an error.
        var wrong = Run("train", "--features", features, "--clinical", clinical, "--model", "lda", "--no-cv",
            "--settings", dir.File("settings.yaml"), "--out", dir.File("model2"));
        Assert.Equal(1, wrong.Code);
        Assert.Contains("not the settings", wrong.Err);
    }

    [Fact]
    public void SettingsHashIsSha256OfNormalisedText()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SettingsHash.Of("abc"));
        Assert.Equal(SettingsHash.Of("a\nb\n"), SettingsHash.Of("a\r\nb\r\n"));
    }

    [Fact]
    public void ClearErrorsForBadCohorts()
    {
        using var dir = new TempDir();
        var (features, clinical) = WriteCohort(dir);
        File.WriteAllText(dir.File("short.csv"), string.Join("\n", File.ReadAllLines(clinical).SkipLast(1)) + "\n");
        var missing = Run("validate", "--features", features, "--clinical", dir.File("short.csv"), "--model", "lda", "--out", dir.File("x"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("no clinical row", missing.Err);
        var usage = Run("train", "--features", features, "--clinical", clinical, "--out", dir.File("m"));
        Assert.Equal(2, usage.Code);
    }
}
