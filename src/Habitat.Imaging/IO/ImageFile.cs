using System.Text;
using Habitat.Imaging.IO.Dicom;

namespace Habitat.Imaging.IO;

/// <summary>The image file formats Habitat reads and writes.</summary>
public enum ImageFormat { Nifti, Nrrd, MetaImage, Dicom }

/// <summary>
/// Reads and writes volumes in any supported format, chosen by magic number (reading) or extension (writing).
/// Writes are atomic: each file is written to a temporary name beside the target and then moved over it.
/// </summary>
public static class ImageFile
{
    /// <summary>Reads a volume; <paramref name="volumeIndex"/> selects one volume of a 4-D NIfTI series.</summary>
    public static Volume Read(string path, int? volumeIndex = null)
    {
        var format = Detect(path);
        if (volumeIndex is not null && format != ImageFormat.Nifti)
            throw new ImageFormatException(path, $"a volume index applies to 4-D NIfTI files only, not {format}");
        return format switch
        {
            ImageFormat.Nifti => Nifti.Read(path, volumeIndex),
            ImageFormat.Nrrd => Nrrd.Read(path),
            ImageFormat.MetaImage => MetaImage.Read(path),
            ImageFormat.Dicom => DicomImage.Read(path),
            _ => throw new ImageFormatException(path, $"reading {format} is not available"),
        };
    }

    /// <summary>Reads a label image (mask): every voxel must hold a non-negative integer.</summary>
    public static LabelVolume ReadLabels(string path) =>
        Detect(path) == ImageFormat.Dicom ? DicomImage.ReadLabels(path) : LabelVolume.FromVolume(Read(path), path);

    /// <summary>Writes a volume in its stored type, in the format its extension names
    /// (.nii, .nii.gz, .hdr, .nrrd, .nhdr, .mha, .mhd).</summary>
    public static void Write(Volume volume, string path)
    {
        switch (FormatOfName(path))
        {
            case ImageFormat.Nifti: Nifti.Write(volume, path); break;
            case ImageFormat.Nrrd: Nrrd.Write(volume, path); break;
            case ImageFormat.MetaImage: MetaImage.Write(volume, path); break;
            case var other: throw new ImageFormatException(path, $"writing {other} is not available");
        }
    }

    /// <summary>Writes a label volume in the smallest unsigned integer type that holds its largest label.</summary>
    public static void Write(LabelVolume labels, string path)
    {
        int max = 0;
        foreach (var l in labels.Labels) if (l > max) max = l;
        var type = max <= byte.MaxValue ? PixelType.UInt8 : max <= ushort.MaxValue ? PixelType.UInt16 : PixelType.UInt32;
        Write(labels.ToVolume(type), path);
    }

    /// <summary>The format of an existing file, from its first bytes (decompressed if gzipped), falling back to its extension.</summary>
    public static ImageFormat Detect(string path)
    {
        if (Directory.Exists(path)) return ImageFormat.Dicom;
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: file does not exist", path);

        var head = ImageStreams.Guard(path, () => ImageStreams.Peek(path, 540));
        if (DicomImage.HasPart10Marker(head)) return ImageFormat.Dicom;
        if (head.AsSpan().StartsWith("NRRD"u8)) return ImageFormat.Nrrd;
        if (Nifti.LooksLikeNifti(head)) return ImageFormat.Nifti;
        if (LooksLikeMetaImage(head)) return ImageFormat.MetaImage;
        // A .img half of a NIfTI pair is raw voxels with no magic; the name decides.
        return FormatOfName(path);
    }

    /// <summary>The format an extension stands for.</summary>
    public static ImageFormat FormatOfName(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal)) name = name[..^3];
        var ext = Path.GetExtension(name);
        return ext switch
        {
            ".nii" or ".hdr" or ".img" => ImageFormat.Nifti,
            ".nrrd" or ".nhdr" => ImageFormat.Nrrd,
            ".mha" or ".mhd" => ImageFormat.MetaImage,
            ".dcm" => ImageFormat.Dicom,
            _ => throw new ImageFormatException(path, $"unknown image format (extension '{ext}'); expected .nii, .nii.gz, .hdr/.img, .nrrd, .nhdr, .mha, .mhd, .dcm or a DICOM folder"),
        };
    }

    private static bool LooksLikeMetaImage(ReadOnlySpan<byte> head)
    {
        var text = Encoding.ASCII.GetString(head).TrimStart();
        return text.StartsWith("ObjectType", StringComparison.OrdinalIgnoreCase) || text.StartsWith("NDims", StringComparison.OrdinalIgnoreCase);
    }
}
