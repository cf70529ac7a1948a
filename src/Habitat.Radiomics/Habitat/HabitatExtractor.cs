using System.Globalization;
using Habitat.Imaging;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Habitat;

/// <summary>A lesion compartment: the habitat labels it is made of (BraTS convention by default).</summary>
public sealed record Compartment(string Name, IReadOnlyList<int> Labels)
{
    public static readonly Compartment Enhancing = new("enhancing", [3, 4]);
    public static readonly Compartment NecroticCore = new("necrotic_core", [1]);
    public static readonly Compartment WholeLesion = new("whole_lesion", [1, 3, 4]);
    public static readonly Compartment Oedema = new("oedema", [2]);

    public static readonly IReadOnlyList<Compartment> Default = [Enhancing, NecroticCore, WholeLesion, Oedema];

    public byte[] MaskOf(LabelVolume habitat)
    {
        var mask = new byte[habitat.Labels.Length];
        for (int n = 0; n < mask.Length; n++)
            if (Labels.Contains(habitat.Labels[n])) mask[n] = 1;
        return mask;
    }
}

/// <summary>One habitat feature value, or a missing value with the reason.</summary>
public readonly record struct HabitatFeature(string Name, double Value, string? MissingReason = null);

/// <summary>
/// Habitat radiomics of one study: for each sequence × compartment, the configured IBSI families on the sequence
/// z-scored within the brain mask (MRI has no absolute intensity unit), named <c>&lt;sequence&gt;.&lt;compartment&gt;.&lt;tag&gt;[.&lt;aggregation&gt;]</c>;
/// the morphology of each compartment once (<c>shape.&lt;compartment&gt;.&lt;tag&gt;</c>); and habitat volume ratios
/// (<c>habitat.oedema_to_lesion</c>, …). An empty compartment gives missing values with the reason, and the rest
/// of the study is still computed.
/// </summary>
public static class HabitatExtractor
{
    public static List<HabitatFeature> Extract(IReadOnlyDictionary<string, Volume> sequences, LabelVolume habitat, LabelVolume brainMask,
        IbsiSettings settings, IReadOnlyList<Compartment>? compartments = null)
    {
        compartments ??= Compartment.Default;
        foreach (var (name, image) in sequences)
            habitat.Grid.EnsureMatches(image.Grid, "habitat", name);
        habitat.Grid.EnsureMatches(brainMask.Grid, "habitat", "brain mask");
        var brain = brainMask.Foreground();
        var output = new List<HabitatFeature>(2048);
        var intensitySettings = settings with { Families = settings.Families.Where(f => f != FeatureFamilies.Morphology).ToArray() };
        var masks = compartments.Select(c => c.MaskOf(habitat)).ToArray();

        if (settings.Families.Contains(FeatureFamilies.Morphology))
        {
            var shapeSettings = settings with { Families = [FeatureFamilies.Morphology] };
            var anyImage = sequences.Values.First();
            for (int c = 0; c < compartments.Count; c++)
                Add(output, "shape." + compartments[c].Name, () => Shape(RoiPreprocessor.Process(anyImage, masks[c], shapeSettings)), shapeSettings);
        }
        foreach (var (name, image) in sequences)
        {
            var normalised = Normalisation.ZScore(image, brain, name);
            for (int c = 0; c < compartments.Count; c++)
                Add(output, $"{name}.{compartments[c].Name}",
                    () => IbsiExtractor.Compute(RoiPreprocessor.Process(normalised, masks[c], intensitySettings), intensitySettings), intensitySettings);
        }
        AddVolumeRatios(output, habitat);
        return output;
    }

    /// <summary>
    /// IBSI morphology without Moran's I and Geary's C: those two are intensity-weighted (they belong to a sequence,
    /// not to a shape) and quadratic in the voxel count, which makes them dominate the run time on oedema
    /// compartments of a few hundred millilitres (≈ 40 s for 300 000 voxels).
    /// </summary>
    private static List<Feature> Shape(RoiImage roi)
    {
        var features = new List<Feature>(32);
        Features.Morphology.ComputeGeometric(roi, features);
        return features;
    }

    private static void Add(List<HabitatFeature> output, string prefix, Func<List<Feature>> compute, IbsiSettings settings)
    {
        try
        {
            foreach (var f in compute()) output.Add(new HabitatFeature(prefix + "." + NameOf(f), f.Value));
        }
        catch (EmptyRoiException e)
        {
            // Same names as a computed compartment would give, so that tables of many studies line up.
            foreach (var name in FeatureNamesFor(settings))
                output.Add(new HabitatFeature(prefix + "." + name, double.NaN, e.Message));
        }
    }

    /// <summary>The names the settings produce, from a tiny synthetic ROI (the feature list does not depend on the data).</summary>
    private static IReadOnlyList<string> FeatureNamesFor(IbsiSettings settings)
    {
        var grid = Grid.Create(4, 4, 4, Vec3.One);
        var voxels = new float[64];
        var mask = new byte[64];
        for (int n = 0; n < 64; n++) { voxels[n] = n % 7; mask[n] = (byte)(n % 3 == 0 ? 0 : 1); }
        var roi = RoiPreprocessor.Process(new Volume(grid, voxels), mask, settings);
        var features = settings.Families.SequenceEqual([FeatureFamilies.Morphology]) ? Shape(roi) : IbsiExtractor.Compute(roi, settings);
        return features.Select(NameOf).ToArray();
    }

    /// <summary><c>tag</c> plus the aggregation with spaces and commas folded: <c>cm.joint.entr.3D_averaged</c>.</summary>
    public static string NameOf(Feature f) =>
        f.Aggregation.Length == 0 ? f.Tag : f.Tag + "." + f.Aggregation.Replace(", ", "_").Replace(' ', '_').Replace(",", "");

    private static void AddVolumeRatios(List<HabitatFeature> output, LabelVolume habitat)
    {
        long enhancing = 0, core = 0, oedema = 0;
        foreach (var l in habitat.Labels)
        {
            if (l is 3 or 4) enhancing++;
            else if (l == 1) core++;
            else if (l == 2) oedema++;
        }
        double ml = habitat.Grid.VoxelVolume / 1000;
        long lesion = enhancing + core;
        output.Add(new("habitat.enhancing_ml", enhancing * ml));
        output.Add(new("habitat.necrotic_core_ml", core * ml));
        output.Add(new("habitat.oedema_ml", oedema * ml));
        if (lesion == 0)
        {
            foreach (var name in new[] { "habitat.oedema_to_lesion", "habitat.core_to_lesion", "habitat.enhancing_to_lesion" })
                output.Add(new(name, double.NaN, "the habitat holds no lesion voxel"));
            return;
        }
        output.Add(new("habitat.oedema_to_lesion", (double)oedema / lesion));
        output.Add(new("habitat.core_to_lesion", (double)core / lesion));
        output.Add(new("habitat.enhancing_to_lesion", (double)enhancing / lesion));
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
