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
