namespace Habitat.Synthesis;

/// <summary>The tissue classes the phantom mixes in each voxel (partial volume = a mixture of these).</summary>
internal enum Tissue
{
    Air, Scalp, Bone, Marrow, Csf, Grey, DeepGrey, White, CavityFluid, Oedema, Enhancing, Necrotic,
}

/// <summary>
/// Signal of each tissue in one sequence, in units of normal white matter on T1c (the spec's table), before the
/// site's scale, bias and noise. One instance per case and sequence: the lesion values are drawn per case.
/// </summary>
internal sealed class SequenceContrast
{
    public const int TissueCount = 12;

    public string Sequence { get; }
    /// <summary>Signal per <see cref="Tissue"/>.</summary>
    public float[] Signal { get; } = new float[TissueCount];
    /// <summary>How strongly the enhancement heterogeneity shows in this sequence (1 on T1c: it is a contrast-agent effect).</summary>
    public float EnhancementTextureWeight { get; }

    private SequenceContrast(string sequence, float enhancementTextureWeight)
    {
        Sequence = sequence;
        EnhancementTextureWeight = enhancementTextureWeight;
    }

    private float this[Tissue t] { set => Signal[(int)t] = value; }

    /// <summary>The contrast of <paramref name="sequence"/> for a case with the given drawn tissue values.</summary>
    public static SequenceContrast For(string sequence, CaseContrast c) => sequence switch
    {
        "T1c" => new SequenceContrast("T1c", 1f)
        {
            [Tissue.Scalp] = 1.35f, [Tissue.Bone] = 0.08f, [Tissue.Marrow] = 0.95f, [Tissue.Csf] = c.T1cCsf,
            [Tissue.Grey] = c.T1cGrey, [Tissue.DeepGrey] = 0.5f * (c.T1cGrey + 1f), [Tissue.White] = 1f,
            [Tissue.CavityFluid] = c.T1cCsf, [Tissue.Oedema] = c.T1cOedema, [Tissue.Enhancing] = c.T1cEnhancing,
            [Tissue.Necrotic] = c.T1cNecrotic,
        },
        "FLAIR" => new SequenceContrast("FLAIR", 0.3f)
        {
            [Tissue.Scalp] = 0.85f, [Tissue.Bone] = 0.06f, [Tissue.Marrow] = 0.7f, [Tissue.Csf] = c.FlairCsf,
            [Tissue.Grey] = c.FlairGrey, [Tissue.DeepGrey] = 0.5f * (c.FlairGrey + 0.6f), [Tissue.White] = 0.6f,
            [Tissue.CavityFluid] = c.FlairCavity, [Tissue.Oedema] = c.FlairOedema, [Tissue.Enhancing] = c.FlairEnhancing,
            [Tissue.Necrotic] = c.FlairNecrotic,
        },
        "T2" => new SequenceContrast("T2", 0.3f)
        {
            [Tissue.Scalp] = 0.9f, [Tissue.Bone] = 0.06f, [Tissue.Marrow] = 0.7f, [Tissue.Csf] = 1.8f,
            [Tissue.Grey] = 0.75f, [Tissue.DeepGrey] = 0.65f, [Tissue.White] = 0.5f,
            [Tissue.CavityFluid] = 1.7f, [Tissue.Oedema] = 1.3f, [Tissue.Enhancing] = 0.85f, [Tissue.Necrotic] = 1.2f,
        },
        "T1" => new SequenceContrast("T1", 0.2f)
        {
            [Tissue.Scalp] = 1.35f, [Tissue.Bone] = 0.08f, [Tissue.Marrow] = 0.95f, [Tissue.Csf] = c.T1cCsf,
            [Tissue.Grey] = c.T1cGrey, [Tissue.DeepGrey] = 0.5f * (c.T1cGrey + 1f), [Tissue.White] = 1f,
            [Tissue.CavityFluid] = c.T1cCsf, [Tissue.Oedema] = c.T1cOedema, [Tissue.Enhancing] = 0.8f,
            [Tissue.Necrotic] = c.T1cNecrotic,
        },
        _ => throw new ArgumentException($"unknown sequence '{sequence}'", nameof(sequence)),
    };
}

/// <summary>The per-case tissue values drawn from the spec's ranges (relative to white matter on T1c).</summary>
internal sealed record CaseContrast(
    float T1cGrey, float T1cCsf, float T1cOedema, float T1cEnhancing, float T1cNecrotic,
    float FlairGrey, float FlairCsf, float FlairCavity, float FlairOedema, float FlairEnhancing, float FlairNecrotic)
{
    public static CaseContrast Draw(SynthRandom rng) => new(
        T1cGrey: (float)rng.Uniform(0.75, 0.80),
        T1cCsf: (float)rng.Uniform(0.20, 0.30),
        T1cOedema: (float)rng.Uniform(0.80, 0.90),
        T1cEnhancing: (float)rng.Uniform(1.30, 1.90),
        T1cNecrotic: (float)rng.Uniform(0.30, 0.50),
        FlairGrey: (float)rng.Uniform(0.75, 0.85),
        FlairCsf: (float)rng.Uniform(0.05, 0.15),
        FlairCavity: (float)rng.Uniform(0.05, 0.15),
        FlairOedema: (float)rng.Uniform(1.20, 1.60),
        FlairEnhancing: (float)rng.Uniform(0.90, 1.20),
        FlairNecrotic: (float)rng.Uniform(0.50, 1.30));
}
