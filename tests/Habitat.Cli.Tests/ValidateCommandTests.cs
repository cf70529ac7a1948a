using System.Globalization;
using Habitat.Learning.Data;
using Habitat.Testing;

namespace Habitat.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Theory]
    [InlineData("logistic-l2", "p_logistic_l2_c1")]
    [InlineData("lda", "p_lda")]
    public void ExternalContractWritesOutOfFoldProbabilities(string model, string referenceColumn)
    {
        using var temp = new TempDir();
        var oof = temp.File("oof.csv");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run([
            "validate", "--table", ReferenceData.Path("learning", "breast_cancer_wisconsin.csv"),
            "--id-column", "case_id", "--label-column", "label",
            "--folds", ReferenceData.Path("learning", "folds.csv"),
            "--model", model, "--C", "1", "--oof-out", oof], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());

        var written = CsvTable.Read(oof);
        Assert.Equal(["case_id", "probability"], written.Header);
        var reference = CsvTable.Read(ReferenceData.Path("learning", "reference_oof_probabilities.csv"));
        int p = reference.Column(referenceColumn);
        var expected = reference.Rows.ToDictionary(r => r[0], r => double.Parse(r[p], CultureInfo.InvariantCulture));
        Assert.Equal(569, written.Rows.Count);
        foreach (var row in written.Rows)
            Assert.True(Math.Abs(double.Parse(row[1], CultureInfo.InvariantCulture) - expected[row[0]]) <= 1e-3, row[0]);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void UnknownModelIsAUsageError()
    {
        var stderr = new StringWriter();
        int code = Program.Run(["validate", "--table", "x.csv", "--folds", "f.csv", "--model", "svm-magic"], new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains("unknown model", stderr.ToString());
    }

    [Fact]
    public void MissingTableIsAJobError()
    {
        using var temp = new TempDir();
        var stderr = new StringWriter();
        int code = Program.Run(["validate", "--table", temp.File("absent.csv"), "--folds", temp.File("f.csv"), "--model", "lda"], new StringWriter(), stderr);
        Assert.Equal(1, code);
        Assert.Contains("absent.csv", stderr.ToString());
    }
}
