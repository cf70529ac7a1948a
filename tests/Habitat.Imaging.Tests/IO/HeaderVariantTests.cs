using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.IO;

/// <summary>Hand-written NRRD and MetaImage headers in the spellings other tools produce.</summary>
public class HeaderVariantTests
{
    private static string WriteText(TempDir dir, string name, string header, byte[]? data = null)
    {
        var path = dir.File(name);
        using var f = File.Create(path);
        f.Write(System.Text.Encoding.ASCII.GetBytes(header));
        if (data is not null) f.Write(data);
        return path;
    }

    [Fact]
    public void NrrdInRasIsConvertedToLps()
    {
        using var dir = new TempDir();
        var path = WriteText(dir, "ras.nrrd",
            "NRRD0005\n# comment\ntype: uint8\ndimension: 3\nspace: RAS\nsizes: 2 1 1\n" +
            "space directions: (-2,0,0) (0,-3,0) (0,0,4)\nspace origin: (10,20,30)\nkinds: domain domain domain\nencoding: raw\nmodality:=MR\n\n",
            [7, 9]);
        var v = ImageFile.Read(path);
        Assert.Equal([7f, 9f], v.Voxels);
        Assert.Equal(new Vec3(2, 3, 4), v.Grid.Spacing);
        Assert.Equal(new Vec3(-10, -20, 30), v.Grid.Origin);
        Assert.Equal(Matrix3.Identity, v.Grid.Direction);
    }

    [Fact]
    public void NrrdWithSpacingsByteSkipLineSkipAndAscii()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("d.raw"), [0xAA, 0xAA, (byte)'\n', 0xFF, 0x00, 0x00, 0x01, 0x00, 0x02]);
        var detached = WriteText(dir, "d.nhdr", "NRRD0004\ntype: ushort\ndimension: 2\nsizes: 2 1\nspacings: 0.5 nan\nendian: big\nencoding: raw\nline skip: 1\nbyte skip: 2\ndata file: d.raw\n");
        var v = ImageFile.Read(detached);
        Assert.Equal([1f, 2f], v.Voxels);
        Assert.Equal(new Vec3(0.5, 1, 1), v.Grid.Spacing);

        var ascii = WriteText(dir, "t.nrrd", "NRRD0004\ntype: float\ndimension: 3\nsizes: 3 1 1\nencoding: text\n\n1.5 -2\n3e2\n");
        Assert.Equal([1.5f, -2f, 300f], ImageFile.Read(ascii).Voxels);

        var atEnd = WriteText(dir, "e.nhdr", "NRRD0004\ntype: short\ndimension: 3\nsizes: 1 1 1\nendian: little\nencoding: raw\nbyte skip: -1\ndata file: d.raw\n");
        Assert.Equal([512f], ImageFile.Read(atEnd).Voxels);
    }

    [Fact]
    public void MetaImageWithRotationPositionAndDataAtTheEnd()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("v.raw"), [1, 2, 3, 0, 5, 0, 6, 0]);
        var path = WriteText(dir, "v.mhd",
            "ObjectType = Image\nNDims = 2\nDimSize = 3 1\nElementType = MET_USHORT\nElementSpacing = 0.5 2\n" +
            "Position = 1 2\nRotation = 0 1 -1 0\nHeaderSize = -1\nElementByteOrderMSB = False\nElementDataFile = v.raw\n");
        var v = ImageFile.Read(path);
        Assert.Equal([3f, 5f, 6f], v.Voxels);
        Assert.Equal(new Vec3(0.5, 2, 1), v.Grid.Spacing);
        Assert.Equal(new Vec3(1, 2, 0), v.Grid.Origin);
        // Axis 0 points along +y, axis 1 along -x.
        Assert.Equal(new Vec3(0, 1, 0), v.Grid.Direction.Column(0));
        Assert.Equal(new Vec3(-1, 0, 0), v.Grid.Direction.Column(1));
    }

    [Theory]
    [InlineData("NRRD0004\ntype: block\ndimension: 3\nsizes: 1 1 1\nencoding: raw\n\n", "type 'block'")]
    [InlineData("NRRD0004\ntype: short\ndimension: 4\nsizes: 1 1 1 1\nencoding: raw\n\n", "dimension 4")]
    [InlineData("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 3 1 1\nkinds: RGB-color domain domain\nencoding: raw\n\n", "RGB-color")]
    [InlineData("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 100000 100000 1000\nencoding: raw\n\n", "exceeds")]
    [InlineData("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 -1 1\nencoding: raw\n\n", "non-positive")]
    [InlineData("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n\n", "truncated")]
    [InlineData("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1 1 1\nspacings: 1 0 1\nencoding: raw\n\n\0", "spacings")]
    [InlineData("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1 1 1\nencoding: gzip\n\nnot gzip at all", "compressed data is corrupt")]
    [InlineData("NRRD0004\ntype: short\ndimension: 3\nsizes: 1 1 1\nencoding: raw\n\n\0\0", "endian")]
    [InlineData("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1 1 1\nencoding: raw\ndata file: missing.raw\n", "does not exist")]
    [InlineData("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1 1 1\nspace: scanner-xyz\nencoding: raw\n\n\0", "space 'scanner-xyz'")]
    [InlineData("ObjectType = Image\nNDims = 3\nDimSize = 1 1 1\nElementType = MET_FLOAT\nElementSpacing = 1 -1 1\nElementDataFile = LOCAL\n\0\0\0\0", "ElementSpacing")]
    [InlineData("ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_RGB\nElementDataFile = LOCAL\n", "ElementType")]
    [InlineData("ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n\0", "truncated")]
    [InlineData("ObjectType = Image\nNDims = 3\nDimSize = 1 1 1\nElementType = MET_UCHAR\n", "not terminated")]
    public void BadHeadersGiveTheTypedErrorWithTheProblem(string header, string problem)
    {
        using var dir = new TempDir();
        var name = header.StartsWith("NRRD", StringComparison.Ordinal) ? "bad.nrrd" : "bad.mha";
        var path = WriteText(dir, name, header);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("empty.nii")]
    [InlineData("empty.nii.gz")]
    [InlineData("empty.hdr")]
    [InlineData("empty.nrrd")]
    [InlineData("empty.nhdr")]
    [InlineData("empty.mha")]
    [InlineData("empty.mhd")]
    public void EmptyFilesAreRefused(string name)
    {
        using var dir = new TempDir();
        var path = WriteText(dir, name, "");
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.Equal(path, e.FilePath);
    }
}
