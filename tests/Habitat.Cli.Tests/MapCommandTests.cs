using Habitat.Cli.Commands;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.Maps;
using Habitat.Testing;

namespace Habitat.Cli.Tests;

public class MapCommandTests
{
    /// <summary>An oblique, anisotropic, off-origin grid, so that a map that loses geometry cannot match it by accident.</summary>
    private static Grid ObliqueGrid()
    {
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        var direction = Matrix3.FromColumns(new Vec3(c, s, 0), new Vec3(-s, c, 0), new Vec3(0, 0, 1));
        return new Grid(20, 18, 6, new Vec3(0.7, 0.9, 2.5), new Vec3(-31.5, 12.25, 40), direction);
    }

    private static (string Image, string Mask, Volume Volume, byte[] Roi) WriteCase(TempDir temp)
    {
        var grid = ObliqueGrid();
        var random = new Random(8);
        var voxels = new float[grid.Count];
        for (int n = 0; n < voxels.Length; n++) voxels[n] = (float)(random.NextDouble() * 500);
        var volume = new Volume(grid, voxels);
        var labels = new int[grid.Count];
        var roi = new byte[grid.Count];
        for (int z = 1; z <= 4; z++)
            for (int y = 5; y <= 12; y++)
                for (int x = 4; x <= 14; x++)
                {
                    labels[grid.Index(x, y, z)] = 2;
                    roi[grid.Index(x, y, z)] = 1;
                }
        labels[grid.Index(0, 0, 0)] = 1;   // another label, left out by --label 2
        var image = temp.File("image.nii.gz");
        var mask = temp.File("mask.nii.gz");
        ImageFile.Write(volume, image);
        ImageFile.Write(new LabelVolume(grid, labels), mask);
        return (image, mask, volume, roi);
    }

    [Fact]
    public void MapsCarryTheInputGeometryAndHoldTheFeatureInsideTheRoiOnly()
    {
        using var temp = new TempDir();
        var (image, mask, volume, roi) = WriteCase(temp);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(["map", "--image", image, "--mask", mask, "--label", "2",
            "--feature", "collage.theta.entropy", "--feature", "stat.mean", "--out", temp.File("map.nii.gz")], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());

        var input = ImageFile.Read(image);
        var expected = Collage.Compute(input, roi, new CollageSettings()).Map("collage.theta.entropy");
        foreach (var name in new[] { "collage.theta.entropy", "stat.mean" })
        {
            var path = temp.File($"map_{name}.nii.gz");
            Assert.Contains(path, stdout.ToString());
            var map = ImageFile.Read(path);
            Assert.Null(input.Grid.Describe(map.Grid));
            for (int n = 0; n < roi.Length; n++)
                Assert.Equal(roi[n] != 0, float.IsFinite(map.Voxels[n]));
        }
        var theta = ImageFile.Read(temp.File("map_collage.theta.entropy.nii.gz"));
        for (int z = 0; z < volume.Grid.Nz; z++)
            for (int y = 0; y < volume.Grid.Ny; y++)
                for (int x = 0; x < volume.Grid.Nx; x++)
                    if (roi[volume.Grid.Index(x, y, z)] != 0)
                        Assert.Equal(expected.At(x, y, z), theta[x, y, z]);
    }

    [Fact]
    public void OneFeatureGoesExactlyToTheOutputPath()
    {
        using var temp = new TempDir();
        var (image, mask, _, _) = WriteCase(temp);
        var stderr = new StringWriter();
        int code = Program.Run(["map", "--image", image, "--mask", mask, "--feature", "cm.joint.entr", "--out", temp.File("entropy.nrrd")], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.True(File.Exists(temp.File("entropy.nrrd")));
        Assert.Null(ImageFile.Read(image).Grid.Describe(ImageFile.Read(temp.File("entropy.nrrd")).Grid));
    }

    [Theory]
    [InlineData("out/map.nii.gz", "out/map_cm.joint.entr.nii.gz")]
    [InlineData("map.nrrd", "map_cm.joint.entr.nrrd")]
    [InlineData("map.MHA", "map_cm.joint.entr.MHA")]
    public void SeveralFeaturesInsertTheFeatureNameBeforeTheExtension(string outPath, string expected) =>
        Assert.Equal(expected, MapCommand.OutputPath(outPath, "cm.joint.entr"));

    [Fact]
    public void AMaskOnAnotherGridIsAGeometryError()
    {
        using var temp = new TempDir();
        var (image, _, _, _) = WriteCase(temp);
        var other = temp.File("other.nii.gz");
        ImageFile.Write(new LabelVolume(Grid.Create(20, 18, 6, Vec3.One), new int[20 * 18 * 6]), other);
        var stderr = new StringWriter();
        int code = Program.Run(["map", "--image", image, "--mask", other, "--feature", "stat.mean", "--out", temp.File("m.nii.gz")], new StringWriter(), stderr);
        Assert.Equal(1, code);
        Assert.Contains("geometry", stderr.ToString());
        Assert.False(File.Exists(temp.File("m.nii.gz")));
    }

    [Theory]
    [InlineData("collage.theta.nonsense")]
    [InlineData("cm.nonsense")]
    public void UnknownFeaturesAreUsageErrors(string feature)
    {
        var stderr = new StringWriter();
        int code = Program.Run(["map", "--image", "i.nii", "--mask", "m.nii", "--feature", feature, "--out", "o.nii"], new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains(feature, stderr.ToString());
    }

    [Fact]
    public void PhiNeedsThreeDimensionalCollage()
    {
        var stderr = new StringWriter();
        int code = Program.Run(["map", "--image", "i.nii", "--mask", "m.nii", "--feature", "collage.phi.entropy", "--collage-2d", "--out", "o.nii"], new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains("3-D", stderr.ToString());
    }

    [Fact]
    public void SettingsFileGivesTheCollageParametersAndOptionsOverrideThem()
    {
        using var temp = new TempDir();
        var (image, mask, volume, roi) = WriteCase(temp);
        var settings = temp.File("settings.yaml");
        File.WriteAllText(settings, "collage:\n  orientation_radius: 1\n  bins: 16\n  dimension: 2D\ndiscretisation:\n  method: fixed_bin_size\n  bin_width: 50\n");
        var stderr = new StringWriter();
        int code = Program.Run(["map", "--image", image, "--mask", mask, "--label", "2", "--settings", settings, "--w", "1",
            "--feature", "collage.theta.entropy", "--out", temp.File("map.nii.gz")], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
        var expected = Collage.Compute(volume, roi, new CollageSettings
        {
            OrientationRadius = 1, CooccurrenceRadius = 1, Bins = 16, Dimension = CollageDimension.TwoD,
        }).Map("collage.theta.entropy").ToVolume();
        Assert.Equal(expected.Voxels, ImageFile.Read(temp.File("map.nii.gz")).Voxels);
    }
}
