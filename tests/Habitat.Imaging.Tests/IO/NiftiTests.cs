using System.Buffers.Binary;
using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.IO;

public class NiftiTests
{
    internal static readonly Grid Oblique = new(5, 4, 3, new Vec3(0.7, 1.1, 2.5), new Vec3(-12.5, 30.25, 7),
        Matrix3.FromColumns(new Vec3(0, 1, 0), new Vec3(-0.6, 0, 0.8), new Vec3(0.8, 0, 0.6)));

    /// <summary>Values every stored type can hold exactly (and float can represent), signed types get negatives.</summary>
    internal static Volume Sample(Grid grid, PixelType type)
    {
        var rng = new Random(17 + (int)type);
        var v = new float[grid.Count];
        bool signed = type is PixelType.Int8 or PixelType.Int16 or PixelType.Int32 or PixelType.Int64 or PixelType.Float32 or PixelType.Float64;
        int max = type is PixelType.UInt8 or PixelType.Int8 ? 120 : 30000;
        for (int n = 0; n < v.Length; n++)
        {
            float x = rng.Next(0, max);
            if (signed && rng.Next(2) == 0) x = -x;
            if (!type.IsInteger()) x += 0.25f * rng.Next(4);
            v[n] = x;
        }
        return new Volume(grid, v, type);
    }

    internal static void AssertSame(Volume expected, Volume actual)
    {
        Assert.Equal(expected.StoredType, actual.StoredType);
        Assert.Null(expected.Grid.Describe(actual.Grid, 1e-6));
        Assert.Equal(expected.Voxels, actual.Voxels);
    }

    public static TheoryData<PixelType, string, int, bool> Cases()
    {
        var data = new TheoryData<PixelType, string, int, bool>();
        foreach (var type in Enum.GetValues<PixelType>())
            foreach (var (name, version, big) in new[] { ("a.nii.gz", 1, false), ("a.nii", 1, true), ("a.hdr", 2, false), ("a.hdr.gz", 1, true), ("a.nii", 2, true) })
                data.Add(type, name, version, big);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTripsEveryTypeByteOrderAndLayout(PixelType type, string name, int version, bool bigEndian)
    {
        using var dir = new TempDir();
        var volume = Sample(Oblique, type);
        Nifti.Write(volume, dir.File(name), version, bigEndian);
        AssertSame(volume, ImageFile.Read(dir.File(name)));
        if (name.Contains(".hdr")) AssertSame(volume, ImageFile.Read(dir.File(name.Replace(".hdr", ".img"))));
    }

    [Fact]
    public void ScalingIsAppliedAndMakesTheVolumeFloat()
    {
        using var dir = new TempDir();
        var path = dir.File("s.nii");
        Nifti.Write(new Volume(Grid.Create(2, 1, 1, Vec3.One), [3, -4], PixelType.Int16), path);
        Patch(path, bytes => { BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), 0.5f); BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(116), 10f); });
        var v = Nifti.Read(path);
        Assert.Equal([11.5f, 8f], v.Voxels);
        Assert.Equal(PixelType.Float32, v.StoredType);
        // slope 0 means "no scaling"
        Patch(path, bytes => BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), 0f));
        Assert.Equal([3f, -4f], Nifti.Read(path).Voxels);
    }

    [Fact]
    public void QformIsUsedWhenTheSformIsAbsentOrNotScannerAndDisagrees()
    {
        using var dir = new TempDir();
        var path = dir.File("q.nii");
        Nifti.Write(Sample(Oblique, PixelType.Int16), path);
        // Move the sform's translation and mark it as aligned-anatomical (code 2): it disagrees with the qform, so ITK uses the qform.
        Patch(path, b => { BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(254), 2); BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(292), 99f); });
        Assert.Null(Oblique.Describe(Nifti.Read(path).Grid, 1e-5));
        // With sform code 1 (scanner) the sform wins: its x offset 99 (RAS) is -99 in LPS.
        Patch(path, b => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(254), 1));
        Assert.Equal(-99, Nifti.Read(path).Grid.Origin.X, 5);
        // With no sform (code 0) the qform is used.
        Patch(path, b => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(254), 0));
        Assert.Null(Oblique.Describe(Nifti.Read(path).Grid, 1e-5));
        // With neither, identity at the origin.
        Patch(path, b => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(252), 0));
        var g = Nifti.Read(path).Grid;
        Assert.Equal(Matrix3.Identity, g.Direction);
        Assert.Equal(Vec3.Zero, g.Origin);
    }

    [Theory]
    [InlineData("t.nii")]
    [InlineData("t.nii.gz")]
    public void FourDimensionalFilesNeedAVolumeIndex(string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name);
        var grid = Grid.Create(2, 2, 1, Vec3.One);
        // Build a 4-D file: two 2×2×1 volumes, by writing a 2×2×2 volume and declaring dim = [4, 2, 2, 1, 2].
        Nifti.Write(new Volume(Grid.Create(2, 2, 2, Vec3.One), [1, 2, 3, 4, 5, 6, 7, 8], PixelType.Int16), path);
        PatchHeader(path, b =>
        {
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(40), 4);
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(46), 1);
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(48), 2);
        });
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.Contains("4-D", e.Message);
        Assert.Contains("volume index", e.Message);
        Assert.Equal([5f, 6f, 7f, 8f], ImageFile.Read(path, 1).Voxels);
        Assert.Equal([1f, 2f, 3f, 4f], ImageFile.Read(path, 0).Voxels);
        Assert.Null(grid.Describe(ImageFile.Read(path, 0).Grid));
        Assert.Throws<ImageFormatException>(() => ImageFile.Read(path, 2));
    }

    [Fact]
    public void WritingAValueTheStoredTypeCannotHoldFailsClearly()
    {
        using var dir = new TempDir();
        var grid = Grid.Create(3, 1, 1, Vec3.One);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Write(new Volume(grid, [1, 300, 2], PixelType.UInt8), dir.File("o.nii.gz")));
        Assert.Contains("voxel 1", e.Message);
        Assert.Throws<ImageFormatException>(() => ImageFile.Write(new Volume(grid, [1, float.NaN, 2], PixelType.Int16), dir.File("o.nii.gz")));
        Assert.False(File.Exists(dir.File("o.nii.gz")));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void RewritingKeepsTheIbsiPhantom()
    {
        using var dir = new TempDir();
        var original = ImageFile.Read(ReferenceData.Path("ibsi1", "digital_phantom", "image.nii.gz"));
        ImageFile.Write(original, dir.File("copy.nii.gz"));
        var copy = ImageFile.Read(dir.File("copy.nii.gz"));
        AssertSame(original, copy);
    }

    /// <summary>Edits the (decompressed) header bytes of a .nii or .nii.gz file.</summary>
    private static void PatchHeader(string path, Action<byte[]> edit)
    {
        if (!path.EndsWith(".gz", StringComparison.Ordinal)) { Patch(path, edit); return; }
        byte[] bytes;
        using (var input = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress))
        using (var copy = new MemoryStream()) { input.CopyTo(copy); bytes = copy.ToArray(); }
        edit(bytes);
        using var output = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest);
        output.Write(bytes);
    }

    internal static void Patch(string path, Action<byte[]> edit)
    {
        var bytes = File.ReadAllBytes(path);
        edit(bytes);
        File.WriteAllBytes(path, bytes);
    }
}
