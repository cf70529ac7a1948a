using Habitat.Imaging;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Habitat;

/// <summary>One habitat feature value, or a missing value (NaN) with the reason.</summary>
public readonly record struct HabitatFeature(string Name, double Value, string? MissingReason = null);

/// <summary>In-memory entry point for callers that already hold the images (e.g. <c>habitat demo</c>): wraps them
/// into a <see cref="Study"/> and runs <see cref="StudyExtractor"/>.</summary>
public static class HabitatExtractor
{
    public static List<HabitatFeature> Extract(IReadOnlyDictionary<string, Volume> sequences, LabelVolume habitat, LabelVolume brainMask,
        IbsiSettings settings, string id = "study")
    {
        foreach (var (name, image) in sequences)
            habitat.Grid.EnsureMatches(image.Grid, "habitat", name);
        habitat.Grid.EnsureMatches(brainMask.Grid, "habitat", "brain mask");
        var study = new HabitatStudy(id, new Dictionary<string, Volume>(sequences, StringComparer.OrdinalIgnoreCase), habitat, brainMask.Foreground());
        return new StudyExtractor(settings).Extract(study).Items.Select(i => new HabitatFeature(i.Name, i.Value, i.Missing)).ToList();
    }
}
