namespace Habitat.Imaging.IO.Dicom;

/// <summary>The DICOM entry point of <see cref="ImageFile"/>: a folder or image file becomes a volume (one
/// series, see <see cref="DicomSeriesReader"/>), a Segmentation file becomes its label image.</summary>
public static class DicomImage
{
    /// <summary>The bytes "DICM" at offset 128: a Part 10 file.</summary>
    public static bool HasPart10Marker(ReadOnlySpan<byte> head) => head.Length >= 132 && head.Slice(128, 4).SequenceEqual("DICM"u8);

    public static Volume Read(string path)
    {
        if (File.Exists(path) && DicomFile.ReadHeader(path).Dataset.GetString(DicomTags.Modality) == "SEG")
        {
            var labels = DicomSeg.Read(path).ReadLabels();
            return labels.ToVolume(labels.Labels.Max() <= byte.MaxValue ? PixelType.UInt8 : PixelType.UInt16);
        }
        return DicomSeriesReader.Read(path).Volume;
    }

    public static LabelVolume ReadLabels(string path) =>
        File.Exists(path) && DicomFile.ReadHeader(path).Dataset.GetString(DicomTags.Modality) == "SEG"
            ? DicomSeg.Read(path).ReadLabels()
            : LabelVolume.FromVolume(DicomSeriesReader.Read(path).Volume, path);
}
