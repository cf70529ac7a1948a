using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.Settings;

/// <summary>
/// Everything that decides an IBSI feature extraction: the processing chain, the discretisations and which families
/// to compute. Immutable; built from a settings file by <see cref="SettingsLoader"/>, which validates every value.
/// </summary>
public sealed record IbsiSettings
{
    /// <summary>Round intensities to the nearest integer after loading (IBSI: CT images are integer-valued HU).</summary>
    public bool RoundOnLoad { get; init; }
    public InterpolationSettings? Interpolation { get; init; }
    public ResegmentationSettings Resegmentation { get; init; } = new();
    public DiscretisationSettings Discretisation { get; init; } = new(DiscretisationMethod.FixedBinNumber, BinWidth: null, BinCount: 32);
    public IvhSettings Ivh { get; init; } = new(IvhMethod.None, BinWidth: null, BinCount: null);
    public TextureSettings Texture { get; init; } = TextureSettings.Default;
    /// <summary>Feature families to compute, as named in <see cref="FeatureFamilies.All"/>.</summary>
    public IReadOnlyList<string> Families { get; init; } = FeatureFamilies.All;
    /// <summary>CoLlAGe summaries (<c>collage.theta.entropy.median</c>, …) are computed when set (settings key <c>collage</c>).</summary>
    public Maps.CollageSettings? Collage { get; init; }
    /// <summary>Study-level habitat extraction settings (settings key <c>habitat</c>); defaults when absent.</summary>
    public Habitat.HabitatSettings? Habitat { get; init; }
}

/// <summary>Interpolation to a new voxel spacing (IBSI "align grid centers").</summary>
/// <param name="SpacingMm">New spacing along x, y (and z); with <paramref name="InPlaneOnly"/> only x and y are given and slices are kept.</param>
/// <param name="InPlaneOnly">Interpolate within each slice only (IBSI 2-D configurations).</param>
/// <param name="ImageMethod">How image intensities are interpolated.</param>
/// <param name="RoundIntensities">Round interpolated intensities to the nearest integer.</param>
/// <param name="MaskMethod">How the ROI mask is interpolated before binarisation.</param>
/// <param name="PartialVolumeThreshold">Interpolated mask values at or above this are inside the ROI.</param>
public sealed record InterpolationSettings(
    IReadOnlyList<double> SpacingMm, bool InPlaneOnly, InterpolationMethod ImageMethod, bool RoundIntensities,
    InterpolationMethod MaskMethod, double PartialVolumeThreshold);

/// <summary>Re-segmentation of the intensity mask; both filters may be active (a voxel must pass both).</summary>
/// <param name="RangeMin">Lower bound of the kept intensity range (inclusive), or null.</param>
/// <param name="RangeMax">Upper bound (inclusive), or null.</param>
/// <param name="OutlierSigma">Keep voxels within mean ± this many standard deviations of the ROI, or null for no outlier filter.</param>
public sealed record ResegmentationSettings(double? RangeMin = null, double? RangeMax = null, double? OutlierSigma = null);

public enum DiscretisationMethod { FixedBinNumber, FixedBinSize }

/// <summary>Discretisation for the intensity histogram and texture families.</summary>
public sealed record DiscretisationSettings(DiscretisationMethod Method, double? BinWidth, int? BinCount);

public enum IvhMethod
{
    /// <summary>Intensities used as they are (calibrated, discrete: CT HU).</summary>
    None,
    /// <summary>Fixed bin size; each voxel takes its bin centre (calibrated, continuous intensities).</summary>
    FixedBinSize,
    /// <summary>Fixed bin number; the bin numbers are the intensities (arbitrary units).</summary>
    FixedBinNumber,
}

/// <summary>Discretisation for the intensity-volume histogram.</summary>
public sealed record IvhSettings(IvhMethod Method, double? BinWidth, int? BinCount);

/// <summary>Texture matrix options.</summary>
/// <param name="Distance">Chebyshev neighbour distance of GLCM, NGTDM and NGLDM.</param>
/// <param name="Aggregations">Aggregation methods to compute, labelled as IBSI's reference tables write them; empty = all that apply.</param>
/// <param name="NgldmCoarseness">NGLDM coarseness parameter alpha.</param>
public sealed record TextureSettings(int Distance, IReadOnlyList<string> Aggregations, int NgldmCoarseness)
{
    public static readonly TextureSettings Default = new(1, [], 0);
}

/// <summary>Names of the IBSI feature families as the settings files and the reference table write them.</summary>
public static class FeatureFamilies
{
    public const string Morphology = "morphology";
    public const string LocalIntensity = "local_intensity";
    public const string IntensityStatistics = "intensity_statistics";
    public const string IntensityHistogram = "intensity_histogram";
    public const string IntensityVolumeHistogram = "intensity_volume_histogram";
    public const string Glcm = "glcm";
    public const string Glrlm = "glrlm";
    public const string Glszm = "glszm";
    public const string Gldzm = "gldzm";
    public const string Ngtdm = "ngtdm";
    public const string Ngldm = "ngldm";

    public static readonly IReadOnlyList<string> Texture = [Glcm, Glrlm, Glszm, Gldzm, Ngtdm, Ngldm];

    public static readonly IReadOnlyList<string> All =
        [Morphology, LocalIntensity, IntensityStatistics, IntensityHistogram, IntensityVolumeHistogram, .. Texture];

    /// <summary>Aggregation labels of the texture families (IBSI reference-table spelling).</summary>
    public static readonly IReadOnlyList<string> Aggregations =
        ["2D, averaged", "2D, slice-merged", "2.5D, direction-merged", "2.5D, merged", "3D, averaged", "3D, merged", "2D", "2.5D", "3D"];
}
