using System.Globalization;

namespace Habitat.Synthesis;

/// <summary>
/// How one hospital's scanner renders the same tissue: arbitrary intensity scale and offset per sequence,
/// a site-specific contrast curve, noise level (Rician, at the site's SNR), bias-field strength and FLAIR slice thickness.
/// </summary>
public sealed record SiteProfile(
    int Index,
    double T1cScale,
    double FlairScale,
    double Offset,
    double Snr,
    double BiasAmplitude,
    double ContrastGamma,
    double FlairSliceThicknessMm)
{
    public string Name => "site" + (Index + 1).ToString(CultureInfo.InvariantCulture);

    public bool TwoDimensionalFlair => FlairSliceThicknessMm > 0;

    /// <summary>
    /// Draws every site of a cohort. Scales are stratified over their range (site n gets a random value from the n-th
    /// of S equal slices of a log axis, slices shuffled) so that even two sites differ visibly, as real scanners do.
    /// </summary>
    public static IReadOnlyList<SiteProfile> DrawAll(int count, AcquisitionProfile profile, SynthRandom rng)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (int n = count - 1; n > 0; n--) { int m = rng.NextInt(n + 1); (order[n], order[m]) = (order[m], order[n]); }
        var sites = new SiteProfile[count];
        for (int s = 0; s < count; s++)
        {
            double stratum = (order[s] + rng.NextDouble()) / count;
            sites[s] = new SiteProfile(
                Index: s,
                T1cScale: Math.Exp(Math.Log(250) + stratum * (Math.Log(1600) - Math.Log(250))),
                FlairScale: rng.LogUniform(250, 1600),
                Offset: rng.Uniform(0, 150),
                Snr: rng.Uniform(15, 40),
                BiasAmplitude: rng.Uniform(0.10, 0.25),
                ContrastGamma: rng.Uniform(0.88, 1.12),
                FlairSliceThicknessMm: profile == AcquisitionProfile.Clinical && s % 2 == 1 ? rng.Uniform(4, 6) : 0);
        }
        return sites;
    }
}
