namespace Habitat.Imaging.Filters;

/// <summary>The LBP codes PyRadiomics can ask scikit-image for.</summary>
public enum LbpMethod
{
    /// <summary>scikit-image "uniform": the number of neighbours ≥ the centre when the circular pattern has at
    /// most two 0/1 changes (counted between consecutive samples, not around the wrap), otherwise P + 1.</summary>
    Uniform,
    /// <summary>scikit-image "default": Σ 2^p over neighbours ≥ the centre.</summary>
    Default,
}

/// <summary>
/// PyRadiomics' "lbp-2D" image type: scikit-image's <c>local_binary_pattern</c> on every slice across
/// <c>force2Ddimension</c> (0 = axial slices, 1 = coronal, 2 = sagittal in PyRadiomics' z, y, x array order).
/// Neighbour p sits at (row, col) offsets (−R sin 2πp/P, R cos 2πp/P), rounded to 5 decimals, sampled by bilinear
/// interpolation with zero outside the slice.
/// </summary>
public static class LocalBinaryPattern
{
    public static Volume PyRadiomics2D(Volume image, double radius = 1, int samples = 8, LbpMethod method = LbpMethod.Uniform, int sliceDimension = 0)
    {
        if (!(radius > 0)) throw new ArgumentOutOfRangeException(nameof(radius), $"lbp2DRadius must be positive, got {radius}");
        if (samples < 1 || samples > 64) throw new ArgumentOutOfRangeException(nameof(samples), $"lbp2DSamples must be 1..64, got {samples}");
        if (sliceDimension is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(sliceDimension), $"force2Ddimension must be 0, 1 or 2, got {sliceDimension}");
        var g = image.Grid;
        // PyRadiomics' array is (z, y, x); swapping axis 0 with force2Ddimension gives these slice (rows, cols).
        var (rowAxis, colAxis, sliceAxis) = sliceDimension switch { 0 => (1, 0, 2), 1 => (2, 0, 1), _ => (1, 2, 0) };
        int[] size = [g.Nx, g.Ny, g.Nz];
        int[] stride = [1, g.Nx, g.Nx * g.Ny];
        int rows = size[rowAxis], cols = size[colAxis];
        var rowOffset = new double[samples];
        var colOffset = new double[samples];
        for (int p = 0; p < samples; p++)
        {
            rowOffset[p] = Math.Round(-radius * Math.Sin(2 * Math.PI * p / samples), 5);
            colOffset[p] = Math.Round(radius * Math.Cos(2 * Math.PI * p / samples), 5);
        }
        var source = image.Voxels;
        var result = new float[source.Length];
        Parallel.For(0, size[sliceAxis], () => new bool[samples], (slice, _, above) =>
        {
            int sliceStart = slice * stride[sliceAxis];
            double At(int r, int c) =>
                (uint)r < (uint)rows && (uint)c < (uint)cols ? source[sliceStart + r * stride[rowAxis] + c * stride[colAxis]] : 0.0;
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    double centre = At(r, c);
                    for (int p = 0; p < samples; p++)
                    {
                        double y = r + rowOffset[p], x = c + colOffset[p];
                        int r0 = (int)Math.Floor(y), c0 = (int)Math.Floor(x), r1 = (int)Math.Ceiling(y), c1 = (int)Math.Ceiling(x);
                        double dr = y - r0, dc = x - c0;
                        double top = (1 - dc) * At(r0, c0) + dc * At(r0, c1);
                        double bottom = (1 - dc) * At(r1, c0) + dc * At(r1, c1);
                        above[p] = (1 - dr) * top + dr * bottom - centre >= 0;
                    }
                    result[sliceStart + r * stride[rowAxis] + c * stride[colAxis]] = Code(above, method);
                }
            return above;
        }, _ => { });
        return image.WithVoxels(result, PixelType.Float32);
    }

    static float Code(bool[] above, LbpMethod method)
    {
        int samples = above.Length;
        if (method == LbpMethod.Default)
        {
            double code = 0;
            for (int p = 0; p < samples; p++) if (above[p]) code += Math.Pow(2, p);
            return (float)code;
        }
        int changes = 0, count = 0;
        for (int p = 0; p < samples - 1; p++) if (above[p] != above[p + 1]) changes++;
        for (int p = 0; p < samples; p++) if (above[p]) count++;
        return changes <= 2 ? count : samples + 1;
    }
}
