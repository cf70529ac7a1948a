using System.Globalization;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Imaging.IO.Dicom;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat info</c>: format, geometry, stored type, intensity range and, for a label image, voxels per label.</summary>
public sealed class InfoCommand : ICommand
{
    /// <summary>An integer image with at most this many distinct non-negative values is reported as a label image.</summary>
    private const int MaxLabels = 64;

    public string Name => "info";
    public string Summary => "describe an image: format, geometry (LPS), data type, intensities, label counts";
    public string Usage => """
        usage: habitat info <file|dicom-folder> [--volume N] [--series UID]
          <file>        .nii, .nii.gz, .hdr/.img, .nrrd, .nhdr, .mha, .mhd or a DICOM file (image, SEG, RTSTRUCT)
          <dicom-folder> lists its series, then describes the only or largest one (or --series UID)
          --volume N    volume (0-based) of a 4-D NIfTI series
          --series UID  Series Instance UID of the DICOM series to describe
        Geometry is printed in LPS (as DICOM and ITK use it); NIfTI's RAS is converted.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positionals.Count != 1) throw new UsageException("expected exactly one image file");
        var path = args.Positionals[0];
        int? volumeIndex = args.Option("volume") is null ? null : args.Int("volume", 0);
        var series = args.Option("series");
        args.EnsureAllUsed();

        var format = ImageFile.Detect(path);
        var volume = format == ImageFormat.Dicom ? DescribeDicom(path, series, stdout, stderr) : ImageFile.Read(path, volumeIndex);
        if (volume is null) return 0;
        var g = volume.Grid;
        var d = g.Direction;
        stdout.WriteLine($"file:       {path}");
        stdout.WriteLine($"format:     {FormatName(format)}");
        stdout.WriteLine($"size:       {g.Nx} × {g.Ny} × {g.Nz} voxels");
        stdout.WriteLine(Invariant($"spacing:    {g.Spacing.X:G6} × {g.Spacing.Y:G6} × {g.Spacing.Z:G6} mm"));
        stdout.WriteLine(Invariant($"origin:     ({g.Origin.X:G7}, {g.Origin.Y:G7}, {g.Origin.Z:G7}) mm, LPS"));
        stdout.WriteLine(Invariant($"direction:  [{d.M00:G6} {d.M01:G6} {d.M02:G6}; {d.M10:G6} {d.M11:G6} {d.M12:G6}; {d.M20:G6} {d.M21:G6} {d.M22:G6}] (columns: i, j, k axes)"));
        stdout.WriteLine($"data type:  {volume.StoredType}");

        var (min, max, mean, finite) = Statistics(volume.Voxels);
        stdout.WriteLine(finite == 0
            ? "intensity:  no finite voxels"
            : Invariant($"intensity:  min {min:G7}, max {max:G7}, mean {mean:G7} over {finite} voxels")
              + (finite < volume.Voxels.Length ? $" ({volume.Voxels.Length - finite} non-finite)" : ""));

        if (volume.StoredType.IsInteger() && LabelCounts(volume.Voxels) is { } labels)
        {
            stdout.WriteLine($"labels:     {labels.Count} distinct values (voxels per label)");
            foreach (var (label, count) in labels)
                stdout.WriteLine(Invariant($"  {label,8:G}: {count} voxels, {count * g.VoxelVolume:G6} mm³"));
        }
        return 0;
    }

    internal static string FormatName(ImageFormat format) => format switch
    {
        ImageFormat.Nifti => "NIfTI",
        ImageFormat.Nrrd => "NRRD",
        ImageFormat.MetaImage => "MetaImage",
        ImageFormat.Dicom => "DICOM",
        _ => format.ToString(),
    };

    /// <summary>Lists a DICOM folder's series (or a structure set's ROIs, a segmentation's segments) and returns the
    /// volume to describe, or null when there is none (RTSTRUCT).</summary>
    private static Volume? DescribeDicom(string path, string? series, TextWriter stdout, TextWriter stderr)
    {
        if (Directory.Exists(path))
        {
            var folder = DicomSeriesReader.Scan(path);
            stdout.WriteLine($"DICOM folder: {folder.Series.Count} image series, {folder.OtherDicomFiles.Count} other DICOM file(s), {folder.Skipped.Count} unreadable file(s)");
            foreach (var s in folder.Series)
                stdout.WriteLine($"  series {s.SeriesInstanceUid}: {s.Modality} '{s.Description}', {s.SliceCount} slices of {s.Columns} × {s.Rows}" +
                    (s.EchoTime is { } te ? Invariant($", TE {te:G6} ms") : "") + (s.RepetitionTime is { } tr ? Invariant($", TR {tr:G6} ms") : ""));
            foreach (var other in folder.OtherDicomFiles) stdout.WriteLine($"  other: {other}");
            foreach (var skipped in folder.Skipped.Take(10)) stderr.WriteLine($"skipped: {skipped}");
            return Read(DicomSeriesReader.Read(path, new DicomReadOptions(series)));
        }
        switch (DicomFile.ReadHeader(path).Dataset.GetString(DicomTags.Modality))
        {
            case "RTSTRUCT":
                var rt = RtStruct.Read(path);
                stdout.WriteLine($"file:       {path}");
                stdout.WriteLine($"format:     DICOM RT Structure Set, {rt.Rois.Count} ROI(s), drawn on series {string.Join(", ", rt.ReferencedSeriesUids)}");
                foreach (var roi in rt.Rois) stdout.WriteLine($"  ROI {roi.Number}: '{roi.Name}', {roi.ContourCount} contour(s)");
                return null;
            case "SEG":
                var seg = DicomSeg.Read(path);
                foreach (var segment in seg.Segments) stdout.WriteLine($"segment {segment.Number}: '{segment.Label}', {segment.FrameCount} frame(s)");
                foreach (var warning in seg.Warnings) stderr.WriteLine($"warning: {warning}");
                var labels = seg.ReadLabels();
                return labels.ToVolume(labels.Labels.Max() <= byte.MaxValue ? PixelType.UInt8 : PixelType.UInt16);
            default:
                return Read(DicomSeriesReader.Read(path, new DicomReadOptions(series)));
        }

        Volume Read(DicomVolume dicom)
        {
            stdout.WriteLine($"series:     {dicom.Series.SeriesInstanceUid} ({dicom.Series.Modality} '{dicom.Series.Description}', transfer syntax {dicom.Series.TransferSyntax})");
            foreach (var warning in dicom.Warnings) stderr.WriteLine($"warning: {warning}");
            return dicom.Volume;
        }
    }

    private static (double Min, double Max, double Mean, long Finite) Statistics(float[] voxels)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        long finite = 0;
        foreach (var v in voxels)
        {
            if (!float.IsFinite(v)) continue;
            finite++;
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return (min, max, finite == 0 ? double.NaN : sum / finite, finite);
    }

    /// <summary>Voxel count per value when every value is a non-negative integer and there are few of them; otherwise null.</summary>
    private static SortedDictionary<float, long>? LabelCounts(float[] voxels)
    {
        var counts = new Dictionary<float, long>();
        foreach (var v in voxels)
        {
            if (!(v >= 0)) return null;
            ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, v, out bool existed);
            c++;
            if (!existed && counts.Count > MaxLabels) return null;
        }
        return new SortedDictionary<float, long>(counts);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
