using Habitat.Imaging.IO.Dicom;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.Dicom;

public class DicomSegAndRtStructTests
{
    [Fact]
    public void LiverSegmentationReadsAsAMaskWithPydicomsVoxelCount()
    {
        var seg = DicomSeg.Read(ReferenceData.Path("dicom", "liver_1frame.dcm"));
        var segment = Assert.Single(seg.Segments);
        Assert.Equal("Liver", segment.Label);
        var mask = seg.ReadSegment(segment.Number);
        Assert.Equal((512, 512, 1), (mask.Grid.Nx, mask.Grid.Ny, mask.Grid.Nz));
        Assert.Equal(36233, mask.Labels.Count(l => l == 1));
        Assert.Equal(mask.Labels.Length - 36233, mask.Labels.Count(l => l == 0));
        Assert.Equal(0.810547, mask.Grid.Spacing.X, 6);
        Assert.Equal(new Vec3(-235.2, -226.8, -128.69), mask.Grid.Origin);
        Assert.Equal(mask.Labels, seg.ReadSegment("liver").Labels);
        Assert.Contains(seg.Warnings, w => w.Contains("3 per-frame functional groups for 1 frame"));
    }

    [Fact]
    public void SmallStructureSetListsItsRois()
    {
        var rt = RtStruct.Read(ReferenceData.Path("dicom", "rtstruct.dcm"));
        Assert.NotEmpty(rt.Rois);
        Assert.All(rt.Rois, r => Assert.False(string.IsNullOrEmpty(r.Name)));
        var e = Assert.Throws<ImageFormatException>(() => rt.Find("no such ROI"));
        Assert.Contains(rt.Rois[0].Name, e.Problem);
    }

    [Fact]
    public void NonSegmentationFilesAreRefusedAsSeg()
    {
        var e = Assert.Throws<ImageFormatException>(() => DicomSeg.Read(ReferenceData.Path("dicom", "MR_small.dcm")));
        Assert.Contains("not a DICOM Segmentation", e.Problem);
        Assert.Throws<ImageFormatException>(() => RtStruct.Read(ReferenceData.Path("dicom", "MR_small.dcm")));
    }
}

public class RtStructRasterisationTests
{
    private static DicomTestWriter Contour(double z, params (double X, double Y)[] points) => new DicomTestWriter()
        .Text(0x3006_0042, "CS", "CLOSED_PLANAR")
        .Text(0x3006_0046, "IS", points.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Decimals(0x3006_0050, points.SelectMany(p => new[] { p.X, p.Y, z }).ToArray());

    private static (double, double)[] Square(double from, double to) => [(from, from), (to, from), (to, to), (from, to)];

    private static RtStruct Write(TempDir temp, string syntax)
    {
        var rt = new DicomTestWriter()
            .Text(0x0008_0060, "CS", "RTSTRUCT")
            .Sequence(0x3006_0020,
                new DicomTestWriter().Text(0x3006_0022, "IS", "1").Text(0x3006_0024, "UI", "1.2.3.9").Text(0x3006_0026, "LO", "GTV"),
                new DicomTestWriter().Text(0x3006_0022, "IS", "2").Text(0x3006_0024, "UI", "1.2.3.9").Text(0x3006_0026, "LO", "Ring"))
            .Sequence(0x3006_0039,
                new DicomTestWriter().Text(0x3006_0084, "IS", "1").Sequence(0x3006_0040,
                    Contour(1, Square(1.5, 8.5)), Contour(1, Square(3.5, 5.5)), Contour(2, (2, 2), (6.9, 2), (2, 6.9))),
                new DicomTestWriter().Text(0x3006_0084, "IS", "2").Sequence(0x3006_0040, Contour(0, Square(-3, 20))));
        File.WriteAllBytes(temp.File("rs.dcm"), rt.ToPart10(syntax, "1.2.840.10008.5.1.4.1.1.481.3"));
        return RtStruct.Read(temp.File("rs.dcm"));
    }

    [Theory]
    [InlineData(DicomTestWriter.ImplicitVrLittleEndian)]
    [InlineData(DicomTestWriter.ExplicitVrLittleEndian)]
    public void ContoursFillVoxelCentresWithHolesCutByInnerContours(string syntax)
    {
        using var temp = new TempDir();
        var rt = Write(temp, syntax);
        Assert.Equal(["GTV", "Ring"], rt.Rois.Select(r => r.Name));
        Assert.Equal(3, rt.Rois[0].ContourCount);
        var grid = Grid.Create(10, 10, 3, Vec3.One);
        var mask = rt.Rasterise("gtv", grid, "1.2.3.9").Mask;
        // Slice 1: centres 2..8 inside the outer square (49), minus centres 4..5 inside the hole (4).
        Assert.Equal(45, Enumerable.Range(0, 100).Count(n => mask.Labels[100 + n] == 1));
        Assert.Equal(0, mask.Labels[100 + 4 * 10 + 4]);
        Assert.Equal(1, mask.Labels[100 + 3 * 10 + 3]);
        // Slice 2: right triangle with legs 4.9 from (2,2): centres (i,j) with i,j ≥ 2 and (i−2)+(j−2) < 4.9 → 15.
        Assert.Equal(15, Enumerable.Range(0, 100).Count(n => mask.Labels[200 + n] == 1));
        Assert.Equal(0, Enumerable.Range(0, 100).Count(n => mask.Labels[n] == 1));
        // A contour larger than the grid fills the whole slice, clipped.
        var ring = rt.Rasterise("Ring", grid).Mask;
        Assert.Equal(100, ring.Labels.Count(l => l == 1));
    }

    [Fact]
    public void AnotherFrameOfReferenceIsAGeometryMismatch()
    {
        using var temp = new TempDir();
        var rt = Write(temp, DicomTestWriter.ImplicitVrLittleEndian);
        Assert.Throws<GeometryMismatchException>(() => rt.Rasterise("GTV", Grid.Create(10, 10, 3, Vec3.One), "9.9.9"));
    }
}
