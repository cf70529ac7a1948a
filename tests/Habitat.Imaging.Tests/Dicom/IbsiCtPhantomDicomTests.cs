using Habitat.Imaging.IO;
using Habitat.Imaging.IO.Dicom;
using Habitat.Testing;
using Xunit.Abstractions;

namespace Habitat.Imaging.Tests.Dicom;

/// <summary>The IBSI 1 CT phantom as DICOM against its NIfTI conversion (shared/reference/ibsi1).</summary>
public class IbsiCtPhantomDicomTests(ITestOutputHelper output)
{
    private static readonly Lazy<DicomVolume> Series = new(() =>
        DicomSeriesReader.Read(ReferenceData.Path("ibsi1", "ct_phantom", "dicom", "image")));

    [Fact]
    public void SeriesEqualsTheNiftiVoxelForVoxel()
    {
        var dicom = Series.Value;
        var nifti = ImageFile.Read(ReferenceData.Path("ibsi1", "ct_phantom", "image.nii.gz"));
        Assert.Empty(dicom.Warnings);
        Assert.Equal((204, 201, 60), (dicom.Volume.Grid.Nx, dicom.Volume.Grid.Ny, dicom.Volume.Grid.Nz));
        Assert.Equal(60, dicom.Series.SliceCount);
        Assert.Equal("CT", dicom.Series.Modality);
        Assert.Equal(nifti.Voxels, dicom.Volume.Voxels);
        // Every voxel centre at the same physical position within 1e-3 mm: compare the corners of the grid.
        foreach (var (i, j, k) in new[] { (0, 0, 0), (203, 0, 0), (0, 200, 0), (0, 0, 59), (203, 200, 59) })
            Assert.True(nifti.Grid.IndexToPhysical(i, j, k).ApproximatelyEquals(dicom.Volume.Grid.IndexToPhysical(i, j, k), 1e-3),
                $"voxel ({i},{j},{k}): NIfTI {nifti.Grid.IndexToPhysical(i, j, k)} vs DICOM {dicom.Volume.Grid.IndexToPhysical(i, j, k)}");
        Assert.Equal(3.0, dicom.Volume.Grid.Spacing.Z, 9);
        Assert.Equal(-100.4, dicom.Volume.Grid.Origin.Z, 5); // the files hold -100.40000152587 (a float32 written as DS)
        Assert.Equal(PixelType.Int16, dicom.Volume.StoredType);
    }

    [Fact]
    public void RtStructGtvRasterisesToTheNiftiMaskUpToItsBoundary()
    {
        var rt = RtStruct.Read(ReferenceData.Path("ibsi1", "ct_phantom", "dicom", "mask", "DCM_RS_00060.dcm"));
        Assert.Equal("GTV-1", Assert.Single(rt.Rois).Name);
        Assert.Contains(Series.Value.Series.SeriesInstanceUid, rt.ReferencedSeriesUids);
        var result = rt.Rasterise("GTV-1", Series.Value);
        Assert.Empty(result.Warnings);
        var reference = ImageFile.ReadLabels(ReferenceData.Path("ibsi1", "ct_phantom", "mask.nii.gz"));
        Assert.True(reference.Grid.Matches(result.Mask.Grid, 1e-3));

        var grid = reference.Grid;
        int both = 0, ours = 0, theirs = 0, offBoundary = 0;
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                {
                    int n = grid.Index(i, j, k);
                    bool a = result.Mask.Labels[n] != 0, b = reference.Labels[n] != 0;
                    if (a && b) both++;
                    else if (a) ours++;
                    else if (b) theirs++;
                    if (a != b && !OnBoundary(reference, i, j, k)) offBoundary++;
                }
        double dice = 2.0 * both / (2.0 * both + ours + theirs);
        output.WriteLine($"GTV-1: {both + ours} voxels rasterised, {both + theirs} in the NIfTI mask, {ours} only ours, {theirs} only theirs, Dice {dice:F5}");
        Assert.Equal(125256, both + theirs);
        Assert.True(dice >= 0.98, $"Dice {dice}");
        Assert.Equal(0, offBoundary);
    }

    /// <summary>A voxel with a 6-neighbour of the other class in the reference mask.</summary>
    private static bool OnBoundary(LabelVolume mask, int i, int j, int k)
    {
        var g = mask.Grid;
        bool inside = mask.Labels[g.Index(i, j, k)] != 0;
        foreach (var (di, dj, dk) in new[] { (1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1) })
        {
            int a = i + di, b = j + dj, c = k + dk;
            if (g.Contains(a, b, c) && (mask.Labels[g.Index(a, b, c)] != 0) != inside) return true;
        }
        return false;
    }
}
