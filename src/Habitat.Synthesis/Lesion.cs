using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>
/// One enhancing lesion with its necrotic core and surrounding oedema, rendered as voxel fractions.
/// Geometry (all depths in mm, positive inside):
/// <list type="bullet">
/// <item>outer surface: an oriented ellipsoid perturbed by a margin field — high-frequency and small for tumour-like
/// tissue (infiltrative), low-frequency and larger for necrosis-like tissue (smooth, "feathery" wavefront);</item>
/// <item>enhancing rim: the outer <c>t</c> mm, thick and nodular (t grows where a nodule field is positive) for
/// tumour-like tissue, thin for necrosis-like tissue;</item>
/// <item>core: tumour-like tissue has solid enhancing nodules (a coarse field above a threshold) in central
/// necrosis; necrosis-like tissue is a foam — enhancing septa where a fine field is near zero, necrotic locules
/// elsewhere ("soap bubble / Swiss cheese");</item>
/// <item>oedema: a larger, finger-like outline, its size relative to the lesion set by the mix.</item>
/// </list>
/// The local tumour share w(x) = clamp(mean + spread · g_mix) blends the two behaviours voxel by voxel.
/// One threshold shift (the solidity) is solved for so that the enhancing share of the lesion matches its drawn
/// target, which keeps the amount of enhancement uninformative of the class.
/// </summary>
internal sealed class Lesion
{
    public LesionParameters Parameters { get; }
    public Vec3 Centre { get; }
    public IndexBox Box { get; }
    public IndexBox OedemaBox { get; }
    /// <summary>Enhancing share actually reached (the rim alone may exceed the target).</summary>
    public double AchievedEnhancingShare { get; }
    public double OedemaRadiusMm { get; }

    private readonly Matrix3 _toLocal;
    private readonly Vec3 _axes, _oedemaAxes;
    private readonly RandomField _oedemaMargin, _oedemaTexture;
    private readonly double _oedemaGradient;
    // Per-voxel values over Box
    private readonly float[] _fraction, _enhancingShare, _heterogeneity, _necroticTexture;

    public Lesion(Grid grid, LesionParameters lp, Vec3 centre, double voxelMm, SynthRandom rng)
    {
        Parameters = lp;
        Centre = centre;
        _toLocal = rng.Rotation().Transpose();
        _axes = lp.RadiusMm * new Vec3(lp.AxisA, lp.AxisB, lp.AxisC);
        double maxAxis = Math.Max(_axes.X, Math.Max(_axes.Y, _axes.Z));
        double ratio = lp.OedemaRatio(lp.TumourFraction);
        OedemaRadiusMm = Math.Min(ratio * lp.RadiusMm, 45);
        _oedemaAxes = OedemaRadiusMm / lp.RadiusMm * _axes;

        double half = maxAxis + 3 * (Math.Max(lp.NecrosisMarginAmplitudeMm, lp.TumourMarginAmplitudeMm) + lp.LobulationMm) + 2;
        double oedemaHalf = OedemaRadiusMm / lp.RadiusMm * maxAxis + 3 * lp.OedemaMarginAmplitudeMm + 4;
        Box = IndexBox.Around(grid, centre, half);
        OedemaBox = IndexBox.Around(grid, centre, oedemaHalf);
        var lo = centre - new Vec3(half, half, half);
        var hi = centre + new Vec3(half, half, half);
        var oLo = centre - new Vec3(oedemaHalf, oedemaHalf, oedemaHalf);
        var oHi = centre + new Vec3(oedemaHalf, oedemaHalf, oedemaHalf);
        _oedemaMargin = RandomField.Create(oLo, oHi, 7, rng.Fork(10));
        _oedemaTexture = RandomField.Create(oLo, oHi, 3, rng.Fork(11));
        _oedemaGradient = Geometry.PerturbedGradient(lp.OedemaMarginAmplitudeMm, 7);

        var mix = RandomField.Create(lo, hi, lp.MixCorrelationMm, rng.Fork(20));
        var marginN = RandomField.Create(lo, hi, lp.NecrosisMarginCorrelationMm, rng.Fork(21));
        var marginT = RandomField.Create(lo, hi, lp.TumourMarginCorrelationMm, rng.Fork(22));
        var nodules = RandomField.Create(lo, hi, lp.NoduleCorrelationMm, rng.Fork(23));
        var foam = RandomField.Create(lo, hi, lp.LoculeCorrelationMm, rng.Fork(24));
        var solid = RandomField.Create(lo, hi, lp.SolidCorrelationMm, rng.Fork(25));
        var hetN = RandomField.Create(lo, hi, lp.NecrosisHeterogeneityCorrelationMm, rng.Fork(26));
        var hetT = RandomField.Create(lo, hi, lp.TumourHeterogeneityCorrelationMm, rng.Fork(27));
        var necTex = RandomField.Create(lo, hi, 2, rng.Fork(28));
        var lobulation = RandomField.Create(lo, hi, lp.LobulationCorrelationMm, rng.Fork(29));
        double gradL = Geometry.PerturbedGradient(lp.LobulationMm, lp.LobulationCorrelationMm);

        int count = Box.Count;
        _fraction = new float[count];
        _enhancingShare = new float[count];
        _heterogeneity = new float[count];
        _necroticTexture = new float[count];
        var core = new float[count];
        var tumourShare = new float[count];
        var foamDepthScale = Math.Sqrt(2) * lp.LoculeCorrelationMm;
        var solidDepthScale = Math.Sqrt(2) * lp.SolidCorrelationMm;
        var foamValue = new float[count];
        var solidValue = new float[count];
        double gradN = Geometry.PerturbedGradient(lp.NecrosisMarginAmplitudeMm, lp.NecrosisMarginCorrelationMm);
        double gradT = Geometry.PerturbedGradient(lp.TumourMarginAmplitudeMm, lp.TumourMarginCorrelationMm);

        for (int k = Box.K0; k <= Box.K1; k++)
            for (int j = Box.J0; j <= Box.J1; j++)
                for (int i = Box.I0; i <= Box.I1; i++)
                {
                    var p = grid.IndexToPhysical(i, j, k);
                    var local = _toLocal * (p - centre);
                    double ellipsoid = Geometry.EllipsoidDepth(local.X, local.Y, local.Z, _axes);
                    if (ellipsoid < -half) continue;
                    double w = Math.Clamp(lp.TumourFraction + lp.MixSpread * mix.Sample(p.X, p.Y, p.Z), 0, 1);
                    double depth = ellipsoid
                        + lp.LobulationMm * lobulation.Sample(p.X, p.Y, p.Z)
                        + (1 - w) * lp.NecrosisMarginAmplitudeMm * marginN.Sample(p.X, p.Y, p.Z)
                        + w * lp.TumourMarginAmplitudeMm * marginT.Sample(p.X, p.Y, p.Z);
                    double gradient = Math.Sqrt(gradL * gradL - 1 + Math.Pow(LesionParameters.Lerp(gradN, gradT, w), 2));
                    float fraction = Geometry.Inside(depth, voxelMm, gradient);
                    if (fraction <= 0) continue;
                    double nodule = Math.Max(0, nodules.Sample(p.X, p.Y, p.Z));
                    double rim = LesionParameters.Lerp(lp.NecrosisRimMm * (1 + 0.2 * nodule), lp.TumourRimMm * (1 + lp.TumourNodularity * nodule), w);
                    int n = Box.Offset(i, j, k);
                    _fraction[n] = fraction;
                    core[n] = Geometry.Inside(depth - rim, voxelMm, gradient);
                    tumourShare[n] = (float)w;
                    foamValue[n] = Math.Abs(foam.Sample(p.X, p.Y, p.Z));
                    solidValue[n] = solid.Sample(p.X, p.Y, p.Z);
                    _heterogeneity[n] = (float)LesionParameters.Lerp(
                        lp.NecrosisHeterogeneity * hetN.Sample(p.X, p.Y, p.Z), lp.TumourHeterogeneity * hetT.Sample(p.X, p.Y, p.Z), w);
                    _necroticTexture[n] = 0.08f * necTex.Sample(p.X, p.Y, p.Z);
                }

        // Enhancing share of the voxel's lesion part for a given solidity s: rim, plus septa (foam band |g| < 0.6·e^s)
        // and solid nodules (g > 1 − s) in the core. Monotone in s, so bisection finds the target.
        double Share(double s, bool store)
        {
            double septaHalfWidth = 0.6 * Math.Exp(s), solidThreshold = 1 - s;
            double enhancing = 0, total = 0;
            for (int n = 0; n < count; n++)
            {
                float f = _fraction[n];
                if (f <= 0) continue;
                double w = tumourShare[n];
                double septa = Geometry.Inside((septaHalfWidth - foamValue[n]) * foamDepthScale, voxelMm);
                double nodular = Geometry.Inside((solidValue[n] - solidThreshold) * solidDepthScale, voxelMm);
                double share = 1 - core[n] + core[n] * ((1 - w) * septa + w * nodular);
                if (store) _enhancingShare[n] = (float)share;
                enhancing += f * share;
                total += f;
            }
            return total > 0 ? enhancing / total : 0;
        }
        double low = -6, high = 6;
        for (int iteration = 0; iteration < 40; iteration++)
        {
            double mid = 0.5 * (low + high);
            if (Share(mid, store: false) < lp.EnhancingShare) low = mid; else high = mid;
        }
        AchievedEnhancingShare = Share(0.5 * (low + high), store: true);
    }

    /// <summary>The lesion at voxel (i, j, k): fraction of the voxel, enhancing share of that fraction, and textures.</summary>
    public bool TryGet(int i, int j, int k, out float fraction, out float enhancingShare, out float heterogeneity, out float necroticTexture)
    {
        fraction = enhancingShare = heterogeneity = necroticTexture = 0;
        if (!Box.Contains(i, j, k)) return false;
        int n = Box.Offset(i, j, k);
        fraction = _fraction[n];
        if (fraction <= 0) return false;
        enhancingShare = _enhancingShare[n];
        heterogeneity = _heterogeneity[n];
        necroticTexture = _necroticTexture[n];
        return true;
    }

    /// <summary>Oedema strength (0…1) at scanner position <paramref name="p"/>, and its texture modulation.</summary>
    public float Oedema(Vec3 p, double voxelMm, out float texture)
    {
        var local = _toLocal * (p - Centre);
        double depth = Geometry.EllipsoidDepth(local.X, local.Y, local.Z, _oedemaAxes)
                       + Parameters.OedemaMarginAmplitudeMm * _oedemaMargin.Sample(p.X, p.Y, p.Z);
        // A graded 2 mm transition: vasogenic oedema fades out rather than stopping at a wall.
        float strength = Geometry.Inside(depth, Math.Max(voxelMm, 2.0), _oedemaGradient);
        texture = strength > 0 ? 0.06f * _oedemaTexture.Sample(p.X, p.Y, p.Z) : 0;
        return strength;
    }
}
