using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.IO;

/// <summary>Write then read gives identical values, type and geometry (1e-6) for NRRD and MetaImage in every layout.</summary>
public class FormatRoundTripTests
{
    public static TheoryData<PixelType, string, bool, bool> Cases()
    {
        var data = new TheoryData<PixelType, string, bool, bool>();
        foreach (var type in Enum.GetValues<PixelType>())
            foreach (var name in new[] { "a.nrrd", "a.nhdr", "a.mha", "a.mhd" })
                foreach (var (compress, big) in new[] { (true, false), (false, true), (false, false), (true, true) })
                    data.Add(type, name, compress, big);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTrips(PixelType type, string name, bool compress, bool bigEndian)
    {
        using var dir = new TempDir();
        var volume = NiftiTests.Sample(NiftiTests.Oblique, type);
        var path = dir.File(name);
        if (name.StartsWith("a.n", StringComparison.Ordinal)) Nrrd.Write(volume, path, compress, bigEndian);
        else MetaImage.Write(volume, path, compress, bigEndian);
        NiftiTests.AssertSame(volume, ImageFile.Read(path));
    }

    [Theory]
    [InlineData("x.nii.gz")]
    [InlineData("x.nii")]
    [InlineData("x.hdr")]
    [InlineData("x.img")]
    [InlineData("x.img.gz")]
    [InlineData("x.nrrd")]
    [InlineData("x.nhdr")]
    [InlineData("x.mha")]
    [InlineData("x.mhd")]
    public void FacadeWritesEveryExtension(string name)
    {
        using var dir = new TempDir();
        var volume = NiftiTests.Sample(NiftiTests.Oblique, PixelType.Int16);
        ImageFile.Write(volume, dir.File(name));
        NiftiTests.AssertSame(volume, ImageFile.Read(dir.File(name)));
        // Overwriting in place works and leaves no temporary files behind.
        ImageFile.Write(volume, dir.File(name));
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void LabelVolumesAreWrittenAsSmallUnsignedIntegers()
    {
        using var dir = new TempDir();
        var labels = new LabelVolume(Grid.Create(2, 2, 1, Vec3.One), [0, 1, 2, 300]);
        ImageFile.Write(labels, dir.File("m.nii.gz"));
        Assert.Equal(PixelType.UInt16, ImageFile.Read(dir.File("m.nii.gz")).StoredType);
        Assert.Equal(labels.Labels, ImageFile.ReadLabels(dir.File("m.nii.gz")).Labels);
    }
}
