using Habitat.Imaging.Processing;

namespace Habitat.Imaging.Filters;

/// <summary>An orthogonal wavelet's decomposition filters (PyWavelets' dec_lo / dec_hi).</summary>
public sealed record WaveletFamily(string Name, double[] Low)
{
    /// <summary>Quadrature mirror of the low-pass: hi[k] = (−1)^(k+1) · lo[L−1−k] (PyWavelets' convention).</summary>
    public double[] High
    {
        get
        {
            int length = Low.Length;
            var high = new double[length];
            for (int k = 0; k < length; k++) high[k] = (k % 2 == 0 ? -1 : 1) * Low[length - 1 - k];
            return high;
        }
    }

    /// <summary>The families Habitat knows, by PyWavelets name.</summary>
    public static WaveletFamily Named(string name) => name.ToLowerInvariant() switch
    {
        "haar" or "db1" => new(name, [0.7071067811865476, 0.7071067811865476]),
        "db2" or "sym2" => new(name, [-0.12940952255092145, 0.22414386804185735, 0.836516303737469, 0.48296291314469025]),
        "db3" or "sym3" => new(name, [0.035226291882100656, -0.08544127388224149, -0.13501102001039084, 0.4598775021193313,
                                      0.8068915093133388, 0.3326705529509569]),
        "db4" => new(name, [-0.010597401784997278, 0.032883011666982945, 0.030841381835986965, -0.18703481171888114,
                            -0.02798376941698385, 0.6308807679295904, 0.7148465705525415, 0.23037781330885523]),
        "sym4" => new(name, [-0.07576571478927333, -0.02963552764599851, 0.49761866763201545, 0.8037387518059161,
                             0.29785779560527736, -0.09921954357684722, -0.012603967262037833, 0.0322231006040427]),
        "coif1" => new(name, [-0.01565572813546454, -0.0727326195128539, 0.38486484686420286, 0.8525720202122554,
                              0.3378976624578092, -0.0727326195128539]),
        _ => throw new ArgumentException($"unknown wavelet '{name}' (known: haar, db1-db4, sym2-sym4, coif1)", nameof(name)),
    };
}

/// <summary>
/// Undecimated separable wavelet transforms: each sub-band is the image convolved, axis by axis, with the
/// low-pass (L) or high-pass (H) decomposition filter, the letters of a band naming x, y, z in that order.
/// </summary>
public static class Wavelets
{
    /// <summary>
    /// IBSI 2 separable wavelet response map (IBSI 2 "separable wavelets"): level l is reached through the
    /// LLL (2-D: LL) band of the levels before it, with à trous filters dilated by 2^(l−1); optionally
    /// rotation-invariant by pooling over right-angle rotations. The filter's origin is tap ⌊L/2⌋, as
    /// PyWavelets' stationary transform places it.
    /// </summary>
    public static Volume Ibsi(Volume image, string wavelet, string band, int level, BoundaryMode mode,
        bool rotationInvariant = false, Pooling pooling = Pooling.Average)
    {
        if (level < 1) throw new ArgumentOutOfRangeException(nameof(level), $"wavelet level must be ≥ 1, got {level}");
        var family = WaveletFamily.Named(wavelet);
        var selected = BandKernels(family, band);
        bool planar = selected.Length == 2;
        var approximation = BandKernels(family, new string('L', selected.Length));
        var grid = image.Grid;
        float[] Respond(Func<IReadOnlyList<Kernel1D>, Kernel1D[]> rotate)
        {
            var current = image.Voxels;
            for (int l = 1; l <= level; l++)
            {
                var kernels = rotate(l == level ? selected : approximation);
                int dilation = 1 << (l - 1);
                current = SeparableConvolution.Apply(current, grid, kernels[0].Dilated(dilation), kernels[1].Dilated(dilation),
                    planar ? null : kernels[2].Dilated(dilation), mode);
            }
            return current;
        }
        var response = rotationInvariant
            ? RotationInvariance.Pool(planar, Respond, pooling)
            : Respond(k => k.ToArray());
        return image.WithVoxels(response, PixelType.Float32);
    }

    /// <summary>
    /// PyRadiomics' wavelet image type (imageoperations._swt3): each odd-sized axis is padded at its end with one
    /// wrapped voxel, then <c>pywt.swtn(level=1, start_level=0, axes=(x, y, z))</c> — undilated filters, periodic
    /// boundaries — is applied to the approximation <paramref name="startLevel"/> + <paramref name="levels"/> times;
    /// the sub-bands of the last <paramref name="levels"/> passes and the final approximation are cropped back.
    /// Returns PyRadiomics' image-type names ("wavelet-LLH", "wavelet2-HLL", …, "wavelet-LLL").
    /// </summary>
    /// <param name="planarDimension">PyRadiomics' <c>force2Ddimension</c> when <c>force2D</c> is on (0: z, 1: y,
    /// 2: x is left unfiltered and the bands have two letters); null for the 3-D transform.</param>
    public static IReadOnlyList<(string Name, Volume Image)> PyRadiomics(Volume image, string wavelet, int levels = 1, int startLevel = 0,
        int? planarDimension = null) =>
        PyRadiomics(image, wavelet, levels, startLevel, planarDimension, new Box(0, 0, 0, image.Grid.Nx, image.Grid.Ny, image.Grid.Nz));

    /// <summary>
    /// The bands of <see cref="PyRadiomics(Volume, string, int, int, int?)"/> inside <paramref name="region"/> only, on
    /// the region's grid, with the same values. Each level's output voxel depends on the L taps around it (L: filter
    /// length), so the transform runs on the region grown by L/2 per level along every filtered axis where that stays
    /// inside the image (the periodic wrap is never reached there); other axes are transformed whole, wrap included.
    /// </summary>
    public static IReadOnlyList<(string Name, Volume Image)> PyRadiomics(Volume image, string wavelet, int levels, int startLevel,
        int? planarDimension, Box region)
    {
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels), $"wavelet level must be ≥ 1, got {levels}");
        if (startLevel < 0) throw new ArgumentOutOfRangeException(nameof(startLevel), $"wavelet start level must be ≥ 0, got {startLevel}");
        if (planarDimension is not (null or 0 or 1 or 2))
            throw new ArgumentOutOfRangeException(nameof(planarDimension), $"force2Ddimension must be 0, 1 or 2, got {planarDimension}");
        var source = image.Grid;
        if (region.IsEmpty || region.I0 < 0 || region.J0 < 0 || region.K0 < 0 || region.I1 > source.Nx || region.J1 > source.Ny || region.K1 > source.Nz)
            throw new ArgumentOutOfRangeException(nameof(region), $"region {region} is empty or not inside the {source.Nx}×{source.Ny}×{source.Nz} image");
        var family = WaveletFamily.Named(wavelet);
        // The filtered axes in PyRadiomics' order (its array is z, y, x and axes run 2, 1, 0: x first).
        int[] axes = planarDimension switch { null => [0, 1, 2], 0 => [0, 1], 1 => [0, 2], _ => [1, 2] };
        int reach = (startLevel + levels) * (family.Low.Length / 2);
        int[] size = [source.Nx, source.Ny, source.Nz], lower = [region.I0, region.J0, region.K0], upper = [region.I1, region.J1, region.K1];
        int[] windowStart = new int[3], windowSize = new int[3];
        for (int axis = 0; axis < 3; axis++)
        {
            bool filtered = axes.Contains(axis);
            if (!filtered) (windowStart[axis], windowSize[axis]) = (lower[axis], upper[axis] - lower[axis]);
            else if (lower[axis] - reach >= 0 && upper[axis] + reach <= size[axis])
                (windowStart[axis], windowSize[axis]) = (lower[axis] - reach, upper[axis] - lower[axis] + 2 * reach);
            else (windowStart[axis], windowSize[axis]) = (0, RoundUpToEven(size[axis]));
        }
        var grid = source.WithSize(windowSize[0], windowSize[1], windowSize[2]);
        var window = WrapWindow(image.Voxels, source, windowStart, grid);
        // PyWavelets' periodized stationary transform: out[i] = Σ_j h[j] · x[(i + L/2 − j) mod N].
        var low = new Kernel1D(ToFloat(family.Low), family.Low.Length / 2);
        var high = new Kernel1D(ToFloat(family.High), family.Low.Length / 2);
        // One level: split along each filtered axis in turn into L and H halves (a tree: 2 + 4 + 8 passes in 3-D),
        // leaving the bands in pywt.swtn's key order (LLL, LLH, LHL, …, HHH).
        List<(string Band, float[] Data)> Decompose(float[] data)
        {
            var bands = new List<(string Band, float[] Data)> { ("", data) };
            foreach (int axis in axes)
                bands = bands.SelectMany(b => new[]
                {
                    (b.Band + "L", SeparableConvolution.AlongAxis(b.Data, grid, axis, low, BoundaryMode.Periodic)),
                    (b.Band + "H", SeparableConvolution.AlongAxis(b.Data, grid, axis, high, BoundaryMode.Periodic)),
                }).ToList();
            return bands;
        }
        var regionGrid = region.SubGrid(source);
        var inWindow = new Box(region.I0 - windowStart[0], region.J0 - windowStart[1], region.K0 - windowStart[2],
            region.I1 - windowStart[0], region.J1 - windowStart[1], region.K1 - windowStart[2]);
        var result = new List<(string, Volume)>();
        var approximation = window;
        for (int l = 0; l < startLevel + levels; l++)
        {
            var bands = Decompose(approximation);
            approximation = bands[0].Data;
            if (l < startLevel) continue;
            string prefix = l == startLevel ? "wavelet-" : $"wavelet{l - startLevel + 1}-";
            foreach (var (band, data) in bands.Skip(1))
                result.Add((prefix + band, new Volume(regionGrid, inWindow.Extract(grid, data), PixelType.Float32)));
        }
        string last = levels == 1 ? "wavelet-" : $"wavelet{levels}-";
        result.Add((last + new string('L', axes.Length), new Volume(regionGrid, inWindow.Extract(grid, approximation), PixelType.Float32)));
        return result;
    }

    static Kernel1D[] BandKernels(WaveletFamily family, string band)
    {
        if (band.Length is not (2 or 3) || band.Any(c => c is not ('L' or 'H' or 'l' or 'h')))
            throw new ArgumentException($"wavelet band '{band}' must be 2 or 3 letters L/H, x first (e.g. LHL)", nameof(band));
        var low = new Kernel1D(ToFloat(family.Low), family.Low.Length / 2);
        var high = new Kernel1D(ToFloat(family.High), family.Low.Length / 2);
        return band.Select(c => char.ToUpperInvariant(c) == 'L' ? low : high).ToArray();
    }

    static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();

    static int RoundUpToEven(int n) => n + (n & 1);

    /// <summary>The window of the image starting at <paramref name="start"/>, indices wrapping around the image's size
    /// (numpy.pad(…, 'wrap') at the end of an axis when the window is the whole even-padded axis).</summary>
    static float[] WrapWindow(float[] voxels, Grid grid, int[] start, Grid window)
    {
        var result = new float[window.Count];
        for (int k = 0; k < window.Nz; k++)
            for (int j = 0; j < window.Ny; j++)
            {
                int row = grid.Nx * ((start[1] + j) % grid.Ny + grid.Ny * ((start[2] + k) % grid.Nz));
                for (int i = 0; i < window.Nx; i++)
                    result[window.Index(i, j, k)] = voxels[row + (start[0] + i) % grid.Nx];
            }
        return result;
    }
}
