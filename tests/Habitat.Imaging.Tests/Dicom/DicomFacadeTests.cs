using Habitat.Imaging.IO;
using Habitat.Testing;

namespace Habitat.Imaging.Tests.Dicom;

/// <summary>DICOM through the format-independent <see cref="ImageFile"/> facade.</summary>
public class DicomFacadeTests
{
    [Fact]
    public void FoldersAndPart10FilesAreDetectedAsDicom()
    {
        Assert.Equal(ImageFormat.Dicom, ImageFile.Detect(ReferenceData.Path("ibsi1", "ct_phantom", "dicom", "image")));
        Assert.Equal(ImageFormat.Dicom, ImageFile.Detect(ReferenceData.Path("dicom", "MR_small.dcm")));
        Assert.Equal(ImageFormat.Dicom, ImageFile.Detect(ReferenceData.Path("dicom", "no_meta.dcm")));
    }

    [Fact]
    public void SegmentationReadsAsLabelsAndImagesAsVolumes()
    {
        var labels = ImageFile.ReadLabels(ReferenceData.Path("dicom", "liver_1frame.dcm"));
        Assert.Equal(36233, labels.CountByLabel()[1]);
        var mr = ImageFile.Read(ReferenceData.Path("dicom", "MR_small.dcm"));
        Assert.Equal(2125338, mr.Voxels.Sum(v => (double)v));
    }

    [Fact]
    public void DicomFolderConvertsToNiftiAndBack()
    {
        using var temp = new TempDir();
        var dicom = ImageFile.Read(ReferenceData.Path("ibsi1", "ct_phantom", "dicom", "image"));
        var target = temp.File("ct.nii.gz");
        ImageFile.Write(dicom, target);
        var back = ImageFile.Read(target);
        Assert.Equal(dicom.Voxels, back.Voxels);
        Assert.True(dicom.Grid.Matches(back.Grid, 1e-4), $"{dicom.Grid} vs {back.Grid}");
        var e = Assert.Throws<ImageFormatException>(() => ImageFile.Write(dicom, temp.File("out.dcm")));
        Assert.Contains("Dicom", e.Problem);
    }
}
