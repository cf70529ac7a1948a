using System.Globalization;
using Habitat.Imaging.IO;
using Habitat.Radiomics.Preprocessing;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests.Features;

/// <summary>The IBSI 1 digital phantom as texture input: its grey levels used as they are (IBSI: no discretisation).</summary>
internal static class DigitalPhantom
{
    public static DiscretisedRoi Load()
    {
        var imagePath = ReferenceData.Path("ibsi1", "digital_phantom", "image.nii.gz");
        var maskPath = ReferenceData.Path("ibsi1", "digital_phantom", "mask.nii.gz");
        var image = ImageFile.Read(imagePath);
        var mask = ImageFile.ReadLabels(maskPath);
        image.Grid.EnsureMatches(mask.Grid, imagePath, maskPath);
        var inside = mask.Foreground();
        var levels = new int[inside.Length];
        for (int n = 0; n < levels.Length; n++)
            if (inside[n] != 0) levels[n] = (int)Math.Round(image.Voxels[n]);
        return new DiscretisedRoi(image.Grid, levels, levels.Max(), inside);
    }
}

/// <summary>
/// The digital phantom's texture matrices as printed in the IBSI manual (Data/ibsi1_digital_phantom_matrices.txt):
/// matrix label → non-zero entries (grey level i, second index) → value.
/// </summary>
internal static class ManualMatrices
{
    private static readonly Lazy<Dictionary<string, Dictionary<(int, int), double>>> Tables = new(Load);
    private static readonly Lazy<Dictionary<string, Dictionary<int, (double S, long N)>>> NgtdmTables = new(LoadNgtdm);

    public static Dictionary<(int, int), double> Get(string label) =>
        Tables.Value.TryGetValue(label, out var table) ? table : throw new KeyNotFoundException($"no manual matrix '{label}'");

    public static Dictionary<int, (double S, long N)> Ngtdm(string label) =>
        NgtdmTables.Value.TryGetValue(label, out var table) ? table : throw new KeyNotFoundException($"no manual NGTDM '{label}'");

    private static IEnumerable<(string Label, string[] Entries)> Lines() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "ibsi1_digital_phantom_matrices.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(" : "))
            .Select(parts => (parts[0], parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    private static Dictionary<string, Dictionary<(int, int), double>> Load() =>
        Lines().Where(l => !l.Label.StartsWith("ngtdm")).ToDictionary(l => l.Label, l => l.Entries
            .Select(e => e.Split(','))
            .ToDictionary(f => (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture)),
                          f => double.Parse(f[2], CultureInfo.InvariantCulture)));

    private static Dictionary<string, Dictionary<int, (double, long)>> LoadNgtdm() =>
        Lines().Where(l => l.Label.StartsWith("ngtdm")).ToDictionary(l => l.Label, l => l.Entries
            .Select(e => e.Split(',', '/'))
            .ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture),
                          f => (double.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture))));

    /// <summary>Asserts equal entry sets, listing every difference.</summary>
    public static void AssertEqual(string label, IReadOnlyDictionary<(int, int), double> expected, IReadOnlyDictionary<(int, int), double> actual)
    {
        var differences = expected.Keys.Union(actual.Keys).OrderBy(k => k)
            .Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
            .Select(k => $"({k.Item1},{k.Item2}): manual {expected.GetValueOrDefault(k)}, ours {actual.GetValueOrDefault(k)}")
            .ToList();
        Assert.True(differences.Count == 0, $"{label} differs from the IBSI manual: {string.Join("; ", differences)}");
    }
}
