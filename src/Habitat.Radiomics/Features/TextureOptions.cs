namespace Habitat.Radiomics.Features;

/// <summary>The six IBSI 1 texture matrix families.</summary>
public enum TextureFamily
{
    /// <summary>Grey level co-occurrence matrix (IBSI LFYI).</summary>
    Glcm,
    /// <summary>Grey level run length matrix (IBSI TP0I).</summary>
    Glrlm,
    /// <summary>Grey level size zone matrix (IBSI 9SAK).</summary>
    Glszm,
    /// <summary>Grey level distance zone matrix (IBSI VMDZ).</summary>
    Gldzm,
    /// <summary>Neighbourhood grey tone difference matrix (IBSI IPET).</summary>
    Ngtdm,
    /// <summary>Neighbouring grey level dependence matrix (IBSI REK0).</summary>
    Ngldm,
}

/// <summary>
/// IBSI texture aggregation methods, named exactly as the IBSI reference tables (and <c>reference_values.csv</c>) write them.
/// GLCM and GLRLM use the six directional labels; GLSZM, GLDZM, NGTDM and NGLDM have no directions and use
/// <see cref="TwoD"/>, <see cref="TwoPointFiveD"/> and <see cref="ThreeD"/>.
/// </summary>
public static class TextureAggregation
{
    /// <summary>IBSI BTW3: a value per slice and in-plane direction, averaged.</summary>
    public const string TwoDAveraged = "2D, averaged";
    /// <summary>IBSI SUJT: the in-plane directional matrices of each slice merged; a value per slice, averaged.</summary>
    public const string TwoDSliceMerged = "2D, slice-merged";
    /// <summary>IBSI JJUI: for each in-plane direction the matrices of all slices merged; a value per direction, averaged.</summary>
    public const string TwoPointFiveDDirectionMerged = "2.5D, direction-merged";
    /// <summary>IBSI ZW7Z: all in-plane matrices of all slices merged into one.</summary>
    public const string TwoPointFiveDMerged = "2.5D, merged";
    /// <summary>IBSI ITBB: a value per 3-D direction, averaged.</summary>
    public const string ThreeDAveraged = "3D, averaged";
    /// <summary>IBSI IAZD: the 3-D directional matrices merged into one.</summary>
    public const string ThreeDMerged = "3D, merged";
    /// <summary>IBSI 8QNN: a matrix and value per slice, averaged.</summary>
    public const string TwoD = "2D";
    /// <summary>IBSI 62GR: the per-slice matrices merged into one.</summary>
    public const string TwoPointFiveD = "2.5D";
    /// <summary>IBSI KOBO: one volumetric matrix.</summary>
    public const string ThreeD = "3D";

    /// <summary>Every label, directional families' first.</summary>
    public static IReadOnlyList<string> All { get; } =
        [TwoDAveraged, TwoDSliceMerged, TwoPointFiveDDirectionMerged, TwoPointFiveDMerged, ThreeDAveraged, ThreeDMerged, TwoD, TwoPointFiveD, ThreeD];

    /// <summary>The volumetric labels (what IBSI configurations C–E report).</summary>
    public static IReadOnlyList<string> Volumetric { get; } = [ThreeDAveraged, ThreeDMerged, ThreeD];

    /// <summary>The slice-wise labels (what IBSI configurations A and B report).</summary>
    public static IReadOnlyList<string> Planar { get; } =
        [TwoDAveraged, TwoDSliceMerged, TwoPointFiveDDirectionMerged, TwoPointFiveDMerged, TwoD, TwoPointFiveD];

    /// <summary>Labels of the families with directional matrices (GLCM, GLRLM), in output order.</summary>
    internal static IReadOnlyList<string> Directional { get; } =
        [TwoDAveraged, TwoDSliceMerged, TwoPointFiveDDirectionMerged, TwoPointFiveDMerged, ThreeDAveraged, ThreeDMerged];

    /// <summary>Labels of the families without directions (GLSZM, GLDZM, NGTDM, NGLDM), in output order.</summary>
    internal static IReadOnlyList<string> NonDirectional { get; } = [TwoD, TwoPointFiveD, ThreeD];

    public static bool IsKnown(string label) => All.Contains(label, StringComparer.Ordinal);
}

/// <summary>
/// What the texture families compute. Immutable; every value is validated when it is set, so an instance is always valid.
/// </summary>
public sealed record TextureOptions
{
    /// <summary>All six families, every aggregation, Chebyshev distance 1, coarseness 0, symmetric GLCM (the IBSI settings).</summary>
    public static TextureOptions Default { get; } = new();

    /// <summary>Largest accepted neighbourhood distance: a Chebyshev ball of 33×33×33 voxels.</summary>
    public const int MaxDistance = 16;

    private readonly IReadOnlyList<TextureFamily> _families = Enum.GetValues<TextureFamily>();
    private readonly IReadOnlyList<string> _aggregations = TextureAggregation.All;
    private readonly int _distance = 1;
    private readonly int _ngldmCoarseness;

    /// <summary>Families to compute (default: all six). Must be non-empty, without repeats.</summary>
    public IReadOnlyList<TextureFamily> Families
    {
        get => _families;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Families));
            if (value.Count == 0) throw new ArgumentException("at least one texture family must be selected", nameof(Families));
            foreach (var family in value)
                if (!Enum.IsDefined(family)) throw new ArgumentException($"unknown texture family {family}", nameof(Families));
            if (value.Distinct().Count() != value.Count) throw new ArgumentException("a texture family is listed twice", nameof(Families));
            _families = value.ToArray();
        }
    }

    /// <summary>
    /// IBSI aggregation labels to compute (default: all). Each family computes the labels that apply to it, e.g. GLCM
    /// ignores <c>3D</c> and GLSZM ignores <c>3D, merged</c>. Must be non-empty, known labels, without repeats.
    /// </summary>
    public IReadOnlyList<string> Aggregations
    {
        get => _aggregations;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Aggregations));
            if (value.Count == 0) throw new ArgumentException("at least one aggregation method must be selected", nameof(Aggregations));
            foreach (var label in value)
                if (!TextureAggregation.IsKnown(label))
                    throw new ArgumentException(
                        $"unknown aggregation method '{label}'; valid ones are: {string.Join("; ", TextureAggregation.All.Select(l => $"'{l}'"))}",
                        nameof(Aggregations));
            if (value.Distinct(StringComparer.Ordinal).Count() != value.Count)
                throw new ArgumentException("an aggregation method is listed twice", nameof(Aggregations));
            _aggregations = value.ToArray();
        }
    }

    /// <summary>
    /// Chebyshev distance δ (default 1): the GLCM direction vectors are scaled by δ, and the NGTDM and NGLDM
    /// neighbourhoods are all voxels within Chebyshev distance δ. Zone linkage (GLSZM, GLDZM) and runs (GLRLM)
    /// always use adjacent voxels, as IBSI defines them.
    /// </summary>
    public int Distance
    {
        get => _distance;
        init
        {
            if (value < 1 || value > MaxDistance)
                throw new ArgumentOutOfRangeException(nameof(Distance), value, $"the neighbourhood distance must be between 1 and {MaxDistance}");
            _distance = value;
        }
    }

    /// <summary>NGLDM coarseness parameter α (default 0): neighbours are dependent when their grey levels differ by at most α.</summary>
    public int NgldmCoarseness
    {
        get => _ngldmCoarseness;
        init
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(NgldmCoarseness), value, "the NGLDM coarseness must not be negative");
            _ngldmCoarseness = value;
        }
    }

    /// <summary>Whether each GLCM counts both m and −m (IBSI default, true) or only m.</summary>
    public bool SymmetricGlcm { get; init; } = true;

    public bool Computes(TextureFamily family) => _families.Contains(family);

    public bool Computes(string aggregation) => _aggregations.Contains(aggregation, StringComparer.Ordinal);
}
