using System.Globalization;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Preprocessing;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests;

/// <summary>Morphology on a ROI built directly from the digital phantom's files and on analytic shapes; the CT
/// phantom configurations A–E are checked through the processing chain by <c>IbsiConformanceTests</c>.</summary>
public class MorphologyTests
{
    private sealed record ReferenceRow(string Tag, string Code, string DataSet, double? Value, double? Tolerance);

    private static readonly Lazy<List<ReferenceRow>> Rows = new(() =>
    {
        var lines = File.ReadAllLines(ReferenceData.Path("ibsi1", "reference_values.csv"));
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var rows = new List<ReferenceRow>();
        foreach (var line in lines.Skip(1))
        {
            // Morphology rows hold no quoted fields; other families are not read here.
            var c = line.Split(',');
            if (c[Col("family")] != "morphology") continue;
            double? Parse(string s) => s.Length == 0 ? null : double.Parse(s, CultureInfo.InvariantCulture);
            rows.Add(new ReferenceRow(c[Col("ibsi_tag")], c[Col("ibsi_code")], c[Col("data_set")], Parse(c[Col("value")]), Parse(c[Col("tolerance")])));
        }
        return rows;
    });

    /// <summary>Names of the reference rows of <paramref name="dataSet"/> our value misses, with both values.</summary>
    private static List<string> Failures(string dataSet, List<Feature> computed)
    {
        var failures = new List<string>();
        var rows = Rows.Value.Where(r => r.DataSet == dataSet).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            // The manual shows a dash for morph.comp.1 in config C: there is nothing to compare.
            if (row.Value is null) continue;
            var match = computed.Where(f => f.Tag == row.Tag).ToList();
            if (match.Count != 1) { failures.Add($"{row.Tag}: computed {match.Count} times"); continue; }
            Assert.Equal(row.Code, match[0].IbsiCode);
            double difference = Math.Abs(match[0].Value - row.Value.Value);
            if (!(difference <= row.Tolerance!.Value * (1 + 1e-9)))
                failures.Add($"{row.Tag}: {match[0].Value.ToString("G6", CultureInfo.InvariantCulture)} vs {row.Value} ± {row.Tolerance}");
        }
        return failures;
    }

    private static byte[] Binary(LabelVolume labels) => [.. labels.Labels.Select(l => (byte)(l != 0 ? 1 : 0))];

    [Fact]
    public void DigitalPhantomMatchesEveryReferenceRow()
    {
        var image = ImageFile.Read(ReferenceData.Path("ibsi1", "digital_phantom", "image.nii.gz"));
        var mask = Binary(ImageFile.ReadLabels(ReferenceData.Path("ibsi1", "digital_phantom", "mask.nii.gz")));
        var output = new List<Feature>();
        Morphology.Compute(new RoiImage(image.Grid, image.Voxels, mask, mask), output);
        Assert.Empty(Failures("digital_phantom", output));
        // Every feature once, finite, with an aggregation left empty (whole-ROI family).
        Assert.Equal(29, output.Select(f => f.Tag).Distinct().Count());
        Assert.All(output, f => { Assert.True(double.IsFinite(f.Value), f.Tag); Assert.Equal("", f.Aggregation); });
        // No reference values exist for OMBB and MVEE; their definitions bound them: the minimum-volume box is no
        // larger than the axis-aligned one, and the MVEE encloses the mesh.
        double Value(string tag) => output.Single(f => f.Tag == tag).Value;
        Assert.True(Value("morph.v.dens.ombb") >= Value("morph.v.dens.aabb") - 1e-12);
        Assert.InRange(Value("morph.v.dens.mvee"), 0.1, 1.0);
    }

    [Fact]
    public void SphereHasUnitDensitiesWhereTheShapeIsItsOwnEnvelope()
    {
        // A voxelised ball of radius 12 mm: the convex hull, the MVEE and the PCA ellipsoid are all close to the
        // shape itself, and the shape is symmetric, so elongation and flatness are 1.
        var grid = Grid.Create(31, 31, 31, new Vec3(1, 1, 1), new Vec3(-15, -15, -15));
        var mask = new byte[grid.Count];
        var values = new float[grid.Count];
        for (int k = 0; k < 31; k++)
            for (int j = 0; j < 31; j++)
                for (int i = 0; i < 31; i++)
                {
                    var p = grid.IndexToPhysical(i, j, k);
                    mask[grid.Index(i, j, k)] = (byte)(p.Length <= 12 ? 1 : 0);
                    values[grid.Index(i, j, k)] = (float)p.X; // a gradient: strongly autocorrelated
                }
        var output = new List<Feature>();
        Morphology.Compute(new RoiImage(grid, values, mask, mask), output);
        double Value(string tag) => output.Single(f => f.Tag == tag).Value;
        Assert.InRange(Value("morph.pca.elongation"), 0.999, 1.0);
        Assert.InRange(Value("morph.pca.flatness"), 0.999, 1.0);
        Assert.InRange(Value("morph.v.dens.conv.hull"), 0.95, 1.0);
        // Mesh vertices reach half a voxel beyond the outermost centres: the MVEE is a ball of radius ≈ 12.5 mm,
        // and the mesh volume is that of a ball of ≈ 12 mm, so the density is ≈ (12/12.5)³ ≈ 0.88.
        Assert.InRange(Value("morph.v.dens.mvee"), 0.85, 0.9);
        Assert.InRange(Value("morph.diam"), 24, 25);
        // A linear gradient is positively autocorrelated: Moran's I above its null expectation −1/(N−1) ≈ 0,
        // Geary's C below its null expectation 1.
        Assert.True(Value("morph.moran.i") > 0.05, $"Moran's I {Value("morph.moran.i")}");
        Assert.True(Value("morph.geary.c") < 0.95, $"Geary's C {Value("morph.geary.c")}");
        // The minimum bounding box of a ball is a cube of side ≈ 2r + 1 voxel.
        Assert.InRange(Value("morph.v.dens.ombb"), 0.45, 0.55);
    }

    [Fact]
    public void MoranAndGearyAgreeWithTheirPairwiseDefinitionInDoublePrecision()
    {
        // An irregular ROI (random blob) with random, spatially smoothed intensities on an oblique anisotropic grid.
        var grid = new Grid(23, 19, 11, new Vec3(0.7, 0.9, 2.5), new Vec3(3, -2, 5),
            Matrix3.FromColumns(new Vec3(0, 1, 0), new Vec3(1, 0, 0), new Vec3(0, 0, 1)));
        var random = new Random(7);
        var mask = new byte[grid.Count];
        var values = new float[grid.Count];
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                {
                    int v = grid.Index(i, j, k);
                    mask[v] = (byte)(random.NextDouble() < 0.7 ? 1 : 0);
                    values[v] = (float)(100 * Math.Sin(i / 3.0) + 40 * Math.Cos(j / 2.0 + k) + 30 * random.NextDouble());
                }
        var output = new List<Feature>();
        Morphology.ComputeAutocorrelation(new RoiImage(grid, values, mask, mask), output);

        var centres = new List<Vec3>();
        var x = new List<double>();
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                    if (mask[grid.Index(i, j, k)] != 0) { centres.Add(grid.IndexToPhysical(i, j, k)); x.Add(values[grid.Index(i, j, k)]); }
        int n = x.Count;
        double mean = x.Average(), w = 0, moranSum = 0, gearySum = 0, squares = x.Sum(v => (v - mean) * (v - mean));
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                if (a == b) continue;
                double weight = 1 / (centres[a] - centres[b]).Length;
                w += weight;
                moranSum += weight * (x[a] - mean) * (x[b] - mean);
                gearySum += weight * (x[a] - x[b]) * (x[a] - x[b]);
            }
        double moran = n / w * moranSum / squares, geary = (n - 1) / (2 * w) * gearySum / squares;
        Assert.Equal(moran, output.Single(f => f.Tag == "morph.moran.i").Value, 1e-5 * Math.Abs(moran));
        Assert.Equal(geary, output.Single(f => f.Tag == "morph.geary.c").Value, 1e-5 * geary);
    }

    [Fact]
    public void EmptyMorphologicalMaskIsATypedError()
    {
        var grid = Grid.Create(4, 4, 4, new Vec3(1, 1, 1));
        var empty = new byte[grid.Count];
        Assert.Throws<EmptyRoiException>(() => Morphology.Compute(new RoiImage(grid, new float[grid.Count], empty, empty), []));
    }
}
