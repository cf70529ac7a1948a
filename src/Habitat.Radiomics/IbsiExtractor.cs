using Habitat.Imaging;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Maps;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics;

/// <summary>
/// IBSI feature extraction: image and mask → processing chain (<see cref="RoiPreprocessor"/>) → discretisations →
/// the feature families the settings select → one list of features.
/// </summary>
public static class IbsiExtractor
{
    /// <summary>Features of the ROI carrying <paramref name="label"/> (any non-zero label when null).</summary>
    /// <exception cref="GeometryMismatchException">The mask's grid differs from the image's.</exception>
    /// <exception cref="EmptyRoiException">The ROI holds no voxel.</exception>
    public static List<Feature> Extract(Volume image, LabelVolume mask, int? label, IbsiSettings settings,
                                        string imageName = "image", string maskName = "mask")
    {
        image.Grid.EnsureMatches(mask.Grid, imageName, maskName);
        var roiMask = label is { } l ? mask.MaskOf(l) : mask.Foreground();
        if (Array.IndexOf(roiMask, (byte)1) < 0)
            throw new EmptyRoiException(label is { } missing ? $"{maskName} holds no voxel with label {missing}" : $"{maskName} holds no non-zero voxel");
        var roi = RoiPreprocessor.Process(image, roiMask, settings);
        return Compute(roi, settings);
    }

    /// <summary>The selected families on a processed ROI.</summary>
    public static List<Feature> Compute(RoiImage roi, IbsiSettings settings)
    {
        var output = new List<Feature>(256);
        bool Wants(string family) => settings.Families.Contains(family);

        if (Wants(FeatureFamilies.Morphology)) Morphology.Compute(roi, output);
        if (Wants(FeatureFamilies.LocalIntensity)) LocalIntensity.Compute(roi, output);
        if (Wants(FeatureFamilies.IntensityStatistics)) IntensityStatistics.Compute(roi, output);
        DiscretisedRoi? discretised = null;
        DiscretisedRoi Discretised() => discretised ??= Discretisation.Apply(roi, settings.Discretisation, settings.Resegmentation);
        if (Wants(FeatureFamilies.IntensityHistogram))
            IntensityHistogram.Compute(Discretisation.Histogram(roi, settings.Discretisation, settings.Resegmentation), output);
        if (Wants(FeatureFamilies.IntensityVolumeHistogram))
            IntensityVolumeHistogram.Compute(IvhInput.Create(roi, settings.Ivh, settings.Resegmentation), output);
        var texture = FeatureFamilies.Texture.Where(Wants).Select(f => Enum.Parse<TextureFamily>(f, ignoreCase: true)).ToArray();
        if (texture.Length > 0) TextureFamilies.ComputeAll(Discretised(), TextureOptionsOf(settings.Texture, texture), output);
        if (settings.Collage is { } collage)
            output.AddRange(Collage.Compute(new Volume(roi.Grid, roi.Intensities), roi.IntensityMask, collage).Summaries());
        return output;
    }

    /// <summary>The texture families' options from the settings (no aggregation listed = all that apply).</summary>
    public static TextureOptions TextureOptionsOf(TextureSettings settings, IReadOnlyList<TextureFamily> families) => new()
    {
        Families = families,
        Distance = settings.Distance,
        NgldmCoarseness = settings.NgldmCoarseness,
        Aggregations = settings.Aggregations.Count > 0 ? settings.Aggregations : TextureAggregation.All,
    };
}
