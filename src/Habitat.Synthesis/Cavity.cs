using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>The post-operative resection cavity: fluid with an irregular outline (an ellipsoid perturbed by a random field).</summary>
internal sealed class Cavity
{
    private const double MarginAmplitudeMm = 1.5, MarginCorrelationMm = 4;

    public Vec3 Centre { get; }
    public double RadiusMm { get; }
    public IndexBox Box { get; }
    private readonly Vec3 _axes;
    private readonly Matrix3 _toLocal;
    private readonly RandomField _margin;
    private readonly double _gradient = Geometry.PerturbedGradient(MarginAmplitudeMm, MarginCorrelationMm);

    public Cavity(Grid grid, Vec3 centre, double radiusMm, SynthRandom rng)
    {
        Centre = centre;
        RadiusMm = radiusMm;
        _axes = new Vec3(radiusMm * rng.Uniform(0.8, 1.2), radiusMm * rng.Uniform(0.8, 1.2), radiusMm * rng.Uniform(0.8, 1.2));
        _toLocal = rng.Rotation().Transpose();
        double half = 1.25 * radiusMm + 3 * MarginAmplitudeMm + 2;
        Box = IndexBox.Around(grid, centre, half);
        _margin = RandomField.Create(centre - new Vec3(half, half, half), centre + new Vec3(half, half, half), MarginCorrelationMm, rng);
    }

    /// <summary>Fraction of the voxel at <paramref name="p"/> filled by cavity fluid.</summary>
    public float Fraction(Vec3 p, double voxelMm)
    {
        var local = _toLocal * (p - Centre);
        double depth = Geometry.EllipsoidDepth(local.X, local.Y, local.Z, _axes) + MarginAmplitudeMm * _margin.Sample(p.X, p.Y, p.Z);
        return Geometry.Inside(depth, voxelMm, _gradient);
    }
}
