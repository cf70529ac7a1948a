using System.Numerics.Tensors;
using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>An image derived from the input by an image type, named as PyRadiomics prefixes its features
/// (<c>original</c>, <c>square</c>, <c>log-sigma-2-0-mm-3D</c>, <c>wavelet-LLH</c>, …); it covers the requested region only.</summary>
public sealed record DerivedImage(string Name, Volume Image);

/// <summary>
/// One PyRadiomics image type (<c>imageType</c> section key): derives zero or more images from the preprocessed
/// image (already resampled as PyRadiomics does). Features only read the ROI's bounding box + padDistance, so an
/// image type returns its images on that region's grid, with the values the whole-image filter gives there (filtering
/// only the region plus the margin the filter needs). Filters plug in by implementing this and adding one line to
/// <see cref="ImageTypeCatalog"/>.
/// </summary>
public interface IImageType
{
    /// <summary>The <c>imageType</c> key, e.g. <c>LoG</c>.</summary>
    string Name { get; }

    IEnumerable<DerivedImage> Derive(Volume image, Box region, PyRadiomicsSettings settings);
}

/// <summary>The image types a parameter file may enable.</summary>
public static class ImageTypeCatalog
{
    private static readonly IImageType[] Types =
    [
        new SimpleImageType("Original", "original", null),
        new SimpleImageType("Square", "square", SimpleImageType.Square),
        new SimpleImageType("SquareRoot", "squareroot", SimpleImageType.SquareRoot),
        new SimpleImageType("Logarithm", "logarithm", SimpleImageType.Logarithm),
        new SimpleImageType("Exponential", "exponential", SimpleImageType.Exponential),
        new LoGImageType(),
        new WaveletImageType(),
        new GradientImageType(),
        new Lbp2DImageType(),
        new Lbp3DImageType(),
    ];

    public static IEnumerable<string> Names => Types.Select(t => t.Name);

    public static IImageType Get(string name) =>
        Types.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"unknown image type '{name}'; known: {string.Join(", ", Names)}", nameof(name));
}

/// <summary>
/// PyRadiomics' voxel-wise image types, scaled as PyRadiomics scales them so that the result keeps the input's range
/// (m = max |x| over the whole image): square (x/√m)², square root sign(x)√(|x| m), logarithm sign(x) ln(|x| + 1)
/// rescaled to the maximum m, exponential exp(x ln(m)/m).
/// </summary>
internal sealed class SimpleImageType(string name, string prefix, Action<double[], double>? transform) : IImageType
{
    public string Name => name;

    public IEnumerable<DerivedImage> Derive(Volume image, Box region, PyRadiomicsSettings settings)
    {
        var grid = region.SubGrid(image.Grid);
        var cropped = region.Extract(image.Grid, image.Voxels);
        if (transform is null)
        {
            yield return new DerivedImage(prefix, new Volume(grid, cropped, image.StoredType));
            yield break;
        }
        var values = new double[cropped.Length];
        for (int n = 0; n < values.Length; n++) values[n] = cropped[n];
        transform(values, MaxAbs(image.Voxels));
        var voxels = new float[values.Length];
        for (int n = 0; n < values.Length; n++) voxels[n] = (float)values[n];
        yield return new DerivedImage(prefix, new Volume(grid, voxels));
    }

    private static double MaxAbs(ReadOnlySpan<float> x) => x.IsEmpty ? 0 : Math.Abs((double)TensorPrimitives.MaxMagnitude(x));

    /// <param name="x">The region's values, transformed in place.</param>
    /// <param name="max">m = max |x| over the whole image.</param>
    public static void Square(double[] x, double max)
    {
        double coefficient = 1 / Math.Sqrt(max);
        for (int n = 0; n < x.Length; n++) x[n] = (coefficient * x[n]) * (coefficient * x[n]);
    }

    public static void SquareRoot(double[] x, double max)
    {
        for (int n = 0; n < x.Length; n++) x[n] = Math.Sign(x[n]) * Math.Sqrt(Math.Abs(x[n]) * max);
    }

    /// <summary>sign(x) ln(|x| + 1) scaled by m / ln(m + 1), the maximum of ln(|x| + 1) over the whole image.</summary>
    public static void Logarithm(double[] x, double max)
    {
        for (int n = 0; n < x.Length; n++) x[n] = Math.Sign(x[n]) * Math.Log(Math.Abs(x[n]) + 1);
        double scale = max / Math.Log(max + 1);
        for (int n = 0; n < x.Length; n++) x[n] *= scale;
    }

    public static void Exponential(double[] x, double max)
    {
        double coefficient = Math.Log(max) / max;
        for (int n = 0; n < x.Length; n++) x[n] = Math.Exp(coefficient * x[n]);
    }
}
