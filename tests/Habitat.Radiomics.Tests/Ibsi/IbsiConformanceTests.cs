using System.Collections.Concurrent;
using Habitat.Radiomics.Conformance;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests.Ibsi;

/// <summary>
/// IBSI 1 conformance: every reference row of a family on a data set must match (see <see cref="ReferenceRow.Accepts"/>).
/// One test per family × data set; a failure lists every failing row with our value and the reference.
/// </summary>
public class IbsiConformanceTests
{
    /// <summary>Families computed by <see cref="IbsiExtractor"/> and therefore checked here.</summary>
    public static readonly string[] CheckedFamilies =
        ["morphology", "local_intensity", "intensity_statistics", "intensity_histogram", "intensity_volume_histogram",
         "glcm", "glrlm", "glszm", "gldzm", "ngtdm", "ngldm"];

    /// <summary>
    /// Rows deliberately not checked, with the reason. (Rows without a reference value — the manual shows a dash — are
    /// recognised from the table itself and reported as skipped by <see cref="CheckStatus.NoReference"/>.)
    /// </summary>
    public static readonly Dictionary<(string Tag, string DataSet, string Aggregation), string> Skipped = new();

    private static readonly Lazy<IReadOnlyList<ReferenceRow>> Rows =
        new(() => ReferenceTable.Load(ReferenceData.Path("ibsi1", "reference_values.csv")));

    private static readonly ConcurrentDictionary<string, Lazy<List<Feature>>> Features = new();

    internal static List<Feature> FeaturesOf(string dataSet) => Features.GetOrAdd(dataSet, name => new Lazy<List<Feature>>(() =>
        IbsiConformance.ComputeFeatures(IbsiConformance.DataSet(
            ReferenceData.Path("ibsi1"), Path.Combine(ReferenceData.RepoRoot, "settings", "ibsi"), name)))).Value;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var family in CheckedFamilies)
            foreach (var dataSet in IbsiConformance.DataSetNames)
                data.Add(family, dataSet);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Family_matches_reference_values(string family, string dataSet)
    {
        var rows = Rows.Value.Where(r => r.Family == family && r.DataSet == dataSet).ToList();
        Assert.NotEmpty(rows);
        var checks = IbsiConformance.Compare(rows, FeaturesOf(dataSet));
        var failures = new List<string>();
        int checkedRows = 0;
        foreach (var c in checks)
        {
            var key = (c.Row.Tag, c.Row.DataSet, c.Row.Aggregation);
            if (Skipped.ContainsKey(key) || c.Status == CheckStatus.NoReference) continue;
            checkedRows++;
            if (c.Status != CheckStatus.Pass)
                failures.Add($"{c.Row.Tag} [{c.Row.DataSet}{(c.Row.Aggregation.Length > 0 ? ", " + c.Row.Aggregation : "")}]: " +
                             $"ours {(c.Ours is { } v ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "not computed")}, " +
                             $"reference {c.Row.ValueText} ± {c.Row.Tolerance}");
        }
        Assert.True(checkedRows > 0, "no row was checked");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedRows} {family} rows of {dataSet} do not match:\n" + string.Join("\n", failures));
    }
}
