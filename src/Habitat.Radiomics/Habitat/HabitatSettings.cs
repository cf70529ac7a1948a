namespace Habitat.Radiomics.Habitat;

/// <summary>How each sequence's intensities are standardised before extraction (MRI has no absolute unit).</summary>
public enum NormalisationMethod
{
    /// <summary>z-score over the brain mask.</summary>
    ZScoreBrain,
    /// <summary>z-score over normal-appearing brain: the brain mask minus every habitat label.</summary>
    ZScoreNormalAppearing,
    /// <summary>WhiteStripe-style: z-score over the normal-appearing white-matter stripe around the histogram's white-matter peak.</summary>
    WhiteStripe,
    /// <summary>Nyúl–Udupa piecewise-linear histogram standardisation with landmarks learned on a training cohort.</summary>
    Nyul,
    /// <summary>Intensities used as read.</summary>
    None,
}

/// <summary>
/// Which habitat labels make each compartment. BraTS: 1 necrotic core, 2 oedema, 3 or 4 enhancing (both variants).
/// Ventricles have no BraTS label: give one (e.g. <c>ventricles: [5]</c>) to get the lesion–ventricle distance.
/// </summary>
public sealed record LabelMapping(IReadOnlyList<int> Enhancing, IReadOnlyList<int> NecroticCore, IReadOnlyList<int> Oedema, IReadOnlyList<int> Ventricles)
{
    public static readonly LabelMapping BraTS = new([3, 4], [1], [2], []);

    /// <summary>The labels of the whole lesion: enhancing ∪ necrotic core.</summary>
    public IReadOnlyList<int> WholeLesion => [.. Enhancing, .. NecroticCore];
}

/// <summary>Curvature estimation (<see cref="Curvature"/>): the mask is smoothed by a Gaussian of
/// <paramref name="SmoothingSigmaVoxels"/> voxels (geometric-mean spacing) before meshing, and the shape operator at each
/// vertex is fitted over the vertices within <paramref name="NeighbourhoodRadiusMm"/>. σ scales with the voxel: it
/// removes the one-voxel staircase while its bias (the 0.5 level moves inward by about σ²/R) vanishes as the voxel
/// shrinks. The radius is fixed in mm: the voxel terraces are about √(2·R·voxel) wide, a few mm, at any practical voxel
/// size (measured errors in docs/habitat.md).</summary>
public sealed record CurvatureSettings(double SmoothingSigmaVoxels, double NeighbourhoodRadiusMm)
{
    public static readonly CurvatureSettings Default = new(1.0, 6.0);
}

/// <summary>
/// The habitat layer's settings (settings key <c>habitat</c>): sequences, labels, shells, normalisation, curvature.
/// </summary>
public sealed record HabitatSettings
{
    /// <summary>Sequences every study must hold (a missing one is an error naming it).</summary>
    public IReadOnlyList<string> Sequences { get; init; } = ["T1c", "FLAIR"];
    /// <summary>Sequences used when present; when absent their features are missing with the reason.</summary>
    public IReadOnlyList<string> OptionalSequences { get; init; } = [];
    public LabelMapping Labels { get; init; } = LabelMapping.BraTS;
    /// <summary>Widths (mm) of consecutive peritumoral shells outside the whole lesion: [5, 5] gives 0–5 and 5–10 mm.</summary>
    public IReadOnlyList<double> ShellWidthsMm { get; init; } = [5, 5];
    public NormalisationMethod Normalisation { get; init; } = NormalisationMethod.ZScoreBrain;
    /// <summary>Nyúl landmarks file (JSON written by <see cref="NyulStandardisation.Save"/>), required for <see cref="NormalisationMethod.Nyul"/>.</summary>
    public string? NyulLandmarks { get; init; }
    /// <summary>Resample every sequence, the habitat map and the brain mask onto the T1c grid instead of refusing other grids.</summary>
    public bool ResampleToT1c { get; init; }
    public CurvatureSettings Curvature { get; init; } = CurvatureSettings.Default;
    /// <summary>Compute the curvature and contour shape features (the slowest part after texture).</summary>
    public bool Shape { get; init; } = true;

    public IEnumerable<string> AllSequences => Sequences.Concat(OptionalSequences);
}
