using System.Numerics;

namespace Habitat.Imaging.Filters;

/// <summary>Settings of the IBSI 2 Gabor filter: σ and λ in mm, aspect γ, orientation θ (radians); rotation
/// invariance averages the modulus over θ, θ + Δθ, … below 2π and, with <see cref="OrthogonalPlanes"/>, over the
/// axial, coronal and sagittal planes.</summary>
public sealed record GaborSettings(double SigmaMm, double LambdaMm, double Gamma, double Theta, BoundaryMode Boundary,
    bool RotationInvariant = false, double DeltaTheta = Math.PI / 4, bool OrthogonalPlanes = false, double Truncation = 4);

/// <summary>
/// IBSI 2 Gabor filter (Q88H), applied in-plane slice by slice: h(k) = exp(−(k̃₁² + γ²k̃₂²) / 2σ²) · exp(2πi k̃₁ / λ) with
/// k̃₁ = k₁ cos θ + k₂ sin θ, k̃₂ = −k₁ sin θ + k₂ cos θ (voxel units); the response map is the modulus of the complex
/// response. Convolution is done by FFT on each slice padded as the boundary mode says.
/// </summary>
public static class GaborFilter
{
    public static Volume Apply(Volume image, GaborSettings s)
    {
        if (!(s.SigmaMm > 0) || !(s.LambdaMm > 0) || !(s.Gamma > 0))
            throw new ArgumentOutOfRangeException(nameof(s), "Gabor σ, λ and γ must be positive");
        var g = image.Grid;
        // Planes as (row axis, column axis, slice axis); axial first.
        (int A, int B, int C)[] planes = s.OrthogonalPlanes ? [(0, 1, 2), (0, 2, 1), (1, 2, 0)] : [(0, 1, 2)];
        var thetas = s.RotationInvariant
            ? Enumerable.Range(0, (int)Math.Round(2 * Math.PI / s.DeltaTheta)).Select(t => s.Theta + t * s.DeltaTheta).ToArray()
            : [s.Theta];
        var sum = new float[image.Voxels.Length];
        foreach (var plane in planes)
            foreach (var theta in thetas)
                System.Numerics.Tensors.TensorPrimitives.Add(sum, Modulus(image, plane, theta, s), sum);
        System.Numerics.Tensors.TensorPrimitives.Divide(sum, planes.Length * thetas.Length, sum);
        return image.WithVoxels(sum, PixelType.Float32);
    }

    static float[] Modulus(Volume image, (int A, int B, int C) plane, double theta, GaborSettings s)
    {
        var g = image.Grid;
        int[] size = [g.Nx, g.Ny, g.Nz];
        double[] spacing = [g.Spacing.X, g.Spacing.Y, g.Spacing.Z];
        int[] stride = [1, g.Nx, g.Nx * g.Ny];
        int na = size[plane.A], nb = size[plane.B];
        // In-plane voxel units from the first in-plane axis' spacing (IBSI 2 assumes isotropic in-plane voxels).
        double sigma = s.SigmaMm / spacing[plane.A], lambda = s.LambdaMm / spacing[plane.A];
        int radius = (int)Math.Ceiling(s.Truncation * Math.Max(sigma, sigma / s.Gamma));
        int fa = NextPowerOfTwo(na + 2 * radius), fb = NextPowerOfTwo(nb + 2 * radius);
        var kernel = new Complex[fa * fb];
        for (int kb = -radius; kb <= radius; kb++)
            for (int ka = -radius; ka <= radius; ka++)
            {
                double u = ka * Math.Cos(theta) + kb * Math.Sin(theta), v = -ka * Math.Sin(theta) + kb * Math.Cos(theta);
                double envelope = Math.Exp(-(u * u + s.Gamma * s.Gamma * v * v) / (2 * sigma * sigma));
                kernel[(ka + fa) % fa + fa * ((kb + fb) % fb)] = Complex.FromPolarCoordinates(envelope, 2 * Math.PI * u / lambda);
            }
        Fft2(kernel, fa, fb, inverse: false);
        var result = new float[image.Voxels.Length];
        var source = image.Voxels;
        Parallel.For(0, size[plane.C], () => new Complex[fa * fb], (slice, _, buffer) =>
        {
            // A zero slice with zero padding has a zero response: nothing to transform.
            if (s.Boundary == BoundaryMode.Constant && SliceIsZero(source, slice * stride[plane.C], na, nb, stride[plane.A], stride[plane.B]))
                return buffer;
            // Padded slice: origin of the image at (radius, radius), boundary mode beyond the edges.
            for (int pb = 0; pb < fb; pb++)
                for (int pa = 0; pa < fa; pa++)
                {
                    int a = SeparableConvolution.Boundary(pa - radius, na, s.Boundary), b = SeparableConvolution.Boundary(pb - radius, nb, s.Boundary);
                    buffer[pa + fa * pb] = a < 0 || b < 0 ? Complex.Zero : source[slice * stride[plane.C] + a * stride[plane.A] + b * stride[plane.B]];
                }
            Fft2(buffer, fa, fb, inverse: false);
            for (int n = 0; n < buffer.Length; n++) buffer[n] *= kernel[n];
            Fft2(buffer, fa, fb, inverse: true);
            for (int b = 0; b < nb; b++)
                for (int a = 0; a < na; a++)
                    result[slice * stride[plane.C] + a * stride[plane.A] + b * stride[plane.B]] = (float)buffer[a + radius + fa * (b + radius)].Magnitude;
            return buffer;
        }, _ => { });
        return result;
    }

    static bool SliceIsZero(float[] source, int start, int na, int nb, int strideA, int strideB)
    {
        for (int b = 0; b < nb; b++)
            for (int a = 0; a < na; a++)
                if (source[start + a * strideA + b * strideB] != 0) return false;
        return true;
    }

    static int NextPowerOfTwo(int n) { int p = 1; while (p < n) p <<= 1; return p; }

    /// <summary>In-place 2-D FFT (rows then columns), sizes powers of two; the inverse is scaled by 1/(fa·fb).</summary>
    static void Fft2(Complex[] data, int fa, int fb, bool inverse)
    {
        var column = new Complex[fb];
        for (int b = 0; b < fb; b++) Fft(data.AsSpan(b * fa, fa), inverse);
        for (int a = 0; a < fa; a++)
        {
            for (int b = 0; b < fb; b++) column[b] = data[a + fa * b];
            Fft(column, inverse);
            for (int b = 0; b < fb; b++) data[a + fa * b] = column[b];
        }
        if (inverse) for (int n = 0; n < data.Length; n++) data[n] /= fa * fb;
    }

    /// <summary>Iterative radix-2 Cooley–Tukey FFT, in place.</summary>
    static void Fft(Span<Complex> x, bool inverse)
    {
        int n = x.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j |= bit;
            if (i < j) (x[i], x[j]) = (x[j], x[i]);
        }
        for (int length = 2; length <= n; length <<= 1)
        {
            double angle = (inverse ? 2 : -2) * Math.PI / length;
            var step = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (int start = 0; start < n; start += length)
            {
                var w = Complex.One;
                for (int k = 0; k < length / 2; k++)
                {
                    var even = x[start + k];
                    var odd = x[start + k + length / 2] * w;
                    x[start + k] = even + odd;
                    x[start + k + length / 2] = even - odd;
                    w *= step;
                }
            }
        }
    }
}
