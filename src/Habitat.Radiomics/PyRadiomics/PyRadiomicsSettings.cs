namespace Habitat.Radiomics.PyRadiomics;

/// <summary>How <c>resegmentRange</c> is read (PyRadiomics <c>resegmentMode</c>).</summary>
public enum ResegmentMode
{
    /// <summary>The range is in intensity units.</summary>
    Absolute,
    /// <summary>The range is a fraction of the ROI's maximum intensity.</summary>
    Relative,
    /// <summary>The range is in standard deviations around the ROI's mean.</summary>
    Sigma,
}

/// <summary>How GLCM/GLRLM directional matrices are combined (PyRadiomics <c>weightingNorm</c>).</summary>
public enum WeightingNorm
{
    /// <summary>Features per direction, averaged (PyRadiomics' default, <c>weightingNorm: null</c>).</summary>
    None,
    /// <summary>Directional matrices summed before the features (<c>no_weighting</c>).</summary>
    NoWeighting,
    Manhattan,
    Euclidean,
    Infinity,
}

/// <summary>Interpolators PyRadiomics accepts by name (SimpleITK's).</summary>
public enum PyInterpolator { BSpline, Linear, NearestNeighbor }

/// <summary>
/// The <c>setting</c> section of a PyRadiomics parameter file (with PyRadiomics' defaults), immutable and validated by
/// <see cref="PyRadiomicsParameters"/>. An image type's own section overrides these values for that image type.
/// </summary>
public sealed record PyRadiomicsSettings
{
    public int MinimumRoiDimensions { get; init; } = 2;
    public int? MinimumRoiSize { get; init; }
    public bool Normalize { get; init; }
    public double NormalizeScale { get; init; } = 1;
    public double? RemoveOutliers { get; init; }
    /// <summary>New spacing (mm) per axis x, y, z; 0 keeps the axis' spacing. Null: no resampling.</summary>
    public IReadOnlyList<double>? ResampledPixelSpacing { get; init; }
    public PyInterpolator Interpolator { get; init; } = PyInterpolator.BSpline;
    public bool PreCrop { get; init; }
    public int PadDistance { get; init; } = 5;
    public IReadOnlyList<int> Distances { get; init; } = [1];
    public bool Force2D { get; init; }
    /// <summary>0: axial (slices are x-y planes), 1: coronal, 2: sagittal, as PyRadiomics numbers them.</summary>
    public int Force2DDimension { get; init; }
    /// <summary>One bound (lower) or two (lower, upper); null: no re-segmentation.</summary>
    public IReadOnlyList<double>? ResegmentRange { get; init; }
    public ResegmentMode ResegmentMode { get; init; } = ResegmentMode.Absolute;
    public bool ResegmentShape { get; init; }
    public int Label { get; init; } = 1;
    public int LabelChannel { get; init; }
    public bool AdditionalInfo { get; init; } = true;
    public double BinWidth { get; init; } = 25;
    public int? BinCount { get; init; }
    public double VoxelArrayShift { get; init; }
    public bool SymmetricalGlcm { get; init; } = true;
    public WeightingNorm WeightingNorm { get; init; } = WeightingNorm.None;
    public int GldmA { get; init; }
    public double? GeometryTolerance { get; init; }
    public bool CorrectMask { get; init; }
    /// <summary>Settings of the filtered image types (LoG, Wavelet, LBP, Gradient).</summary>
    public FilterSettings Filters { get; init; } = new();

    /// <summary>The settings as PyRadiomics' <c>diagnostics_Configuration_Settings</c> prints them (a Python dict).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> AsPythonDictionary() =>
    [
        new("minimumROIDimensions", MinimumRoiDimensions), new("minimumROISize", MinimumRoiSize),
        new("normalize", Normalize), new("normalizeScale", NormalizeScale), new("removeOutliers", RemoveOutliers),
        new("resampledPixelSpacing", ResampledPixelSpacing), new("interpolator", "sitk" + Interpolator),
        new("preCrop", PreCrop), new("padDistance", PadDistance), new("distances", Distances),
        new("force2D", Force2D), new("force2Ddimension", Force2DDimension), new("resegmentRange", ResegmentRange),
        new("resegmentMode", ResegmentMode.ToString().ToLowerInvariant()), new("resegmentShape", ResegmentShape),
        new("label", Label), new("additionalInfo", AdditionalInfo), new("binWidth", BinWidth), new("binCount", BinCount),
        new("voxelArrayShift", VoxelArrayShift), new("symmetricalGLCM", SymmetricalGlcm),
        new("weightingNorm", WeightingNorm == WeightingNorm.None ? null : PyRadiomicsParameters.WeightingNames.First(p => p.Value == WeightingNorm).Key),
        new("gldm_a", GldmA), new("geometryTolerance", GeometryTolerance), new("correctMask", CorrectMask),
    ];
}

/// <summary>PyRadiomics' settings of the convolutional image types (validated here, used by their filters).</summary>
public sealed record FilterSettings
{
    /// <summary>LoG σ values (mm).</summary>
    public IReadOnlyList<double> Sigma { get; init; } = [];
    public string Wavelet { get; init; } = "coif1";
    public int StartLevel { get; init; }
    public int Level { get; init; } = 1;
    public double Lbp2DRadius { get; init; } = 1;
    /// <summary>PyRadiomics reads lbp2DSamples with default 8 (its docstring says 9; the code wins).</summary>
    public int Lbp2DSamples { get; init; } = 8;
    public string Lbp2DMethod { get; init; } = "uniform";
    public int Lbp3DLevels { get; init; } = 2;
    public double Lbp3DIcosphereRadius { get; init; } = 1;
    public int Lbp3DIcosphereSubdivision { get; init; } = 1;
    public bool GradientUseSpacing { get; init; } = true;
}
