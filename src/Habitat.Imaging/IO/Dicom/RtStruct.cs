using System.Globalization;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>A region of interest of an RT Structure Set.</summary>
public sealed record RtRoi(int Number, string Name, string? FrameOfReferenceUid, int ContourCount);

/// <summary>A rasterised ROI: a 0/1 label volume on the image grid, and what was noticed on the way.</summary>
public sealed record RtMask(LabelVolume Mask, RtRoi Roi, IReadOnlyList<string> Warnings);

/// <summary>
/// An RT Structure Set (PS3.3 C.8.8.5–6): its ROIs, each a set of contours in patient (LPS) coordinates.
/// A ROI's closed planar contours are rasterised onto an image grid slice by slice with the even-odd rule,
/// so contours inside contours are holes: a voxel is inside when its centre is.
/// </summary>
public sealed class RtStruct
{
    private readonly Dictionary<int, List<Contour>> _contours;

    private sealed record Contour(string GeometricType, Vec3[] Points);

    private RtStruct(string path, IReadOnlyList<RtRoi> rois, IReadOnlyList<string> referencedSeries, Dictionary<int, List<Contour>> contours)
    {
        Path = path;
        Rois = rois;
        ReferencedSeriesUids = referencedSeries;
        _contours = contours;
    }

    public string Path { get; }
    public IReadOnlyList<RtRoi> Rois { get; }
    /// <summary>The image series the structure set was drawn on (Referenced Frame of Reference → study → series).</summary>
    public IReadOnlyList<string> ReferencedSeriesUids { get; }

    public static RtStruct Read(string path) => From(DicomFile.Read(path));

    internal static RtStruct From(DicomFile file)
    {
        var ds = file.Dataset;
        var modality = ds.GetString(DicomTags.Modality);
        if (modality != "RTSTRUCT" && !ds.Contains(DicomTags.StructureSetRoiSequence))
            throw new ImageFormatException(file.Path, $"not an RT Structure Set (Modality {modality ?? "missing"})");
        var contours = new Dictionary<int, List<Contour>>();
        foreach (var roiContour in ds.GetSequence(DicomTags.RoiContourSequence))
        {
            int number = roiContour.GetInt(DicomTags.ReferencedRoiNumber)
                ?? throw new ImageFormatException(file.Path, "an ROI Contour Sequence item has no Referenced ROI Number");
            if (!contours.TryGetValue(number, out var list)) contours[number] = list = [];
            foreach (var item in roiContour.GetSequence(DicomTags.ContourSequence))
                list.Add(ReadContour(file, item));
        }
        var rois = new List<RtRoi>();
        foreach (var item in ds.GetSequence(DicomTags.StructureSetRoiSequence))
        {
            int number = item.GetInt(DicomTags.RoiNumber) ?? throw new ImageFormatException(file.Path, "a Structure Set ROI has no ROI Number");
            rois.Add(new RtRoi(number, item.GetString(DicomTags.RoiName) ?? "", item.GetString(DicomTags.ReferencedFrameOfReferenceUid),
                contours.TryGetValue(number, out var c) ? c.Count : 0));
        }
        var series = new List<string>();
        foreach (var frame in ds.GetSequence(DicomTags.ReferencedFrameOfReferenceSequence))
            foreach (var study in frame.GetSequence(DicomTags.RtReferencedStudySequence))
                foreach (var s in study.GetSequence(DicomTags.RtReferencedSeriesSequence))
                    if (s.GetString(DicomTags.SeriesInstanceUid) is { Length: > 0 } uid) series.Add(uid);
        return new RtStruct(file.Path, rois, series, contours);
    }

    private static Contour ReadContour(DicomFile file, DicomDataset item)
    {
        var type = item.GetString(DicomTags.ContourGeometricType) ?? "CLOSED_PLANAR";
        var data = item.GetNumbers(DicomTags.ContourData) ?? [];
        int? declared = item.GetInt(DicomTags.NumberOfContourPoints);
        if (data.Length % 3 != 0 || declared is { } n && n * 3L != data.Length)
            throw new ImageFormatException(file.Path, $"Contour Data holds {data.Length} numbers, not 3 × Number of Contour Points ({declared?.ToString(CultureInfo.InvariantCulture) ?? "absent"})");
        var points = new Vec3[data.Length / 3];
        for (int p = 0; p < points.Length; p++) points[p] = new Vec3(data[3 * p], data[3 * p + 1], data[3 * p + 2]);
        return new Contour(type, points);
    }

    /// <summary>The ROI with this name (exact, else the only case-insensitive match).</summary>
    public RtRoi Find(string name)
    {
        var exact = Rois.FirstOrDefault(r => r.Name == name);
        if (exact is not null) return exact;
        var loose = Rois.Where(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (loose.Count == 1) return loose[0];
        throw new ImageFormatException(Path, $"no ROI named '{name}'; the structure set holds: {string.Join(", ", Rois.Select(r => $"{r.Number} '{r.Name}'"))}");
    }

    /// <summary>Rasterises the image series' ROI onto its grid, checking that both share the frame of reference.</summary>
    public RtMask Rasterise(string roiName, DicomVolume image) =>
        Rasterise(roiName, image.Volume.Grid, image.Series.FrameOfReferenceUid, string.Join(", ", image.Series.Files.Take(1)));

    /// <summary>Rasterises a ROI's closed planar contours onto <paramref name="grid"/>: each contour goes to the
    /// slice its plane lies on; on each slice a voxel is inside when its centre is inside an odd number of the
    /// ROI's contours there (even-odd rule, so inner contours cut holes).</summary>
    public RtMask Rasterise(string roiName, Grid grid, string? frameOfReferenceUid = null, string imageName = "image")
    {
        var roi = Find(roiName);
        if (frameOfReferenceUid is not null && roi.FrameOfReferenceUid is not null && roi.FrameOfReferenceUid != frameOfReferenceUid)
            throw new GeometryMismatchException(imageName, Path, $"ROI '{roi.Name}' is drawn in frame of reference {roi.FrameOfReferenceUid}, the image is in {frameOfReferenceUid}");
        var warnings = new List<string>();
        var bySlice = new Dictionary<int, List<Vec3[]>>();
        if (!_contours.TryGetValue(roi.Number, out var contours) || contours.Count == 0)
            warnings.Add($"ROI '{roi.Name}' has no contours; the mask is empty");
        foreach (var contour in contours ?? [])
        {
            if (contour.GeometricType != "CLOSED_PLANAR")
            {
                warnings.Add($"ROI '{roi.Name}': a {contour.GeometricType} contour is not an area and was skipped");
                continue;
            }
            if (contour.Points.Length < 3) { warnings.Add($"ROI '{roi.Name}': a contour with {contour.Points.Length} point(s) was skipped"); continue; }
            var indexPoints = Array.ConvertAll(contour.Points, grid.PhysicalToIndex);
            double kMin = indexPoints.Min(p => p.Z), kMax = indexPoints.Max(p => p.Z);
            double kMean = indexPoints.Average(p => p.Z);
            int k = (int)Math.Round(kMean);
            if (kMax - kMin > 0.5)
                throw new GeometryMismatchException(imageName, Path, $"a contour of ROI '{roi.Name}' spans {kMax - kMin:0.##} slices: it is not parallel to the image slices");
            if (k < 0 || k >= grid.Nz) { warnings.Add($"ROI '{roi.Name}': a contour at slice position {kMean:0.##} lies outside the image and was skipped"); continue; }
            if (Math.Abs(kMean - k) > 0.1)
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"ROI '{roi.Name}': a contour lies between slices (index {kMean:0.###}) and was drawn on slice {k}"));
            if (!bySlice.TryGetValue(k, out var polygons)) bySlice[k] = polygons = [];
            polygons.Add(indexPoints);
        }
        var labels = new int[grid.Count];
        foreach (var (k, polygons) in bySlice) FillEvenOdd(polygons, grid, labels.AsSpan(k * grid.Nx * grid.Ny, grid.Nx * grid.Ny));
        return new RtMask(new LabelVolume(grid, labels), roi, warnings);
    }

    /// <summary>Scan-line even-odd fill in continuous index space (an affine image of physical space, so
    /// inside-ness is the same). Row j's voxel centres (i, j) are inside for i in [x₂ₘ, x₂ₘ₊₁) where x are
    /// the sorted crossings of the line y = j with every polygon edge (edges half-open in y).</summary>
    private static void FillEvenOdd(List<Vec3[]> polygons, Grid grid, Span<int> slice)
    {
        var crossings = new List<double>();
        for (int j = 0; j < grid.Ny; j++)
        {
            crossings.Clear();
            foreach (var polygon in polygons)
                for (int p = 0; p < polygon.Length; p++)
                {
                    Vec3 a = polygon[p], b = polygon[(p + 1) % polygon.Length];
                    if ((a.Y <= j) == (b.Y <= j)) continue;
                    crossings.Add(a.X + (j - a.Y) * (b.X - a.X) / (b.Y - a.Y));
                }
            crossings.Sort();
            for (int m = 0; m + 1 < crossings.Count; m += 2)
            {
                int from = (int)Math.Clamp(Math.Ceiling(crossings[m]), 0, grid.Nx);
                int to = (int)Math.Clamp(Math.Ceiling(crossings[m + 1]), 0, grid.Nx);
                for (int i = from; i < to; i++) slice[j * grid.Nx + i] = 1;
            }
        }
    }
}
