using Habitat.Imaging;
using Habitat.Radiomics.Maps;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Tests.Maps;

public class CollageExtractionTests
{
    [Fact]
    public void SettingsReadTheCollageSection()
    {
        var settings = SettingsLoader.Parse("""
            families: []
            collage:
              orientation_radius: 1
              cooccurrence_radius: 3
              bins: 32
              dimension: 2D
              binning: fixed_range
            """, "s.yaml");
        Assert.Equal(new CollageSettings
        {
            OrientationRadius = 1, CooccurrenceRadius = 3, Bins = 32,
            Dimension = CollageDimension.TwoD, Binning = OrientationBinning.FixedRange,
        }, settings.Collage);
        Assert.Null(SettingsLoader.Parse("families: []", "s.yaml").Collage);
        Assert.Equal(new CollageSettings(), SettingsLoader.Parse("collage: {bins: 64}", "s.yaml").Collage);
    }

    [Theory]
    [InlineData("collage: {window: 2}", "window")]
    [InlineData("collage: {bins: 1}", "bins")]
    [InlineData("collage: {orientation_radius: 1.5}", "orientation_radius")]
    [InlineData("collage: {dimension: 4D}", "dimension")]
    public void BadCollageSettingsNameTheKey(string text, string key)
    {
        var error = Assert.Throws<ImageFormatException>(() => SettingsLoader.Parse(text, "bad.yaml"));
        Assert.Contains(key, error.Message);
        Assert.Contains("bad.yaml", error.Message);
    }

    [Fact]
    public void ExtractionWithACollageSectionAddsTheCollageSummaries()
    {
        var grid = Grid.Create(30, 28, 8, new Vec3(1, 1, 2));
        var random = new Random(12);
        var voxels = new float[grid.Count];
        for (int n = 0; n < voxels.Length; n++) voxels[n] = (float)(random.NextDouble() * 300);
        var image = new Volume(grid, voxels);
        var labels = new int[grid.Count];
        var mask = new byte[grid.Count];
        for (int z = 2; z <= 5; z++)
            for (int y = 8; y <= 19; y++)
                for (int x = 9; x <= 21; x++)
                {
                    labels[grid.Index(x, y, z)] = 1;
                    mask[grid.Index(x, y, z)] = 1;
                }
        var settings = SettingsLoader.Parse("families: [intensity_statistics]\ncollage: {}\n", "s.yaml");
        var features = IbsiExtractor.Extract(image, new LabelVolume(grid, labels), 1, settings);

        // the processing chain crops the image around the ROI with a margin wider than CoLlAGe's reach,
        // so the summaries equal those of the whole image
        var expected = Collage.Compute(image, mask, new CollageSettings()).Summaries();
        var collage = features.Where(f => f.Tag.StartsWith("collage.", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count, collage.Count);
        for (int n = 0; n < expected.Count; n++)
        {
            Assert.Equal(expected[n].Tag, collage[n].Tag);
            Assert.Equal(expected[n].Value, collage[n].Value);
        }
        Assert.Contains(features, f => f.Tag == "stat.mean");
    }
}
