using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>How the sites acquire FLAIR.</summary>
public enum AcquisitionProfile
{
    /// <summary>Every sequence 3-D at the grid spacing.</summary>
    Research,
    /// <summary>Half of the sites (the second, fourth, …) acquire FLAIR as 2-D slices 4–6 mm thick, resampled onto the T1c grid.</summary>
    Clinical,
}

/// <summary>What <c>habitat synth</c> generates. Validated on construction.</summary>
public sealed record SynthesisSettings
{
    public static readonly IReadOnlyList<string> KnownSequences = ["T1c", "FLAIR", "T2", "T1"];

    public int Cases { get; }
    public int Sites { get; }
    public ulong Seed { get; }
    /// <summary>Voxel spacing of the shared grid (mm).</summary>
    public Vec3 Spacing { get; }
    /// <summary>Field of view (mm): a slab through the head centred near the lesion.</summary>
    public Vec3 FieldOfView { get; }
    public AcquisitionProfile Profile { get; }
    /// <summary>Site and class dependent (recurrence prevalence rising with the site number) instead of independent.</summary>
    public bool Confounded { get; }
    /// <summary>Sequences written; T1c and FLAIR always.</summary>
    public IReadOnlyList<string> Sequences { get; }
    /// <summary>Probability that a patient's lesion is a recurrence (when not confounded).</summary>
    public double RecurrencePrevalence { get; }

    public static readonly Vec3 DefaultFieldOfView = new(160, 192, 96);

    public SynthesisSettings(int cases, int sites, ulong seed, Vec3? spacing = null, Vec3? fieldOfView = null,
        AcquisitionProfile profile = AcquisitionProfile.Research, bool confounded = false,
        IReadOnlyList<string>? sequences = null, double recurrencePrevalence = 0.5)
    {
        var s = spacing ?? Vec3.One;
        var fov = fieldOfView ?? DefaultFieldOfView;
        if (cases < 1 || cases > 100_000) throw new ArgumentOutOfRangeException(nameof(cases), $"number of cases must be 1–100000, got {cases}");
        if (sites < 1 || sites > 100) throw new ArgumentOutOfRangeException(nameof(sites), $"number of sites must be 1–100, got {sites}");
        if (!(s.X >= 0.3 && s.Y >= 0.3 && s.Z >= 0.3 && s.X <= 5 && s.Y <= 5 && s.Z <= 5))
            throw new ArgumentOutOfRangeException(nameof(spacing), $"voxel spacing must be 0.3–5 mm per axis, got {s}");
        if (!(fov.X >= 64 && fov.Y >= 64 && fov.Z >= 48 && fov.X <= 300 && fov.Y <= 300 && fov.Z <= 300))
            throw new ArgumentOutOfRangeException(nameof(fieldOfView), $"field of view must be 64–300 mm in-plane and 48–300 mm through-plane, got {fov}");
        if (!(recurrencePrevalence > 0 && recurrencePrevalence < 1))
            throw new ArgumentOutOfRangeException(nameof(recurrencePrevalence), $"recurrence prevalence must lie strictly between 0 and 1, got {recurrencePrevalence}");
        var seq = sequences ?? ["T1c", "FLAIR"];
        foreach (var name in seq)
            if (!KnownSequences.Contains(name))
                throw new ArgumentException($"unknown sequence '{name}' (known: {string.Join(", ", KnownSequences)})", nameof(sequences));
        if (!seq.Contains("T1c") || !seq.Contains("FLAIR") || seq.Distinct().Count() != seq.Count)
            throw new ArgumentException("sequences must include T1c and FLAIR, each sequence once", nameof(sequences));
        Cases = cases; Sites = sites; Seed = seed; Spacing = s; FieldOfView = fov;
        Profile = profile; Confounded = confounded; Sequences = seq; RecurrencePrevalence = recurrencePrevalence;
    }

    /// <summary>The shared grid of every case: LPS axes, centred on the origin.</summary>
    public Grid CreateGrid()
    {
        int nx = (int)Math.Round(FieldOfView.X / Spacing.X), ny = (int)Math.Round(FieldOfView.Y / Spacing.Y), nz = (int)Math.Round(FieldOfView.Z / Spacing.Z);
        var origin = new Vec3(-(nx - 1) * Spacing.X / 2, -(ny - 1) * Spacing.Y / 2, -(nz - 1) * Spacing.Z / 2);
        return Grid.Create(nx, ny, nz, Spacing, origin);
    }
}
