namespace Habitat.Imaging.Filters;

/// <summary>
/// Gradient magnitude as SimpleITK's GradientMagnitudeImageFilter computes it (PyRadiomics' "gradient" image
/// type): central differences (x[i+1] − x[i−1]) / 2h per axis, the edge voxel repeated beyond the border
/// (ITK's zero-flux Neumann condition), h the spacing in mm or 1 when <paramref name="useSpacing"/> is off.
/// </summary>
public static class GradientMagnitude
{
    public static Volume Apply(Volume image, bool useSpacing = true)
    {
        var g = image.Grid;
        double[] spacing = useSpacing ? [g.Spacing.X, g.Spacing.Y, g.Spacing.Z] : [1, 1, 1];
        var sum = new float[image.Voxels.Length];
        for (int axis = 0; axis < 3; axis++)
        {
            float half = (float)(0.5 / spacing[axis]);
            // out[i] = taps[0]·in[i+1] + taps[2]·in[i−1] with the origin on the middle tap.
            var derivative = SeparableConvolution.AlongAxis(image.Voxels, g, axis, Kernel1D.Centred([half, 0f, -half]), BoundaryMode.Nearest);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(derivative, derivative, sum, sum);
        }
        System.Numerics.Tensors.TensorPrimitives.Sqrt(sum, sum);
        return image.WithVoxels(sum, PixelType.Float32);
    }
}
