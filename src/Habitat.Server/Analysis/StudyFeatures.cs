using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Settings;
using Habitat.Server.Domain;
using Habitat.Server.Storage;

namespace Habitat.Server.Analysis;

/// <summary>A study's images read back from the blob store: sequences by role, the habitat label map, the brain mask.</summary>
public sealed record StudyImages(IReadOnlyDictionary<string, Volume> Sequences, LabelVolume Habitat, LabelVolume BrainMask, bool BrainMaskUploaded)
{
    public static StudyImages Read(Study study, BlobStore blobs, IReadOnlyCollection<string> neededSequences)
    {
        var byRole = study.Files.ToDictionary(f => f.Role);
        var sequences = new Dictionary<string, Volume>(StringComparer.Ordinal);
        foreach (var role in neededSequences)
            sequences[role] = byRole.TryGetValue(role, out var f)
                ? ImageFile.Read(blobs.PathOf(f.Blob))
                : throw new InvalidDataException($"the model needs the {role} sequence, which this study does not have");
        if (!byRole.TryGetValue(FileRoles.LabelMap, out var labels)) throw new InvalidDataException("the study has no habitat label map");
        var habitat = ImageFile.ReadLabels(blobs.PathOf(labels.Blob));
        // Without an uploaded brain mask the whole field of view is the normalisation region (recorded with the analysis).
        var brain = byRole.TryGetValue(FileRoles.BrainMask, out var mask)
            ? ImageFile.ReadLabels(blobs.PathOf(mask.Blob))
            : new LabelVolume(habitat.Grid, Enumerable.Repeat(1, habitat.Labels.Length).ToArray());
        return new StudyImages(sequences, habitat, brain, mask is not null);
    }
}

/// <summary>Study-level feature extraction as the analysis job sees it (one named value per feature, NaN when missing).</summary>
public interface IStudyFeatureExtractor
{
    IReadOnlyList<HabitatFeature> Extract(StudyImages study, IbsiSettings settings);
}

/// <summary>The habitat extractor of Habitat.Radiomics: sequence × compartment IBSI features, compartment shape, volume ratios.</summary>
public sealed class HabitatStudyFeatureExtractor : IStudyFeatureExtractor
{
    public IReadOnlyList<HabitatFeature> Extract(StudyImages study, IbsiSettings settings) =>
        HabitatExtractor.Extract(study.Sequences, study.Habitat, study.BrainMask, settings);
}
