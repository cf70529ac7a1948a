using Habitat.Imaging;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Settings;
using Habitat.Server.Domain;
using Habitat.Server.Storage;

namespace Habitat.Server.Analysis;

/// <summary>A stored study read back from the blob store exactly as <c>habitat extract --study</c> reads a study folder.</summary>
public static class StoredStudy
{
    /// <summary>
    /// The study's files as <see cref="StudyFiles"/> (the sequences the settings name, the habitat label map, the brain
    /// mask if uploaded) loaded by <see cref="StudyFiles.Load"/>: the same required-sequence and geometry checks, the
    /// same resampling, and without a brain mask the same normalisation region (the first required sequence's non-zero voxels).
    /// </summary>
    public static HabitatStudy Read(Study study, BlobStore blobs, HabitatSettings settings)
    {
        var byRole = study.Files.ToDictionary(f => f.Role, StringComparer.OrdinalIgnoreCase);
        if (!byRole.TryGetValue(FileRoles.LabelMap, out var labels)) throw new InvalidDataException("the study has no habitat label map");
        var sequences = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in settings.AllSequences)
            if (byRole.TryGetValue(name, out var file)) sequences[name] = blobs.PathOf(file.Blob);
        var missing = settings.Sequences.Where(s => !sequences.ContainsKey(s)).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"the model's settings need the sequence(s) {string.Join(", ", missing)}, which this study does not have");
        var brain = byRole.TryGetValue(FileRoles.BrainMask, out var mask) ? blobs.PathOf(mask.Blob) : null;
        return new StudyFiles(study.Id, sequences, blobs.PathOf(labels.Blob), brain).Load(settings);
    }
}

/// <summary>Study-level feature extraction as the analysis job sees it (one named value per feature, NaN when missing).</summary>
public interface IStudyFeatureExtractor
{
    IReadOnlyList<HabitatFeature> Extract(HabitatStudy study, IbsiSettings settings);
}

/// <summary>The study extractor of <c>habitat extract --study</c>: sequence × compartment IBSI features, compartment shape, habitat descriptors.</summary>
public sealed class HabitatStudyFeatureExtractor : IStudyFeatureExtractor
{
    public IReadOnlyList<HabitatFeature> Extract(HabitatStudy study, IbsiSettings settings) =>
        new StudyExtractor(settings).Extract(study).Items.Select(i => new HabitatFeature(i.Name, i.Value, i.Missing)).ToList();
}
