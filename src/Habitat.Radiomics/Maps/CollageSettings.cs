namespace Habitat.Radiomics.Maps;

/// <summary>Whether CoLlAGe uses in-plane gradients only (θ) or 3-D gradients (θ and the elevation φ).</summary>
public enum CollageDimension { TwoD, ThreeD }

/// <summary>How orientations are mapped to bins.</summary>
public enum OrientationBinning
{
    /// <summary>Min–max of the angle over the ROI's padded box → bins 0…G−1 by rounding, as the authors' code does
    /// (bins are relative to the case).</summary>
    CaseRange,
    /// <summary>The angle's whole range (θ ∈ [0, π), φ ∈ [−π/2, π/2]) cut into G equal bins: comparable across cases.</summary>
    FixedRange,
}

/// <summary>
/// CoLlAGe settings (Prasanna et al., Sci Rep 2016). Validated on construction.
/// </summary>
public sealed record CollageSettings
{
    /// <summary>k: the dominant orientation of a voxel comes from the gradients of its (2k+1)×(2k+1) in-plane neighbourhood.</summary>
    public int OrientationRadius
    {
        get;
        init => field = value is >= 1 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(OrientationRadius), $"k must be 1…10, got {value}");
    } = 2;

    /// <summary>w: the co-occurrence window around a voxel is (2w+1)×(2w+1) in-plane, centred on it.</summary>
    public int CooccurrenceRadius
    {
        get;
        init => field = value is >= 1 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(CooccurrenceRadius), $"w must be 1…10, got {value}");
    } = 2;

    /// <summary>G: number of orientation bins.</summary>
    public int Bins
    {
        get;
        init => field = value is >= 2 and <= 256 ? value : throw new ArgumentOutOfRangeException(nameof(Bins), $"the number of orientation bins must be 2…256, got {value}");
    } = 64;

    public CollageDimension Dimension { get; init; } = CollageDimension.ThreeD;
    public OrientationBinning Binning { get; init; } = OrientationBinning.CaseRange;
}
