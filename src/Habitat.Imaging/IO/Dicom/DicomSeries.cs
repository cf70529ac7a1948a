using System.Globalization;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>One image series found in a folder.</summary>
public sealed record DicomSeriesInfo(
    string SeriesInstanceUid, string Modality, string Description, int Rows, int Columns, int SliceCount,
    string? FrameOfReferenceUid, string? TransferSyntax, double? EchoTime, double? RepetitionTime, IReadOnlyList<string> Files)
{
    public long VoxelCount => (long)Rows * Columns * SliceCount;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{SeriesInstanceUid}  {Modality}  '{Description}'  {Columns}×{Rows}×{SliceCount}  ({Files.Count} file(s))");
}

/// <summary>What a folder holds: its image series, its files without pixel data (RTSTRUCT, SEG are listed here
/// only when they carry no image) and the files that could not be read, with why.</summary>
public sealed record DicomFolder(string Path, IReadOnlyList<DicomSeriesInfo> Series, IReadOnlyList<string> OtherDicomFiles, IReadOnlyList<string> Skipped);

/// <param name="SeriesInstanceUid">The series to read from a folder holding several; null picks the only or largest one.</param>
/// <param name="AllowIrregularSlices">When false (default), non-uniform slice spacing, missing slices and slices shifted
/// in-plane (gantry tilt) are an <see cref="ImageFormatException"/>. When true, the volume is built with the mean
/// slice spacing and each irregularity is listed in <see cref="DicomVolume.Warnings"/>.</param>
public sealed record DicomReadOptions(string? SeriesInstanceUid = null, bool AllowIrregularSlices = false)
{
    public static readonly DicomReadOptions Default = new();
}

/// <summary>A volume read from a DICOM series, the series it came from and what was noticed on the way.</summary>
public sealed record DicomVolume(Volume Volume, DicomSeriesInfo Series, IReadOnlyList<string> Warnings);

/// <summary>
/// Splits folders into series by Series Instance UID and assembles a series into a <see cref="Volume"/> on an
/// LPS grid: origin = position of the first slice, direction columns = row direction, column direction and
/// their cross product (the slice normal); slices are ordered by their position along that normal, never by
/// file name or instance number. Multi-frame files contribute one slice per frame, placed by the per-frame
/// functional groups. Rescale slope/intercept are applied per slice.
/// </summary>
public static class DicomSeriesReader
{
    /// <summary>Directions and pixel spacings of slices agree within this (cosines, mm).</summary>
    private const double GeometryTolerance = 1e-4;
    /// <summary>Slice gaps are uniform when each is within this fraction of the mean gap plus <see cref="AbsoluteGapTolerance"/>
    /// (ITK warns at a relative 1e-4; DS values rounded to a few decimals need the absolute term).</summary>
    private const double RelativeGapTolerance = 1e-3;
    private const double AbsoluteGapTolerance = 1e-4;

    /// <summary>Reads the headers of every file under <paramref name="folder"/> (recursively) and groups the images into series.</summary>
    public static DicomFolder Scan(string folder)
    {
        if (!Directory.Exists(folder)) throw new ImageFormatException(folder, "folder not found");
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        var headers = new DicomFile?[files.Length];
        var problems = new string?[files.Length];
        ParallelFor(files.Length, n =>
        {
            try { headers[n] = DicomFile.ReadHeader(files[n]); }
            catch (ImageFormatException e) { problems[n] = $"{e.FilePath}: {e.Problem}"; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problems[n] = $"{files[n]}: {e.Message}"; }
        });
        var skipped = problems.Where(p => p is not null).Select(p => p!).ToList();
        var others = new List<string>();
        var bySeries = new Dictionary<string, List<DicomFile>>();
        foreach (var header in headers)
        {
            if (header is null) continue;
            if (!header.Dataset.Contains(DicomTags.PixelData))
            {
                others.Add($"{header.Path} ({header.Dataset.GetString(DicomTags.Modality) ?? "no modality"})");
                continue;
            }
            var uid = header.Dataset.GetString(DicomTags.SeriesInstanceUid) ?? "";
            if (!bySeries.TryGetValue(uid, out var list)) bySeries[uid] = list = [];
            list.Add(header);
        }
        var series = new List<DicomSeriesInfo>();
        foreach (var (uid, list) in bySeries.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            try { series.Add(Describe(uid, list)); }
            catch (ImageFormatException e) { skipped.Add($"series {uid}: {e.Message}"); }
        }
        return new DicomFolder(folder, series, others, skipped);
    }

    private static DicomSeriesInfo Describe(string uid, List<DicomFile> files)
    {
        var first = files[0].Dataset;
        int slices = 0;
        foreach (var f in files) slices += f.Dataset.GetInt(DicomTags.NumberOfFrames) ?? 1;
        return new DicomSeriesInfo(uid, first.GetString(DicomTags.Modality) ?? "", first.GetString(DicomTags.SeriesDescription) ?? "",
            first.GetInt(DicomTags.Rows) ?? 0, first.GetInt(DicomTags.Columns) ?? 0, slices,
            first.GetString(DicomTags.FrameOfReferenceUid), files[0].TransferSyntax.Uid,
            first.GetNumber(DicomTags.EchoTime), first.GetNumber(DicomTags.RepetitionTime), files.Select(f => f.Path).ToList());
    }

    /// <summary>Reads a DICOM file (single- or multi-frame) or one series of a folder.</summary>
    public static DicomVolume Read(string path, DicomReadOptions? options = null)
    {
        options ??= DicomReadOptions.Default;
        if (File.Exists(path)) return Assemble([DicomFile.Read(path)], options, []);
        var folder = Scan(path);
        var (series, warnings) = Choose(folder, options);
        var files = new DicomFile[series.Files.Count];
        ParallelFor(files.Length, n => files[n] = DicomFile.Read(series.Files[n]));
        return Assemble(files, options, warnings);
    }

    private static (DicomSeriesInfo, List<string>) Choose(DicomFolder folder, DicomReadOptions options)
    {
        string Listing() => string.Join("; ", folder.Series.Select(s => s.ToString()));
        if (folder.Series.Count == 0)
            throw new ImageFormatException(folder.Path, "no DICOM image series found" +
                (folder.Skipped.Count > 0 ? $" ({folder.Skipped.Count} unreadable file(s), e.g. {folder.Skipped[0]})" : ""));
        if (options.SeriesInstanceUid is { } wanted)
        {
            var match = folder.Series.FirstOrDefault(s => s.SeriesInstanceUid == wanted)
                ?? throw new ImageFormatException(folder.Path, $"no series with Series Instance UID {wanted}; the folder holds: {Listing()}");
            return (match, []);
        }
        if (folder.Series.Count == 1) return (folder.Series[0], []);
        var ranked = folder.Series.OrderByDescending(s => s.VoxelCount).ToList();
        if (ranked[0].VoxelCount == ranked[1].VoxelCount)
            throw new ImageFormatException(folder.Path, $"holds {folder.Series.Count} series and none is the largest; choose one by Series Instance UID: {Listing()}");
        return (ranked[0], [$"folder holds {folder.Series.Count} series; read the largest, {ranked[0]} (choose another by Series Instance UID: {Listing()})"]);
    }

    /// <summary>One frame placed in space.</summary>
    private sealed record Slice(DicomFile File, int Frame, Vec3 Position, Vec3 Row, Vec3 Column, double RowSpacing, double ColumnSpacing, double Slope, double Intercept);

    /// <summary>Assembles fully read files of one series into a volume.</summary>
    internal static DicomVolume Assemble(IReadOnlyList<DicomFile> files, DicomReadOptions options, List<string> warnings)
    {
        var first = files[0];
        var format = DicomPixelFormat.Of(first);
        if (format.SamplesPerPixel != 1)
            throw new ImageFormatException(first.Path, $"a colour image ({format.Photometric}, {format.SamplesPerPixel} samples per pixel) cannot be read as a scalar volume");
        foreach (var f in files) warnings.AddRange(f.Warnings.Select(w => $"{f.Path}: {w}"));
        var slices = new List<Slice>();
        foreach (var file in files)
        {
            var fmt = DicomPixelFormat.Of(file);
            if (fmt with { Frames = 1 } != format with { Frames = 1 })
                throw new ImageFormatException(file.Path, $"its pixel format ({fmt.Columns}×{fmt.Rows}, {fmt.BitsAllocated} bits) differs from {first.Path}'s ({format.Columns}×{format.Rows}, {format.BitsAllocated} bits) in the same series");
            slices.AddRange(PlaceFrames(file, fmt, warnings));
        }
        if ((long)slices.Count * format.PixelsPerFrame > Array.MaxLength)
            throw new ImageFormatException(first.Path, $"{slices.Count} slices of {format.Columns}×{format.Rows} are too many voxels for one volume");
        var reference = slices[0];
        var normal = reference.Row.Cross(reference.Column);
        foreach (var s in slices)
        {
            if (!s.Row.ApproximatelyEquals(reference.Row, GeometryTolerance) || !s.Column.ApproximatelyEquals(reference.Column, GeometryTolerance))
                throw new ImageFormatException(s.File.Path, "its Image Orientation (Patient) differs from the other slices of the series");
            if (Math.Abs(s.RowSpacing - reference.RowSpacing) > GeometryTolerance || Math.Abs(s.ColumnSpacing - reference.ColumnSpacing) > GeometryTolerance)
                throw new ImageFormatException(s.File.Path, "its Pixel Spacing differs from the other slices of the series");
        }
        slices.Sort((a, b) => a.Position.Dot(normal).CompareTo(b.Position.Dot(normal)));
        double sliceSpacing = SliceSpacing(slices, normal, first, options, warnings);

        var grid = NewGrid(first.Path, format.Columns, format.Rows, slices.Count,
            new Vec3(reference.ColumnSpacing, reference.RowSpacing, sliceSpacing), slices[0].Position,
            Matrix3.FromColumns(reference.Row, reference.Column, normal));
        var voxels = new float[grid.Count];
        int perSlice = format.PixelsPerFrame;
        ParallelFor(slices.Count, k =>
        {
            var s = slices[k];
            var target = voxels.AsSpan(k * perSlice, perSlice);
            DicomPixelData.DecodeFrame(s.File, format, s.Frame, target);
            if (s.Slope != 1 || s.Intercept != 0)
                for (int n = 0; n < target.Length; n++) target[n] = (float)(target[n] * s.Slope + s.Intercept);
        });
        var storedType = StoredType(format, slices, voxels);
        var info = Describe(first.Dataset.GetString(DicomTags.SeriesInstanceUid) ?? "", files.ToList()) with { SliceCount = slices.Count };
        return new DicomVolume(new Volume(grid, voxels, storedType), info, warnings);
    }

    /// <summary>Positions, orientation, spacing and rescale of each frame of a file: the per-frame functional
    /// groups first, then the shared groups, then the classic top-level elements (PS3.3 C.7.6.16).</summary>
    private static IEnumerable<Slice> PlaceFrames(DicomFile file, DicomPixelFormat fmt, List<string> warnings)
    {
        var ds = file.Dataset;
        var shared = ds.GetItem(DicomTags.SharedFunctionalGroupsSequence);
        var perFrame = ds.GetSequence(DicomTags.PerFrameFunctionalGroupsSequence);
        if (perFrame.Count != 0 && perFrame.Count < fmt.Frames)
            throw new ImageFormatException(file.Path, $"{perFrame.Count} per-frame functional groups for {fmt.Frames} frames");
        if (perFrame.Count > fmt.Frames)
            warnings.Add($"{file.Path}: {perFrame.Count} per-frame functional groups for {fmt.Frames} frame(s); the first {fmt.Frames} describe the frames");
        for (int f = 0; f < fmt.Frames; f++)
        {
            var own = perFrame.Count > 0 ? perFrame[f] : null;
            double[]? Lookup(uint macro, uint tag, int count) =>
                own?.GetItem(macro)?.GetVector(tag, count) ?? shared?.GetItem(macro)?.GetVector(tag, count) ?? ds.GetVector(tag, count);
            var position = Lookup(DicomTags.PlanePositionSequence, DicomTags.ImagePositionPatient, 3);
            var orientation = Lookup(DicomTags.PlaneOrientationSequence, DicomTags.ImageOrientationPatient, 6);
            var spacing = Lookup(DicomTags.PixelMeasuresSequence, DicomTags.PixelSpacing, 2);
            double slope = Lookup(DicomTags.PixelValueTransformationSequence, DicomTags.RescaleSlope, 1)?[0] ?? 1;
            double intercept = Lookup(DicomTags.PixelValueTransformationSequence, DicomTags.RescaleIntercept, 1)?[0] ?? 0;
            if (spacing is null)
            {
                if (f == 0) warnings.Add($"{file.Path}: no Pixel Spacing; 1 mm assumed");
                spacing = [1, 1];
            }
            if (!(spacing[0] > 0 && spacing[1] > 0))
                throw new ImageFormatException(file.Path, $"Pixel Spacing {spacing[0].ToString(CultureInfo.InvariantCulture)}\\{spacing[1].ToString(CultureInfo.InvariantCulture)} is not positive");
            var (row, column) = orientation is null ? (new Vec3(1, 0, 0), new Vec3(0, 1, 0)) : Orientation(file, orientation);
            Vec3 origin;
            if (position is not null) origin = new Vec3(position[0], position[1], position[2]);
            else if (fmt.Frames == 1 && orientation is null)
            {
                warnings.Add($"{file.Path}: no Image Position/Orientation (Patient); origin 0 and identity direction assumed");
                origin = Vec3.Zero;
            }
            else throw new ImageFormatException(file.Path, $"frame {f + 1} has no Image Position (Patient), so it cannot be placed in space");
            if (perFrame.Count == 0 && fmt.Frames > 1)
            {
                // Legacy multi-frame: one position for the stack, frames spaced along the normal.
                double step = Lookup(DicomTags.PixelMeasuresSequence, DicomTags.SpacingBetweenSlices, 1)?[0]
                    ?? Lookup(DicomTags.PixelMeasuresSequence, DicomTags.SliceThickness, 1)?[0]
                    ?? throw new ImageFormatException(file.Path, "multi-frame image without per-frame positions, Spacing Between Slices or Slice Thickness");
                if (f == 0) warnings.Add($"{file.Path}: multi-frame image without per-frame positions; frames stacked {step.ToString(CultureInfo.InvariantCulture)} mm apart along the slice normal");
                origin += step * f * row.Cross(column);
            }
            yield return new Slice(file, f, origin, row, column, spacing[0], spacing[1], slope, intercept);
        }
    }

    private static (Vec3 Row, Vec3 Column) Orientation(DicomFile file, double[] o)
    {
        var row = new Vec3(o[0], o[1], o[2]);
        var column = new Vec3(o[3], o[4], o[5]);
        if (Math.Abs(row.Length - 1) > 1e-3 || Math.Abs(column.Length - 1) > 1e-3 || Math.Abs(row.Dot(column)) > 1e-3)
            throw new ImageFormatException(file.Path, $"Image Orientation (Patient) {row}, {column} is not a pair of orthogonal unit vectors");
        return (row.Normalized(), column.Normalized());
    }

    /// <summary>The distance between slices along the normal; duplicates are always an error, irregular gaps
    /// and in-plane shifts are an error unless <see cref="DicomReadOptions.AllowIrregularSlices"/>.</summary>
    private static double SliceSpacing(List<Slice> slices, Vec3 normal, DicomFile first, DicomReadOptions options, List<string> warnings)
    {
        if (slices.Count == 1)
            return first.Dataset.GetNumber(DicomTags.SpacingBetweenSlices) is > 0 and var between ? between
                : first.Dataset.GetNumber(DicomTags.SliceThickness) is > 0 and var thickness ? thickness : 1;
        static string Where(Slice s) =>
            s.File.Dataset.GetInt(DicomTags.NumberOfFrames) is > 1 ? $"{Path.GetFileName(s.File.Path)} frame {s.Frame + 1}" : Path.GetFileName(s.File.Path);
        var irregular = new List<string>();
        double extent = (slices[^1].Position - slices[0].Position).Dot(normal);
        double mean = extent / (slices.Count - 1);
        double tolerance = RelativeGapTolerance * mean + AbsoluteGapTolerance;
        for (int k = 1; k < slices.Count; k++)
        {
            double gap = (slices[k].Position - slices[k - 1].Position).Dot(normal);
            if (gap < AbsoluteGapTolerance)
            {
                var echoes = slices.Select(s => s.File.Dataset.GetNumber(DicomTags.EchoTime)).Distinct().Count();
                throw new ImageFormatException(first.Path, $"{Where(slices[k - 1])} and {Where(slices[k])} lie at the same position: " +
                    "the series holds more than one volume (echoes, time points or repeats), which Habitat does not split" +
                    (echoes > 1 ? $" ({echoes} different Echo Times)" : ""));
            }
            if (Math.Abs(gap - mean) > tolerance)
                irregular.Add(string.Create(CultureInfo.InvariantCulture, $"gap of {gap:0.####} mm between {Where(slices[k - 1])} and {Where(slices[k])} (mean {mean:0.####} mm{(gap > 1.5 * mean ? "; missing slice?" : "")})"));
            var shift = slices[k].Position - slices[0].Position;
            shift -= shift.Dot(normal) * normal;
            if (shift.Length > tolerance)
                irregular.Add(string.Create(CultureInfo.InvariantCulture, $"{Where(slices[k])} is shifted {shift.Length:0.####} mm within the slice plane (gantry tilt?)"));
        }
        if (irregular.Count > 0)
        {
            if (!options.AllowIrregularSlices)
                throw new ImageFormatException(first.Path, $"slices are not evenly spaced: {string.Join("; ", irregular.Take(5))}" +
                    (irregular.Count > 5 ? $" and {irregular.Count - 5} more" : "") + " (AllowIrregularSlices reads them with the mean spacing)");
            warnings.AddRange(irregular.Select(i => "irregular slices, read with the mean spacing: " + i));
        }
        return mean;
    }

    /// <summary>The stored type when nothing was rescaled; otherwise the narrowest of the stored type, int16 and
    /// int32 that holds the rescaled values, or float32 when rescaling made them fractional.</summary>
    private static PixelType StoredType(DicomPixelFormat format, List<Slice> slices, float[] voxels)
    {
        if (slices.TrueForAll(s => s.Slope == 1 && s.Intercept == 0)) return format.StoredType;
        if (!slices.TrueForAll(s => s.Slope == Math.Round(s.Slope) && s.Intercept == Math.Round(s.Intercept))) return PixelType.Float32;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in voxels) { if (v < min) min = v; if (v > max) max = v; }
        foreach (var candidate in (ReadOnlySpan<PixelType>)[format.StoredType, PixelType.Int16, PixelType.Int32])
            if (Fits(candidate, min, max)) return candidate;
        return PixelType.Float32;
    }

    /// <summary>A grid from file values; values the grid refuses (non-finite, degenerate) are a format error of the file.</summary>
    internal static Grid NewGrid(string path, int nx, int ny, int nz, Vec3 spacing, Vec3 origin, Matrix3 direction)
    {
        try { return new Grid(nx, ny, nz, spacing, origin, direction); }
        catch (ArgumentException e) { throw new ImageFormatException(path, $"invalid geometry: {e.Message}", e); }
    }

    /// <summary>Parallel.For that rethrows the first failure itself rather than an AggregateException.</summary>
    internal static void ParallelFor(int count, Action<int> body)
    {
        try { Parallel.For(0, count, body); }
        catch (AggregateException e) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw(); }
    }

    private static bool Fits(PixelType t, double min, double max) => t switch
    {
        PixelType.UInt8 => min >= 0 && max <= byte.MaxValue,
        PixelType.Int8 => min >= sbyte.MinValue && max <= sbyte.MaxValue,
        PixelType.UInt16 => min >= 0 && max <= ushort.MaxValue,
        PixelType.Int16 => min >= short.MinValue && max <= short.MaxValue,
        PixelType.UInt32 => min >= 0 && max <= uint.MaxValue,
        PixelType.Int32 => min >= int.MinValue && max <= int.MaxValue,
        _ => false,
    };
}
