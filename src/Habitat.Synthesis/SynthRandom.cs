namespace Habitat.Synthesis;

/// <summary>
/// The generator's own random source: xoshiro256** seeded through SplitMix64 (Blackman &amp; Vigna, 2018).
/// Written out here, not taken from <see cref="Random"/>, so that a seed gives the same cohort on every
/// .NET version. Independent streams (one per case, per site, per purpose) come from <see cref="Fork"/>.
/// </summary>
public sealed class SynthRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian = double.NaN;

    public SynthRandom(ulong seed, ulong stream = 0)
    {
        ulong x = seed ^ (stream * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>A new generator whose sequence depends only on this one's seed and <paramref name="stream"/>.</summary>
    public SynthRandom Fork(ulong stream) => new(_s0 ^ RotateLeft(_s2, 17), stream + 1);

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>exp of a uniform draw: a scale factor spread evenly on a log axis between the bounds.</summary>
    public double LogUniform(double min, double max) => Math.Exp(Uniform(Math.Log(min), Math.Log(max)));

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count) => (int)((NextUInt64() >> 11) * (1.0 / (1UL << 53)) * count);

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal draw (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double Gaussian()
    {
        if (!double.IsNaN(_spareGaussian))
        {
            double spare = _spareGaussian;
            _spareGaussian = double.NaN;
            return spare;
        }
        var (a, b) = GaussianPair();
        _spareGaussian = b;
        return a;
    }

    /// <summary>Two independent standard normal draws.</summary>
    public (double A, double B) GaussianPair()
    {
        double u = 1.0 - NextDouble(); // (0, 1]: keeps the logarithm finite
        double v = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * v);
        return (r * cos, r * sin);
    }

    /// <summary>Fills the span with standard normal draws.</summary>
    public void FillGaussian(Span<float> values)
    {
        int n = 0;
        for (; n + 1 < values.Length; n += 2)
        {
            var (a, b) = GaussianPair();
            values[n] = (float)a;
            values[n + 1] = (float)b;
        }
        if (n < values.Length) values[n] = (float)GaussianPair().A;
    }

    /// <summary>A uniformly distributed unit vector.</summary>
    public Imaging.Vec3 UnitVector()
    {
        double z = Uniform(-1, 1), phi = Uniform(0, 2 * Math.PI), r = Math.Sqrt(1 - z * z);
        return new Imaging.Vec3(r * Math.Cos(phi), r * Math.Sin(phi), z);
    }

    /// <summary>A uniformly distributed rotation (random unit quaternion, Shoemake 1992).</summary>
    public Imaging.Matrix3 Rotation()
    {
        double u1 = NextDouble(), u2 = 2 * Math.PI * NextDouble(), u3 = 2 * Math.PI * NextDouble();
        double a = Math.Sqrt(1 - u1), b = Math.Sqrt(u1);
        return Geometry.FromQuaternion(a * Math.Sin(u2), a * Math.Cos(u2), b * Math.Sin(u3), b * Math.Cos(u3));
    }
}
