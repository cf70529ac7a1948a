using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Preprocessing;

/// <summary>
/// The IBSI processing chain from an image and its ROI mask to a <see cref="RoiImage"/>: rounding on load,
/// interpolation of image and mask to the aligned grid (mask binarised at the partial-volume threshold: the
/// morphological mask), rounding of interpolated intensities, and re-segmentation (the intensity mask).
/// Work is confined to the ROI's bounding box plus a margin wide enough for the interpolation kernel and for the
/// 1 cm³ sphere of the local intensity features, so the result lives on a crop of the (interpolated) grid.
/// </summary>
public static class RoiPreprocessor
{
    /// <summary>Source samples beyond a cubic spline's 4 taps kept so that the prefilter sees the same neighbourhood as on the whole image (decay 0.268^10 ≈ 2e-6).</summary>
    private const int SplineContext = 10;

    public static RoiImage Process(Volume image, byte[] roiMask, IbsiSettings settings)
    {
        if (roiMask.Length != image.Voxels.Length)
            throw new ArgumentException($"mask holds {roiMask.Length} voxels, image {image.Voxels.Length}", nameof(roiMask));
        var source = image.Grid;
        var roiBox = Box.Bounding(source, roiMask);
        if (roiBox.IsEmpty) throw new EmptyRoiException("the ROI mask holds no voxel");

        Grid grid;
        float[] intensities;
        byte[] morphological;
        if (settings.Interpolation is not { } interpolation)
        {
            var crop = roiBox.Grow(source, Margin(source.Spacing.X), Margin(source.Spacing.Y), Margin(source.Spacing.Z));
            grid = crop.SubGrid(source);
            intensities = crop.Extract(source, image.Voxels);
            if (settings.RoundOnLoad) RoundToIntegers(intensities);
            morphological = crop.Extract(source, roiMask);
        }
        else
        {
            var full = interpolation.InPlaneOnly
                ? AlignedGrid.Create(source, interpolation.SpacingMm[0], interpolation.SpacingMm[1], null)
                : AlignedGrid.Create(source, interpolation.SpacingMm[0], interpolation.SpacingMm[1], interpolation.SpacingMm[2]);
            var targetBox = TargetBox(source, full, roiBox);
            grid = targetBox.SubGrid(full);
            int context = interpolation.ImageMethod == InterpolationMethod.CubicSpline ? 2 + SplineContext : 2;
            var sourceBox = SourceBox(source, grid, context);
            var sourceGrid = sourceBox.SubGrid(source);

            var croppedImage = sourceBox.Extract(source, image.Voxels);
            if (settings.RoundOnLoad) RoundToIntegers(croppedImage);
            intensities = Resampler.Resample(new Volume(sourceGrid, croppedImage), grid, interpolation.ImageMethod).Voxels;
            if (interpolation.RoundIntensities) RoundToIntegers(intensities);

            var croppedMask = sourceBox.Extract(source, roiMask);
            var maskValues = new float[croppedMask.Length];
            for (int n = 0; n < maskValues.Length; n++) maskValues[n] = croppedMask[n] != 0 ? 1f : 0f;
            var interpolatedMask = Resampler.Resample(new Volume(sourceGrid, maskValues), grid, interpolation.MaskMethod).Voxels;
            morphological = Binarise(interpolatedMask, interpolation.PartialVolumeThreshold);
        }

        if (Array.IndexOf(morphological, (byte)1) < 0) throw new EmptyRoiException("the ROI holds no voxel after interpolation");
        var intensityMask = Resegmentation.Apply(intensities, morphological, settings.Resegmentation);
        if (Array.IndexOf(intensityMask, (byte)1) < 0) throw new EmptyRoiException("re-segmentation removed every voxel of the ROI");
        return new RoiImage(grid, intensities, morphological, intensityMask);
    }

    /// <summary>Voxels of margin (at the given spacing) that hold the local-intensity sphere around any ROI voxel.</summary>
    private static int Margin(double spacing) => (int)Math.Ceiling(LocalIntensity.SphereRadiusMm / spacing) + 1;

    /// <summary>
    /// The part of the full interpolated grid that can hold ROI voxels after interpolation (target voxels within one
    /// source voxel of the ROI's bounding box), grown by the local-intensity margin.
    /// </summary>
    private static Box TargetBox(Grid source, Grid target, Box roi)
    {
        var start = source.PhysicalToIndex(target.Origin);
        int[] lo = new int[3], hi = new int[3];
        int[] roiLo = [roi.I0, roi.J0, roi.K0], roiHi = [roi.I1 - 1, roi.J1 - 1, roi.K1 - 1];
        int[] size = [target.Nx, target.Ny, target.Nz];
        for (int axis = 0; axis < 3; axis++)
        {
            double step = target.Spacing[axis] / source.Spacing[axis];
            int margin = Margin(target.Spacing[axis]);
            lo[axis] = Math.Max(0, (int)Math.Floor((roiLo[axis] - 1 - start[axis]) / step) - margin);
            hi[axis] = Math.Min(size[axis], (int)Math.Ceiling((roiHi[axis] + 1 - start[axis]) / step) + margin + 1);
        }
        return new Box(lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]);
    }

    /// <summary>The source voxels an interpolation onto <paramref name="target"/> reads, plus <paramref name="context"/> on each side.</summary>
    private static Box SourceBox(Grid source, Grid target, int context)
    {
        var first = source.PhysicalToIndex(target.Origin);
        var last = source.PhysicalToIndex(target.IndexToPhysical(target.Nx - 1, target.Ny - 1, target.Nz - 1));
        int[] size = [source.Nx, source.Ny, source.Nz];
        int[] lo = new int[3], hi = new int[3];
        for (int axis = 0; axis < 3; axis++)
        {
            double a = Math.Min(first[axis], last[axis]), b = Math.Max(first[axis], last[axis]);
            lo[axis] = Math.Max(0, (int)Math.Floor(a) - context);
            hi[axis] = Math.Min(size[axis], (int)Math.Ceiling(b) + context + 1);
        }
        return new Box(lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]);
    }

    /// <summary>Rounds to the nearest integer, halves to even (as numpy's round, used by the IBSI reference implementations).</summary>
    public static void RoundToIntegers(Span<float> values)
    {
        for (int n = 0; n < values.Length; n++) values[n] = MathF.Round(values[n]);
    }

    /// <summary>1 where the interpolated mask reaches the partial-volume threshold.</summary>
    public static byte[] Binarise(ReadOnlySpan<float> interpolatedMask, double threshold)
    {
        var mask = new byte[interpolatedMask.Length];
        // Interpolated values carry float rounding error; a value within 1e-6 of the threshold counts as reaching it.
        float cut = (float)(threshold - 1e-6);
        for (int n = 0; n < mask.Length; n++) mask[n] = interpolatedMask[n] >= cut ? (byte)1 : (byte)0;
        return mask;
    }
}
