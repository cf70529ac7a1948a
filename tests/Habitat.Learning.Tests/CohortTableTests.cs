using Habitat.Learning.Data;
using Habitat.Testing;
using Parquet.Schema;
using Parquet.Serialization;

namespace Habitat.Learning.Tests;

public sealed class CohortTableTests
{
    private const string Features = "case_id,f1,f2\nc1,1.5,2\nc2,2.5,1\nc3,0.5,7\nc4,1,3\n";
    private const string Clinical = "case_id,patient_id,label,site\nc4,p3,necrosis,A\nc1,p1,recurrence,A\nc2,p1,necrosis,B\nc3,p2,recurrence,B\n";

    private static CohortTable Join(TempDir dir, string features, string clinical, CohortColumns? columns = null)
    {
        File.WriteAllText(dir.File("f.csv"), features);
        File.WriteAllText(dir.File("c.csv"), clinical);
        return CohortTable.Join(FeatureTable.Read(dir.File("f.csv")), CsvTable.Read(dir.File("c.csv")), columns ?? new CohortColumns());
    }

    [Fact]
    public void JoinsByCaseIdAndMapsTextLabels()
    {
        using var dir = new TempDir();
        var cohort = Join(dir, Features, Clinical, new CohortColumns { PositiveClass = "recurrence" });
        Assert.Equal(["c1", "c2", "c3", "c4"], cohort.CaseIds);
        Assert.Equal(["p1", "p1", "p2", "p3"], cohort.PatientIds);
        Assert.Equal([1, 0, 1, 0], cohort.Labels);
        Assert.Equal(["necrosis", "recurrence"], cohort.ClassNames);
        Assert.Equal(["A", "B", "B", "A"], cohort.Sites!);
        Assert.Null(cohort.Splits);
        Assert.Equal(7.0, cohort.Features[2, 1]);
    }

    [Fact]
    public void HabitatWideTablesAreReadByTheirIdColumnWhenThereIsNoCaseId()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("wide.csv"), "id,settings_hash,T1c.enhancing.stat.mean\nc1,h,1.5\nc2,h,2.5\n");
        var wide = FeatureTable.Read(dir.File("wide.csv"));
        Assert.Equal(["c1", "c2"], wide.CaseIds);
        Assert.Equal(["T1c.enhancing.stat.mean"], wide.FeatureNames);

        File.WriteAllText(dir.File("both.csv"), "case_id,id,f1\nc1,7,1.5\nc2,8,2.5\n");
        var both = FeatureTable.Read(dir.File("both.csv"));
        Assert.Equal(["c1", "c2"], both.CaseIds);
        Assert.Equal(["id", "f1"], both.FeatureNames);

        File.WriteAllText(dir.File("neither.csv"), "case,f1\nc1,1.5\n");
        var e = Assert.Throws<InvalidDataException>(() => FeatureTable.Read(dir.File("neither.csv")));
        Assert.Contains("case_id", e.Message);
    }

    [Fact]
    public void MissingValuesAreDroppedOnRequestAndRefusedWhereAModelNeedsThem()
    {
        using var dir = new TempDir();
        const string withGap = "case_id,f1,f2,f3\nc1,1.5,,4\nc2,2.5,1,4\nc3,0.5,7,4\nc4,1,3,4\n";
        var cohort = Join(dir, withGap, Clinical, new CohortColumns { DropIncompleteFeatures = true, DropConstantFeatures = true });
        Assert.Equal(["f1"], cohort.FeatureNames);
        Assert.Equal(["f2"], cohort.DroppedIncompleteFeatures);
        Assert.Equal(["f3"], cohort.DroppedConstantFeatures);

        var table = FeatureTable.Read(dir.File("f.csv"));
        Assert.Equal(2.5, table.ColumnsInOrder(["f1"])[1, 0]);
        var e = Assert.Throws<InvalidDataException>(() => table.ColumnsInOrder(["f1", "f2"]));
        Assert.Contains("c1", e.Message);
        Assert.Contains("f2", e.Message);
    }

    [Theory]
    [InlineData(Features + "c5,1,1\n", Clinical, "no clinical row", "c5")]
    [InlineData(Features, Clinical + "c9,p9,necrosis,A\n", "no feature row", "c9")]
    [InlineData(Features + "c1,1,1\n", Clinical, "duplicated case id", "c1")]
    [InlineData("case_id,f1,f2\nc1,1.5,x\nc2,2.5,1\nc3,0.5,7\nc4,1,3\n", Clinical, "not numeric", "f2")]
    [InlineData("case_id,f1,f2\nc1,1.5,1\nc2,2.5,1\nc3,0.5,1\nc4,1,1\n", Clinical, "constant", "f2")]
    [InlineData("case_id,f1,f2\nc1,1.5,\nc2,2.5,1\nc3,0.5,7\nc4,1,3\n", Clinical, "missing values", "f2")]
    [InlineData("case_id,f1,f2\nc1,1.5,2\nc2,NaN,1\nc3,0.5,7\nc4,1,3\n", Clinical, "missing values", "f1")]
    [InlineData(Features, "case_id,label\nc1,a\nc2,b\nc3,c\nc4,a\n", "exactly two classes", "label")]
    [InlineData(Features, "case_id,label\nc1,a\nc2,a\nc3,a\nc4,a\n", "exactly two classes", "label")]
    public void BadTablesGiveClearErrors(string features, string clinical, string problem, string culprit)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidDataException>(() => Join(dir, features, clinical));
        Assert.Contains(problem, e.Message);
        Assert.Contains(culprit, e.Message);
    }

    [Fact]
    public async Task ReadsParquetFeatureTablesWithSettingsHash()
    {
        using var dir = new TempDir();
        var schema = new ParquetSchema(new DataField<string>("case_id"), new DataField<double>("f1"), new DataField<float>("f2"), new DataField<int>("f3"));
        var rows = new List<IDictionary<string, object?>>
        {
            new Dictionary<string, object?> { ["case_id"] = "a", ["f1"] = 1.25, ["f2"] = 2.5f, ["f3"] = 3 },
            new Dictionary<string, object?> { ["case_id"] = "b", ["f1"] = -4.0, ["f2"] = 0.5f, ["f3"] = 7 },
        };
        var path = dir.File("features.parquet");
        await using (var stream = File.Create(path))
            await ParquetSerializer.SerializeUntypedAsync(rows, schema, stream, null, new Dictionary<string, string> { ["settings_hash"] = "abc123" });
        var table = FeatureTable.Read(path);
        Assert.Equal(["a", "b"], table.CaseIds);
        Assert.Equal(["f1", "f2", "f3"], table.FeatureNames);
        Assert.Equal([1.25, 2.5, 3, -4, 0.5, 7], table.Values.Values);
        Assert.Equal("abc123", table.SettingsHash);
    }

    [Fact]
    public void CsvSettingsHashColumnMustBeUniform()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("f.csv"), "case_id,settings_hash,f1\na,h1,1\nb,h2,2\n");
        var e = Assert.Throws<InvalidDataException>(() => FeatureTable.Read(dir.File("f.csv")));
        Assert.Contains("different settings", e.Message);
        File.WriteAllText(dir.File("g.csv"), "case_id,settings_hash,f1\na,h1,1\nb,h1,2\n");
        Assert.Equal("h1", FeatureTable.Read(dir.File("g.csv")).SettingsHash);
    }

    [Fact]
    public void CsvQuotingRoundTrips()
    {
        using var dir = new TempDir();
        CsvTable.WriteAtomic(dir.File("q.csv"), ["id", "note"], [["a", "x, \"y\"\nz"], ["b", "plain"]]);
        var t = CsvTable.Read(dir.File("q.csv"));
        Assert.Equal("x, \"y\"\nz", t.Rows[0][1]);
        Assert.Equal("plain", t.Rows[1][1]);
    }
}
