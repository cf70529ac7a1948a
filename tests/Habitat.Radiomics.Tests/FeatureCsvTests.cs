using Habitat.Radiomics.Conformance;
using Habitat.Radiomics.Output;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests;

public class FeatureCsvTests
{
    [Fact]
    public void Aggregations_are_quoted_and_values_round_trip()
    {
        var text = FeatureCsv.Render([new Feature("cm.joint.max", "GYBY", "3D, averaged", 0.1 + 0.2), new Feature("stat.mean", "Q4LE", "", -1e-300)]);
        var lines = text.Split('\n');
        Assert.Equal("ibsi_tag,ibsi_code,aggregation,value", lines[0]);
        Assert.Equal("cm.joint.max,GYBY,\"3D, averaged\",0.30000000000000004", lines[1]);
        Assert.Equal("stat.mean,Q4LE,\"\",-1E-300", lines[2]);
        var fields = ReferenceTable.ParseLine(lines[1]);
        Assert.Equal(["cm.joint.max", "GYBY", "3D, averaged", "0.30000000000000004"], fields);
    }

    [Fact]
    public void Write_is_atomic_and_replaces_the_file()
    {
        using var dir = new TempDir();
        var path = dir.File("f.csv");
        File.WriteAllText(path, "old");
        FeatureCsv.Write(path, [new Feature("stat.max", "84IY", "", 6)]);
        Assert.Equal("ibsi_tag,ibsi_code,aggregation,value\nstat.max,84IY,\"\",6\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("0.0996", 3)]
    [InlineData("556", 3)]
    [InlineData("3.58e5", 3)]
    [InlineData("-50", 2)]
    [InlineData("2.6", 2)]
    [InlineData("0", 1)]
    public void Significant_digits_of_reference_values(string text, int digits) =>
        Assert.Equal(digits, ReferenceRow.SignificantDigits(text));

    [Fact]
    public void Zero_tolerance_rows_compare_at_the_given_digits()
    {
        var row = new ReferenceRow("f", "n", "CODE", "t", "digital_phantom", "", -0.355, "-0.355", 0, "", "");
        Assert.True(row.Accepts(-0.35525));
        Assert.False(row.Accepts(-0.3565));
        var tolerant = row with { Value = 13.4, ValueText = "13.4", Tolerance = 1.1 };
        Assert.True(tolerant.Accepts(14.5));
        Assert.False(tolerant.Accepts(14.51));
        Assert.False(tolerant.Accepts(double.NaN));
    }
}
