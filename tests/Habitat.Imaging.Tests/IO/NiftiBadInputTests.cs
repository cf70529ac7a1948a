using System.Buffers.Binary;
using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.IO;

/// <summary>Specific malformed NIfTI headers: each gives <see cref="ImageFormatException"/> naming the file and the problem.</summary>
public class NiftiBadInputTests
{
    public static TheoryData<string, string> Edits() => new()
    {
        { "sizeof_hdr 0", "sizeof_hdr" },
        { "magic xyz", "magic" },
        { "dim1 0", "non-positive" },
        { "dim2 -3", "non-positive" },
        { "dim0 9", "dim[0]" },
        { "dim5 2", "not supported" },
        { "pixdim2 0", "spacing" },
        { "pixdim1 -1", "spacing" },
        { "pixdim3 NaN", "spacing" },
        { "datatype 128", "datatype 128" },
        { "vox_offset 100", "vox_offset" },
        { "vox_offset 1e9", "truncated" },
        { "dims huge", "exceeds" },
        { "truncate 200", "shorter than a NIfTI header" },
        { "truncate 360", "truncated" },
        { "not gzip", "compressed data is corrupt" },
        { "quaternion NaN", "orthonormal" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void IsRefusedWithTheProblem(string edit, string problem)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.nii");
        Nifti.Write(new Volume(Grid.Create(4, 3, 2, Vec3.One), new float[24], PixelType.Int16), path);
        var b = File.ReadAllBytes(path);
        void I16(int at, short v) => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(at), v);
        void F32(int at, float v) => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(at), v);
        switch (edit)
        {
            case "sizeof_hdr 0": BinaryPrimitives.WriteInt32LittleEndian(b, 0); break;
            case "magic xyz": "xyz"u8.CopyTo(b.AsSpan(344)); break;
            case "dim1 0": I16(42, 0); break;
            case "dim2 -3": I16(44, -3); break;
            case "dim0 9": I16(40, 9); break;
            case "dim5 2": I16(40, 5); I16(48, 1); I16(50, 2); break;
            case "pixdim2 0": F32(84, 0); break;
            case "pixdim1 -1": F32(80, -1); break;
            case "pixdim3 NaN": F32(88, float.NaN); break;
            case "datatype 128": I16(70, 128); break;
            case "vox_offset 100": F32(108, 100); break;
            case "vox_offset 1e9": F32(108, 1e9f); break;
            case "dims huge": I16(42, 32000); I16(44, 32000); I16(46, 32000); break;
            case "truncate 200": b = b[..200]; break;
            case "truncate 360": b = b[..360]; break;
            case "not gzip": path = dir.File("bad.nii.gz"); b = [0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]; break;
            case "quaternion NaN": I16(254, 0); F32(256, float.NaN); break;
        }
        File.WriteAllBytes(path, b);
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(problem, e.Message);
    }
}
