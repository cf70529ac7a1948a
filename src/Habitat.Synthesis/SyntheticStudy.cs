using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>
/// One generated post-treatment study: its sequences on one grid, the habitat label map (BraTS: 1 necrotic core,
/// 2 oedema, 3 enhancing), the brain mask, and the hidden truth (generative parameters and true volumes).
/// </summary>
public sealed record SyntheticStudy(
    CasePlan Plan,
    SiteProfile Site,
    IReadOnlyDictionary<string, Volume> Images,
    LabelVolume Habitat,
    LabelVolume BrainMask,
    IReadOnlyList<KeyValuePair<string, double>> Truth)
{
    public const int NecroticCore = 1, Oedema = 2, Enhancing = 3;
}
