using System.Globalization;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>A segment of a DICOM Segmentation.</summary>
public sealed record DicomSegment(int Number, string Label, int FrameCount);

/// <summary>
/// A DICOM Segmentation (PS3.3 C.8.20) of type BINARY: 1-bit frames, each naming its segment in the
/// Segment Identification Sequence and its position in the Plane Position Sequence of the per-frame
/// functional groups. A segment is read as a 0/1 mask on the segmentation's own grid, which spans all its
/// frames: origin at the frame lowest along the slice normal, slice spacing from Spacing Between Slices
/// (else Slice Thickness, else the smallest gap between frames).
/// </summary>
public sealed class DicomSeg
{
    private readonly DicomFile _file;
    private readonly DicomPixelFormat _format;
    private readonly int[] _segmentOfFrame;
    private readonly int[] _sliceOfFrame;

    private DicomSeg(DicomFile file, DicomPixelFormat format, IReadOnlyList<DicomSegment> segments, Grid grid, int[] segmentOfFrame, int[] sliceOfFrame, IReadOnlyList<string> warnings)
    {
        Warnings = warnings;
        _file = file;
        _format = format;
        Segments = segments;
        Grid = grid;
        _segmentOfFrame = segmentOfFrame;
        _sliceOfFrame = sliceOfFrame;
    }

    public IReadOnlyList<DicomSegment> Segments { get; }
    public Grid Grid { get; }
    /// <summary>What was noticed while reading (e.g. more functional groups than frames).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public static DicomSeg Read(string path) => From(DicomFile.Read(path));

    internal static DicomSeg From(DicomFile file)
    {
        var ds = file.Dataset;
        if (ds.GetString(DicomTags.Modality) != "SEG" && !ds.Contains(DicomTags.SegmentSequence))
            throw new ImageFormatException(file.Path, $"not a DICOM Segmentation (Modality {ds.GetString(DicomTags.Modality) ?? "missing"})");
        var type = ds.GetString(DicomTags.SegmentationType) ?? "BINARY";
        if (type != "BINARY")
            throw new ImageFormatException(file.Path, $"Segmentation Type {type} is not supported (only BINARY)");
        var format = DicomPixelFormat.Of(file);
        if (format.BitsAllocated != 1 || format.SamplesPerPixel != 1)
            throw new ImageFormatException(file.Path, $"a BINARY segmentation must have 1-bit single-sample frames, found {format.BitsAllocated} bits × {format.SamplesPerPixel} samples");
        var perFrame = ds.GetSequence(DicomTags.PerFrameFunctionalGroupsSequence);
        if (perFrame.Count < format.Frames)
            throw new ImageFormatException(file.Path, $"{perFrame.Count} per-frame functional groups for {format.Frames} frames");
        var warnings = new List<string>(file.Warnings);
        if (perFrame.Count > format.Frames)
            warnings.Add($"{perFrame.Count} per-frame functional groups for {format.Frames} frame(s); the first {format.Frames} describe the frames");
        var shared = ds.GetItem(DicomTags.SharedFunctionalGroupsSequence);
        double[] Lookup(DicomDataset own, uint macro, uint tag, int count, string what) =>
            own.GetItem(macro)?.GetVector(tag, count) ?? shared?.GetItem(macro)?.GetVector(tag, count) ?? ds.GetVector(tag, count)
            ?? throw new ImageFormatException(file.Path, $"{what} of a frame is missing from the functional groups");

        var segmentOfFrame = new int[format.Frames];
        var positions = new Vec3[format.Frames];
        var first = perFrame[0];
        var o = Lookup(first, DicomTags.PlaneOrientationSequence, DicomTags.ImageOrientationPatient, 6, "Image Orientation (Patient)");
        var spacing = Lookup(first, DicomTags.PixelMeasuresSequence, DicomTags.PixelSpacing, 2, "Pixel Spacing");
        Vec3 row = new Vec3(o[0], o[1], o[2]).Normalized(), column = new Vec3(o[3], o[4], o[5]).Normalized();
        var normal = row.Cross(column);
        if (Math.Abs(normal.Length - 1) > 1e-3)
            throw new ImageFormatException(file.Path, $"Image Orientation (Patient) {row}, {column} is not a pair of orthogonal unit vectors");
        for (int f = 0; f < format.Frames; f++)
        {
            segmentOfFrame[f] = perFrame[f].GetItem(DicomTags.SegmentIdentificationSequence)?.GetInt(DicomTags.ReferencedSegmentNumber)
                ?? throw new ImageFormatException(file.Path, $"frame {f + 1} names no Referenced Segment Number");
            var p = Lookup(perFrame[f], DicomTags.PlanePositionSequence, DicomTags.ImagePositionPatient, 3, "Image Position (Patient)");
            positions[f] = new Vec3(p[0], p[1], p[2]);
        }

        var distances = Array.ConvertAll(positions, p => p.Dot(normal));
        int lowest = Array.IndexOf(distances, distances.Min());
        var distinct = distances.Distinct().Order().ToArray();
        double SliceStep() =>
            shared?.GetItem(DicomTags.PixelMeasuresSequence)?.GetNumber(DicomTags.SpacingBetweenSlices) is > 0 and var between ? between
            : ds.GetNumber(DicomTags.SpacingBetweenSlices) is > 0 and var top ? top
            : shared?.GetItem(DicomTags.PixelMeasuresSequence)?.GetNumber(DicomTags.SliceThickness) is > 0 and var thickness ? thickness
            : distinct.Length > 1 ? distinct.Zip(distinct.Skip(1), (a, b) => b - a).Min() : 1;
        double step = SliceStep();
        double highest = (distances.Max() - distances[lowest]) / step;
        if ((highest + 1) * format.PixelsPerFrame > Grid.MaxVoxels)
            throw new ImageFormatException(file.Path, string.Create(CultureInfo.InvariantCulture,
                $"frames spread over {highest + 1:0} slices of {step:0.####} mm: the segmentation grid would be too large"));
        var sliceOfFrame = new int[format.Frames];
        for (int f = 0; f < format.Frames; f++)
        {
            double k = (distances[f] - distances[lowest]) / step;
            sliceOfFrame[f] = (int)Math.Round(k);
            var inPlane = positions[f] - positions[lowest];
            inPlane -= inPlane.Dot(normal) * normal;
            if (Math.Abs(k - sliceOfFrame[f]) > 0.01 || inPlane.Length > 1e-3 * (1 + step))
                throw new ImageFormatException(file.Path, string.Create(CultureInfo.InvariantCulture,
                    $"frame {f + 1} at {positions[f]} does not lie on the {step:0.####} mm slice grid of the segmentation"));
        }
        if (!(spacing[0] > 0 && spacing[1] > 0)) throw new ImageFormatException(file.Path, "Pixel Spacing is not positive");
        var grid = DicomSeriesReader.NewGrid(file.Path, format.Columns, format.Rows, sliceOfFrame.Max() + 1,
            new Vec3(spacing[1], spacing[0], step), positions[lowest], Matrix3.FromColumns(row, column, normal));

        var segments = new List<DicomSegment>();
        foreach (var item in ds.GetSequence(DicomTags.SegmentSequence))
        {
            int number = item.GetInt(DicomTags.SegmentNumber) ?? throw new ImageFormatException(file.Path, "a Segment Sequence item has no Segment Number");
            segments.Add(new DicomSegment(number, item.GetString(DicomTags.SegmentLabel) ?? "", segmentOfFrame.Count(s => s == number)));
        }
        return new DicomSeg(file, format, segments, grid, segmentOfFrame, sliceOfFrame, warnings);
    }

    /// <summary>The segment with this number as a 0/1 mask on <see cref="Grid"/>.</summary>
    public LabelVolume ReadSegment(int number)
    {
        if (!Segments.Any(s => s.Number == number))
            throw new ImageFormatException(_file.Path, $"no segment {number}; the segmentation holds {string.Join(", ", Segments.Select(s => $"{s.Number} '{s.Label}'"))}");
        var labels = new int[Grid.Count];
        Paint(labels, number, 1);
        return new LabelVolume(Grid, labels);
    }

    /// <summary>Every segment on one label volume, each voxel carrying its segment number (where segments
    /// overlap, the higher number wins).</summary>
    public LabelVolume ReadLabels()
    {
        var labels = new int[Grid.Count];
        foreach (var segment in Segments.OrderBy(s => s.Number)) Paint(labels, segment.Number, segment.Number);
        return new LabelVolume(Grid, labels);
    }

    private void Paint(int[] labels, int segment, int label)
    {
        int perSlice = _format.PixelsPerFrame;
        var frame = new float[perSlice];
        for (int f = 0; f < _segmentOfFrame.Length; f++)
        {
            if (_segmentOfFrame[f] != segment) continue;
            DicomPixelData.DecodeFrame(_file, _format, f, frame);
            var slice = labels.AsSpan(_sliceOfFrame[f] * perSlice, perSlice);
            for (int n = 0; n < perSlice; n++) if (frame[n] != 0) slice[n] = label;
        }
    }

    /// <summary>The segment with this label (case-insensitive) as a 0/1 mask.</summary>
    public LabelVolume ReadSegment(string label)
    {
        var matches = Segments.Where(s => string.Equals(s.Label, label, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count != 1)
            throw new ImageFormatException(_file.Path, $"{(matches.Count == 0 ? "no" : "more than one")} segment labelled '{label}'; the segmentation holds {string.Join(", ", Segments.Select(s => $"{s.Number} '{s.Label}'"))}");
        return ReadSegment(matches[0].Number);
    }
}
