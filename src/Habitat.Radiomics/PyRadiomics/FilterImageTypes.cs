using System.Globalization;
using Habitat.Imaging;
using Habitat.Imaging.Filters;
using Habitat.Imaging.Processing;
using static Habitat.Radiomics.PyRadiomics.RegionOf;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>For image types whose filter runs on the whole image: the region the features read.</summary>
internal static class RegionOf
{
    /// <summary>The region's voxels of a whole-image result.</summary>
    public static Volume Cropped(Volume image, Box region) => new(region.SubGrid(image.Grid), region.Extract(image.Grid, image.Voxels), image.StoredType);
}

/// <summary>PyRadiomics' <c>LoG</c> image type: one image per σ (mm) that fits the image, named
/// <c>log-sigma-{σ}-mm-3D</c> with σ printed as Python prints a float (2.0 → "2-0").</summary>
internal sealed class LoGImageType : IImageType
{
    public string Name => "LoG";

    public IEnumerable<DerivedImage> Derive(Volume image, Box region, PyRadiomicsSettings settings)
    {
        if (settings.Filters.Sigma.Count == 0)
            throw new ArgumentException("image type LoG needs the setting 'sigma' (a list of σ values in mm)");
        foreach (var sigma in settings.Filters.Sigma)
        {
            if (!(sigma > 0)) throw new ArgumentException($"LoG sigma must be positive, got {sigma.ToString(CultureInfo.InvariantCulture)}");
            // PyRadiomics skips (with a warning) a σ too large for the image.
            if (!LaplacianOfGaussian.PyRadiomicsAccepts(image.Grid, sigma)) continue;
            yield return new DerivedImage(LaplacianOfGaussian.PyRadiomicsName(PythonFloat(sigma)), LaplacianOfGaussian.PyRadiomics(image, sigma, region));
        }
    }

    /// <summary>Python's str() of a float: shortest round-trip digits, ".0" kept for whole numbers.</summary>
    static string PythonFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }
}

/// <summary>PyRadiomics' <c>Wavelet</c> image type (settings <c>wavelet</c>, <c>level</c>, <c>start_level</c>;
/// with <c>force2D</c> the <c>force2Ddimension</c> axis is left out).</summary>
internal sealed class WaveletImageType : IImageType
{
    public string Name => "Wavelet";

    public IEnumerable<DerivedImage> Derive(Volume image, Box region, PyRadiomicsSettings settings) =>
        Wavelets.PyRadiomics(image, settings.Filters.Wavelet, settings.Filters.Level, settings.Filters.StartLevel,
                settings.Force2D ? settings.Force2DDimension : null, region)
            .Select(band => new DerivedImage(band.Name, band.Image));
}

/// <summary>PyRadiomics' <c>Gradient</c> image type (setting <c>gradientUseSpacing</c>).</summary>
internal sealed class GradientImageType : IImageType
{
    public string Name => "Gradient";

    public IEnumerable<DerivedImage> Derive(Volume image, Box region, PyRadiomicsSettings settings)
    {
        yield return new DerivedImage("gradient", Cropped(GradientMagnitude.Apply(image, settings.Filters.GradientUseSpacing), region));
    }
}

/// <summary>PyRadiomics' <c>LBP2D</c> image type (settings <c>lbp2DRadius</c>, <c>lbp2DSamples</c>, <c>lbp2DMethod</c>,
/// slices across <c>force2Ddimension</c>).</summary>
internal sealed class Lbp2DImageType : IImageType
{
    public string Name => "LBP2D";

    public IEnumerable<DerivedImage> Derive(Volume image, Box region, PyRadiomicsSettings settings)
    {
        var method = settings.Filters.Lbp2DMethod switch
        {
            "uniform" => LbpMethod.Uniform,
            "default" => LbpMethod.Default,
            var other => throw new NotSupportedException($"lbp2DMethod '{other}' is not supported (supported: uniform, default)"),
        };
        yield return new DerivedImage("lbp-2D", Cropped(LocalBinaryPattern.PyRadiomics2D(image, settings.Filters.Lbp2DRadius,
            settings.Filters.Lbp2DSamples, method, settings.Force2DDimension), region));
    }
}

/// <summary>PyRadiomics' <c>LBP3D</c> image type (settings <c>lbp3DLevels</c>, <c>lbp3DIcosphereRadius</c>,
/// <c>lbp3DIcosphereSubdivision</c>): <c>lbp-3D-m1</c> … <c>lbp-3D-m{levels}</c>, then the kurtosis <c>lbp-3D-k</c>.</summary>
internal sealed class Lbp3DImageType : IImageType
{
    public string Name => "LBP3D";

    public IEnumerable<DerivedImage> Derive(Volume image, Box region, PyRadiomicsSettings settings)
    {
        var filters = settings.Filters;
        var images = LocalBinaryPattern3D.PyRadiomics(image, region, filters.Lbp3DLevels, filters.Lbp3DIcosphereRadius, filters.Lbp3DIcosphereSubdivision);
        for (int n = 0; n < images.Energies.Count; n++)
            yield return new DerivedImage($"lbp-3D-m{n + 1}", images.Energies[n]);
        yield return new DerivedImage("lbp-3D-k", images.Kurtosis);
    }
}
