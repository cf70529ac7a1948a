using System.Reflection;
using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>
/// Renders one synthetic study: the patient's head, a resection cavity, a lesion of the planned class next to it
/// with its oedema, then each sequence through the site's acquisition. Deterministic in the plan's seeds.
/// </summary>
public static class StudyGenerator
{
    private const ulong AnatomyStream = 1, PoseStream = 2, LesionStream = 3, PlacementStream = 4, ContrastStream = 5, AcquisitionStream = 6, CavityStream = 7;

    public static SyntheticStudy Generate(SynthesisSettings settings, SiteProfile site, CasePlan plan)
    {
        var grid = settings.CreateGrid();
        double voxelMm = (grid.Spacing.X + grid.Spacing.Y + grid.Spacing.Z) / 3;
        var patientRng = new SynthRandom(plan.PatientSeed);
        var studyRng = new SynthRandom(plan.StudySeed);

        var anatomy = new HeadAnatomy(patientRng.Fork(AnatomyStream), studyRng.Fork(PoseStream));
        var lesionParameters = LesionParameters.Draw(plan.Recurrence, studyRng.Fork(LesionStream));
        var placement = studyRng.Fork(PlacementStream);
        var (lesionHead, radiusScale) = PlaceLesion(anatomy, lesionParameters, placement);
        lesionParameters = lesionParameters with { RadiusMm = lesionParameters.RadiusMm * radiusScale };
        // Put the lesion near the middle of the slab.
        var lesionOffset = anatomy.Pose * lesionHead;
        anatomy.Centre = new Vec3(anatomy.Centre.X, anatomy.Centre.Y, -lesionOffset.Z + placement.Uniform(-8, 8));
        var lesionCentre = anatomy.ToScanner(lesionHead);
        var (cavityHead, cavityRadius) = PlaceCavity(anatomy, lesionHead, lesionParameters.RadiusMm, placement);

        var lesion = new Lesion(grid, lesionParameters, lesionCentre, voxelMm, studyRng.Fork(LesionStream + 100));
        var cavity = new Cavity(grid, anatomy.ToScanner(cavityHead), cavityRadius, studyRng.Fork(CavityStream));
        var contrast = CaseContrast.Draw(studyRng.Fork(ContrastStream));
        var sequences = settings.Sequences.Select(s => SequenceContrast.For(s, contrast)).ToArray();

        var signals = sequences.Select(_ => new float[grid.Count]).ToArray();
        var habitat = new int[grid.Count];
        var brain = new int[grid.Count];
        Span<float> mix = stackalloc float[SequenceContrast.TissueCount];
        for (int k = 0, n = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++, n++)
                {
                    var p = grid.IndexToPhysical(i, j, k);
                    double depth = anatomy.Fill(p, voxelMm, mix, out float texture);
                    if (mix[(int)Tissue.Air] >= 1) continue;
                    if (depth >= 0) brain[n] = 1;
                    if (cavity.Box.Contains(i, j, k))
                        HeadAnatomy.Paint(mix, Tissue.CavityFluid, cavity.Fraction(p, voxelMm));
                    float oedemaTexture = 0;
                    if (lesion.OedemaBox.Contains(i, j, k))
                    {
                        float strength = lesion.Oedema(p, voxelMm, out oedemaTexture);
                        // Vasogenic oedema spreads through white matter and largely spares the cortex.
                        float fromWhite = strength * mix[(int)Tissue.White];
                        float fromGrey = 0.4f * strength * (mix[(int)Tissue.Grey] + mix[(int)Tissue.DeepGrey]);
                        mix[(int)Tissue.White] -= fromWhite;
                        mix[(int)Tissue.Grey] *= 1 - 0.4f * strength;
                        mix[(int)Tissue.DeepGrey] *= 1 - 0.4f * strength;
                        mix[(int)Tissue.Oedema] += fromWhite + fromGrey;
                    }
                    float heterogeneity = 0, necroticTexture = 0;
                    if (lesion.TryGet(i, j, k, out float lesionFraction, out float enhancingShare, out heterogeneity, out necroticTexture))
                    {
                        float keep = 1 - lesionFraction;
                        for (int t = 0; t < mix.Length; t++) mix[t] *= keep;
                        mix[(int)Tissue.Enhancing] += lesionFraction * enhancingShare;
                        mix[(int)Tissue.Necrotic] += lesionFraction * (1 - enhancingShare);
                    }
                    habitat[n] = HabitatLabel(mix);
                    for (int s = 0; s < sequences.Length; s++)
                        signals[s][n] = Signal(mix, sequences[s], texture, heterogeneity, necroticTexture, oedemaTexture);
                }

        var acquisitionRng = studyRng.Fork(AcquisitionStream);
        double gainJitter = acquisitionRng.LogUniform(0.9, 1.1);
        var images = new Dictionary<string, Volume>(StringComparer.Ordinal);
        for (int s = 0; s < sequences.Length; s++)
        {
            var name = sequences[s].Sequence;
            double gain = gainJitter * (name == "FLAIR" ? site.FlairScale : site.T1cScale);
            double sigma = gain * sequences[s].Signal[(int)Tissue.White] / site.Snr;
            double thickness = name == "FLAIR" ? site.FlairSliceThicknessMm : 0;
            var voxels = Acquisition.Acquire(signals[s], grid, site.ContrastGamma, site.BiasAmplitude, gain, sigma, site.Offset, thickness,
                acquisitionRng.Fork((ulong)s));
            images[name] = new Volume(grid, voxels, PixelType.Int16);
        }

        var habitatVolume = new LabelVolume(grid, habitat);
        var truth = Truth(plan, site, lesionParameters, lesion, cavity, anatomy, contrast, gainJitter, habitatVolume, lesionCentre);
        return new SyntheticStudy(plan, site, images, habitatVolume, new LabelVolume(grid, brain), truth);
    }

    /// <summary>BraTS label of the voxel's majority: lesion (enhancing or core, whichever dominates), else oedema.</summary>
    private static int HabitatLabel(ReadOnlySpan<float> mix)
    {
        float enhancing = mix[(int)Tissue.Enhancing], necrotic = mix[(int)Tissue.Necrotic];
        if (enhancing + necrotic >= 0.5f) return enhancing >= necrotic ? SyntheticStudy.Enhancing : SyntheticStudy.NecroticCore;
        return mix[(int)Tissue.Oedema] >= 0.5f ? SyntheticStudy.Oedema : 0;
    }

    private static float Signal(ReadOnlySpan<float> mix, SequenceContrast contrast, float texture, float heterogeneity, float necroticTexture, float oedemaTexture)
    {
        var c = contrast.Signal;
        float sum = 0;
        for (int t = 0; t < mix.Length; t++) sum += mix[t] * c[t];
        // Texture modulations, each relative to its own tissue's signal.
        sum += texture * (mix[(int)Tissue.Grey] * c[(int)Tissue.Grey] + mix[(int)Tissue.DeepGrey] * c[(int)Tissue.DeepGrey] + mix[(int)Tissue.White] * c[(int)Tissue.White]);
        sum += heterogeneity * contrast.EnhancementTextureWeight * mix[(int)Tissue.Enhancing] * c[(int)Tissue.Enhancing];
        sum += necroticTexture * mix[(int)Tissue.Necrotic] * c[(int)Tissue.Necrotic];
        sum += oedemaTexture * mix[(int)Tissue.Oedema] * c[(int)Tissue.Oedema];
        return sum;
    }

    /// <summary>
    /// A head-frame lesion centre in a hemisphere's white matter, deep enough that the whole lesion stays below the
    /// cortex; shrinks the lesion (returned scale) if no position fits after many tries.
    /// </summary>
    private static (Vec3 Centre, double RadiusScale) PlaceLesion(HeadAnatomy anatomy, LesionParameters lp, SynthRandom rng)
    {
        double maxAxis = Math.Max(lp.AxisA, Math.Max(lp.AxisB, lp.AxisC));
        double margin = 3 * Math.Max(lp.NecrosisMarginAmplitudeMm, lp.TumourMarginAmplitudeMm) + 2 * lp.LobulationMm + 2;
        for (double scale = 1; ; scale *= 0.9)
            for (int attempt = 0; attempt < 60; attempt++)
            {
                double side = rng.Chance(0.5) ? 1 : -1;
                var q = new Vec3(side * rng.Uniform(14, 38), rng.Uniform(-45, 40), rng.Uniform(-5, 28));
                double needed = scale * lp.RadiusMm * maxAxis + margin;
                if (anatomy.IntracranialDepth(q) - anatomy.WhiteMatterStart(q) >= needed)
                    return (q, scale);
            }
    }

    /// <summary>The resection cavity abuts the lesion on its outer (cortical) side, where the surgeon came in.</summary>
    private static (Vec3 Centre, double Radius) PlaceCavity(HeadAnatomy anatomy, Vec3 lesion, double lesionRadius, SynthRandom rng)
    {
        double radius = rng.Uniform(6, 14);
        var outward = lesion.Normalized();
        for (; ; radius *= 0.95)
            for (int attempt = 0; attempt < 20; attempt++)
            {
                var direction = (outward + 0.7 * rng.UnitVector()).Normalized();
                var centre = lesion + (0.85 * lesionRadius + 0.75 * radius) * direction;
                if (anatomy.IntracranialDepth(centre) >= 1.3 * radius + 4)
                    return (centre, radius);
            }
    }

    private static IReadOnlyList<KeyValuePair<string, double>> Truth(CasePlan plan, SiteProfile site, LesionParameters lp, Lesion lesion,
        Cavity cavity, HeadAnatomy anatomy, CaseContrast contrast, double gainJitter, LabelVolume habitat, Vec3 lesionCentre)
    {
        var truth = new List<KeyValuePair<string, double>>();
        void Add(string name, double value) => truth.Add(new(name, value));
        foreach (var property in typeof(LesionParameters).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var value = property.GetValue(lp);
            if (value is double d) Add("lesion." + property.Name, d);
            else if (value is bool b) Add("lesion." + property.Name, b ? 1 : 0);
        }
        Add("lesion.AchievedEnhancingShare", lesion.AchievedEnhancingShare);
        Add("lesion.OedemaRadiusMm", lesion.OedemaRadiusMm);
        Add("lesion.CentreX", lesionCentre.X); Add("lesion.CentreY", lesionCentre.Y); Add("lesion.CentreZ", lesionCentre.Z);
        Add("cavity.RadiusMm", cavity.RadiusMm);
        Add("anatomy.BrainAxisX", anatomy.BrainAxes.X); Add("anatomy.BrainAxisY", anatomy.BrainAxes.Y); Add("anatomy.BrainAxisZ", anatomy.BrainAxes.Z);
        Add("anatomy.VentricleWidening", anatomy.VentricleWidening);
        Add("pose.RotationDegrees", anatomy.PoseDegrees);
        Add("pose.CentreX", anatomy.Centre.X); Add("pose.CentreY", anatomy.Centre.Y); Add("pose.CentreZ", anatomy.Centre.Z);
        foreach (var property in typeof(CaseContrast).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
            if (property.GetValue(contrast) is float f) Add("contrast." + property.Name, f);
        Add("site.T1cScale", site.T1cScale); Add("site.FlairScale", site.FlairScale); Add("site.Offset", site.Offset);
        Add("site.Snr", site.Snr); Add("site.BiasAmplitude", site.BiasAmplitude); Add("site.ContrastGamma", site.ContrastGamma);
        Add("site.FlairSliceThicknessMm", site.FlairSliceThicknessMm);
        Add("acquisition.GainJitter", gainJitter);
        var counts = habitat.CountByLabel();
        double ml = habitat.Grid.VoxelVolume / 1000;
        Add("volume.NecroticCoreMl", counts.GetValueOrDefault(SyntheticStudy.NecroticCore) * ml);
        Add("volume.OedemaMl", counts.GetValueOrDefault(SyntheticStudy.Oedema) * ml);
        Add("volume.EnhancingMl", counts.GetValueOrDefault(SyntheticStudy.Enhancing) * ml);
        return truth;
    }
}
