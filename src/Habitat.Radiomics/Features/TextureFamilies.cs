using Habitat.Radiomics.Features.Texture;
using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Features;

/// <summary>
/// The IBSI 1 texture families: GLCM (25 features), GLRLM (16), GLSZM (16), GLDZM (16), NGTDM (5) and NGLDM (17),
/// each for every selected aggregation method that applies to it. Slices are x-y planes (k fixed).
/// </summary>
public static class TextureFamilies
{
    /// <summary>
    /// Appends to <paramref name="output"/> one <see cref="Feature"/> per (family, aggregation, feature), families in the
    /// order of <see cref="TextureFamily"/>, each family's aggregations in IBSI order. A value is NaN when it is undefined
    /// for this ROI: no matrix of that aggregation holds a count (e.g. no voxel pair along any direction), or the
    /// formula divides by zero (e.g. GLCM correlation with a single grey level).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="roi"/>'s arrays do not match its grid, a grey level lies outside
    /// 1…N_g, or its intensity mask is empty.</exception>
    public static void ComputeAll(DiscretisedRoi roi, TextureOptions options, List<Feature> output)
    {
        ArgumentNullException.ThrowIfNull(roi);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var volume = TextureVolume.Create(roi, padding: options.Distance);
        var zones = new ZoneCache(volume);
        foreach (var family in Enum.GetValues<TextureFamily>())
        {
            if (!options.Computes(family)) continue;
            switch (family)
            {
                case TextureFamily.Glcm: Glcm.Compute(volume, options, output); break;
                case TextureFamily.Glrlm: Glrlm.Compute(volume, options, output); break;
                case TextureFamily.Glszm: Glszm.Compute(volume, zones, options, output); break;
                case TextureFamily.Gldzm: Gldzm.Compute(volume, zones, options, output); break;
                case TextureFamily.Ngtdm: Ngtdm.Compute(volume, options, output); break;
                case TextureFamily.Ngldm: Ngldm.Compute(volume, options, output); break;
            }
        }
    }
}
