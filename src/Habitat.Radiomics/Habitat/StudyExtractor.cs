using System.Text;
using Habitat.Imaging;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Habitat;

/// <summary>
/// Habitat radiomics of one study in one call. Feature names:
/// <list type="bullet">
/// <item><c>&lt;sequence&gt;.&lt;compartment&gt;.&lt;feature&gt;</c>: the configured IBSI families (and CoLlAGe) of each
/// sequence, normalised as configured, in each compartment (shells included); morphology is not repeated per sequence.</item>
/// <item><c>shape.&lt;compartment&gt;.…</c>: IBSI morphology, the 16 curvature features and the slice-contour summaries of
/// enhancing, necrotic core, whole lesion and oedema.</item>
/// <item><c>habitat.…</c>: volumes, ratios, rim thickness, lesion–ventricle distance.</item>
/// </list>
/// The feature part follows <see cref="NameOf"/>. An empty compartment or absent optional sequence yields the same
/// names, missing, with the reason; the rest of the study is still computed.
/// </summary>
public sealed class StudyExtractor
{
    private readonly IbsiSettings _settings;
    private readonly HabitatSettings _habitat;
    private readonly IbsiSettings _intensitySettings;
    private readonly IbsiSettings? _morphologySettings;
    private readonly IReadOnlyDictionary<string, NyulStandardisation>? _nyul;
    private IReadOnlyList<string>? _intensityNames, _morphologyNames;

    /// <param name="settings">The extraction settings; <see cref="IbsiSettings.Habitat"/> defaults when absent.</param>
    /// <param name="baseFolder">Folder that a relative <c>nyul_landmarks</c> path is relative to (the settings file's).</param>
    public StudyExtractor(IbsiSettings settings, string baseFolder = ".")
    {
        _settings = settings;
        _habitat = settings.Habitat ?? new HabitatSettings();
        _intensitySettings = settings with { Families = settings.Families.Where(f => f != FeatureFamilies.Morphology).ToArray() };
        _morphologySettings = settings.Families.Contains(FeatureFamilies.Morphology)
            ? settings with { Families = [FeatureFamilies.Morphology], Collage = null } : null;
        if (_habitat.Normalisation == NormalisationMethod.Nyul)
        {
            var path = Path.Combine(baseFolder, _habitat.NyulLandmarks!);
            _nyul = NyulStandardisation.Load(path);
            var absent = _habitat.AllSequences.Where(s => !_nyul.ContainsKey(s)).ToArray();
            if (absent.Length > 0) throw new ImageFormatException(path, $"no Nyúl landmarks for sequence(s) {string.Join(", ", absent)}; train them with 'habitat nyul-train' on studies holding them");
        }
    }

    public HabitatSettings Habitat => _habitat;

    /// <summary>
    /// The feature part of a name: the IBSI tag's family prefix, a dot, the rest of the tag with its dots as
    /// underscores; then, for aggregated features, a dot and the aggregation with every run of non-alphanumeric
    /// characters as one underscore. <c>cm.joint.entr</c> + "3D, averaged" → <c>cm.joint_entr.3D_averaged</c>;
    /// <c>stat.mean</c> → <c>stat.mean</c>; "2.5D, direction-merged" → <c>2_5D_direction_merged</c>.
    /// </summary>
    public static string NameOf(Feature f)
    {
        int dot = f.Tag.IndexOf('.');
        var name = dot < 0 ? f.Tag : f.Tag[..(dot + 1)] + f.Tag[(dot + 1)..].Replace('.', '_');
        if (f.Aggregation.Length == 0) return name;
        var aggregation = new StringBuilder(f.Aggregation.Length);
        foreach (var c in f.Aggregation)
            if (char.IsAsciiLetterOrDigit(c)) aggregation.Append(c);
            else if (aggregation.Length > 0 && aggregation[^1] != '_') aggregation.Append('_');
        return name + "." + aggregation.ToString().TrimEnd('_');
    }

    public FeatureRow Extract(HabitatStudy study)
    {
        var row = new FeatureRow();
        var compartments = Compartments.Build(study.Habitat, study.Brain, _habitat.Labels, _habitat.ShellWidthsMm);
        HabitatDescriptors.Compute(study.Habitat, compartments, _habitat.Labels, row);
        var grid = study.Habitat.Grid;
        var anyImage = study.Sequences[_habitat.Sequences[0]];
        foreach (var c in compartments.Take(4)) // shells are lesion-shaped rings: their shape adds nothing
        {
            string prefix = "shape." + c.Name;
            if (_morphologySettings is { } morphology)
                AddFeatures(row, prefix, c, () => Shape(RoiPreprocessor.Process(anyImage, c.Mask, morphology)), () => Shape(TinyRoi(morphology)), ref _morphologyNames);
            if (!_habitat.Shape) continue;
            if (c.VoxelCount == 0)
            {
                foreach (var m in CurvatureFeatures.Measures) foreach (var s in CurvatureFeatures.Statistics) row.AddMissing($"{prefix}.{m}.{s}", EmptyReason(c));
                foreach (var m in SliceContours.Measures) foreach (var s in SliceContours.Statistics) row.AddMissing($"{prefix}.contour.{m}.{s}", EmptyReason(c));
                continue;
            }
            CurvatureFeatures.Compute(Curvature.Estimate(grid, c.Mask, _habitat.Curvature), prefix, row);
            SliceContours.Compute(grid, c.Mask, prefix, row);
        }
        foreach (var sequence in _habitat.AllSequences)
        {
            Volume? normalised = null;
            string? why = null;
            if (!study.Sequences.TryGetValue(sequence, out var image)) why = $"sequence {sequence} is not in the study";
            else
            {
                try { normalised = Normalise(sequence, image, study); }
                catch (ArgumentException e) { why = $"normalisation failed: {e.Message}"; }
            }
            foreach (var c in compartments)
            {
                string prefix = $"{sequence}.{c.Name}";
                if (normalised is null)
                {
                    foreach (var name in IntensityNames()) row.AddMissing($"{prefix}.{name}", why!);
                    continue;
                }
                var source = normalised;
                AddFeatures(row, prefix, c, () => IbsiExtractor.Compute(RoiPreprocessor.Process(source, c.Mask, _intensitySettings), _intensitySettings),
                            () => IbsiExtractor.Compute(TinyRoi(_intensitySettings), _intensitySettings), ref _intensityNames);
            }
        }
        return row;
    }

    private Volume Normalise(string sequence, Volume image, HabitatStudy study)
    {
        byte[] NormalAppearing()
        {
            var reference = new byte[study.Brain.Length];
            for (int n = 0; n < reference.Length; n++) reference[n] = study.Brain[n] != 0 && study.Habitat.Labels[n] == 0 ? (byte)1 : (byte)0;
            return reference;
        }
        return _habitat.Normalisation switch
        {
            NormalisationMethod.ZScoreBrain => Normalisation.ZScore(image, study.Brain, sequence),
            NormalisationMethod.ZScoreNormalAppearing => Normalisation.ZScore(image, NormalAppearing(), sequence),
            NormalisationMethod.WhiteStripe => Normalisation.WhiteStripe(image, NormalAppearing(), sequence,
                t1Weighted: sequence.StartsWith("T1", StringComparison.OrdinalIgnoreCase)),
            NormalisationMethod.Nyul => _nyul![sequence].Apply(image, study.Brain, sequence),
            _ => image,
        };
    }

    private static string EmptyReason(Compartment c) => $"compartment {c.Name} is empty";

    /// <summary>Adds the computed features, or — for an empty compartment — the same names as missing with the reason
    /// (the names come from a tiny synthetic ROI, as the feature list does not depend on the data), so that the tables
    /// of many studies line up.</summary>
    private static void AddFeatures(FeatureRow row, string prefix, Compartment c, Func<List<Feature>> compute, Func<List<Feature>> onTinyRoi,
                                    ref IReadOnlyList<string>? names)
    {
        string? why = c.VoxelCount == 0 ? EmptyReason(c) : null;
        if (why is null)
        {
            try
            {
                foreach (var f in compute()) row.Add(prefix + "." + NameOf(f), f.Value);
                return;
            }
            catch (EmptyRoiException e) { why = $"compartment {c.Name}: {e.Message}"; }
        }
        names ??= onTinyRoi().Select(NameOf).ToArray();
        foreach (var name in names) row.AddMissing(prefix + "." + name, why);
    }

    private IReadOnlyList<string> IntensityNames() =>
        _intensityNames ??= IbsiExtractor.Compute(TinyRoi(_intensitySettings), _intensitySettings).Select(NameOf).ToArray();

    private static RoiImage TinyRoi(IbsiSettings settings)
    {
        var grid = Grid.Create(6, 6, 6, Vec3.One);
        var voxels = new float[grid.Count];
        var mask = new byte[grid.Count];
        for (int n = 0; n < voxels.Length; n++) { voxels[n] = n % 7; mask[n] = (byte)(n % 3 == 0 ? 0 : 1); }
        return RoiPreprocessor.Process(new Volume(grid, voxels), mask, settings);
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
}
