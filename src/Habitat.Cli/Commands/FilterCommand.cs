using System.Globalization;
using Habitat.Imaging;
using Habitat.Imaging.Filters;
using Habitat.Imaging.IO;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat filter</c>: writes a convolutional filter's response map with the input's geometry.</summary>
public sealed class FilterCommand : ICommand
{
    public string Name => "filter";
    public string Summary => "write a filter response map (mean, LoG, Laws, wavelet, gradient, LBP) with the input's geometry";
    public string Usage => """
        usage: habitat filter --image I --filter NAME --out F [options]
          --filter mean      --support N (odd, voxels; default 15)
                   log       --sigma MM [--truncation T (σ multiples, default 4)]
                   laws      --kernel E5L5S5 (x, y, z; two kernels with --2d) [--energy-distance D]
                   wavelet   --wavelet db2 --band LHL (x first) [--level L]
                   gradient  gradient magnitude (central differences in mm, as SimpleITK)
                   lbp2d     [--radius R] [--samples P] [--slice-dimension 0|1|2]  (scikit-image uniform LBP per slice)
          --definition ibsi|pyradiomics
                             ibsi (default): IBSI 2 filters with --boundary; pyradiomics: LoG by ITK's recursive
                             Gaussian (σ² normalised), wavelet by pywt.swtn as PyRadiomics pads and names it
          --boundary constant|nearest|periodic|mirror   IBSI 2 padding (default mirror)
          --2d               filter each axial slice in-plane (mean, log, laws, wavelet)
          --rotation-invariant [--pooling max|average|min]   laws (default max) and wavelet (default average)
        The response map is written as float32, atomically, in the format of the output name.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "2d", "rotation-invariant" };

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var imagePath = args.Required("image");
        var filter = args.Required("filter").ToLowerInvariant();
        var output = args.Required("out");
        bool pyradiomics = (args.Option("definition") ?? "ibsi") switch
        {
            "ibsi" => false,
            "pyradiomics" => true,
            var other => throw new UsageException($"--definition must be ibsi or pyradiomics, got '{other}'"),
        };
        var boundary = (args.Option("boundary") ?? "mirror") switch
        {
            "constant" or "zero" => BoundaryMode.Constant,
            "nearest" => BoundaryMode.Nearest,
            "periodic" => BoundaryMode.Periodic,
            "mirror" => BoundaryMode.Mirror,
            var other => throw new UsageException($"--boundary must be constant, nearest, periodic or mirror, got '{other}'"),
        };
        bool planar = args.Flag("2d");
        bool rotationInvariant = args.Flag("rotation-invariant");
        Pooling? pooling = args.Option("pooling") switch
        {
            null => null,
            "max" => Pooling.Max,
            "average" => Pooling.Average,
            "min" => Pooling.Min,
            var other => throw new UsageException($"--pooling must be max, average or min, got '{other}'"),
        };

        Func<Volume, Volume> apply = filter switch
        {
            "mean" => MeanOf(args.Int("support", 15), boundary, planar),
            "log" => LogOf(Positive(args, "sigma"), args.Double("truncation", 4), boundary, planar, pyradiomics),
            "laws" => LawsOf(args.Required("kernel"), args.Option("energy-distance") is null ? null : args.Int("energy-distance", 0),
                boundary, rotationInvariant, pooling ?? Pooling.Max),
            "wavelet" => WaveletOf(args.Option("wavelet") ?? "coif1", args.Required("band").ToUpperInvariant(), args.Int("level", 1),
                boundary, rotationInvariant, pooling ?? Pooling.Average, pyradiomics),
            "gradient" => v => GradientMagnitude.Apply(v),
            "lbp2d" => Lbp2DOf(args.Double("radius", 1), args.Int("samples", 8), args.Int("slice-dimension", 0)),
            _ => throw new UsageException($"unknown filter '{filter}' (mean, log, laws, wavelet, gradient, lbp2d)"),
        };
        args.EnsureAllUsed();

        var image = ImageFile.Read(imagePath);
        Volume response;
        try { response = apply(image); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        ImageFile.Write(response, output);
        var (min, max) = response.Range();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output} ({filter}, {image.Grid.Nx} × {image.Grid.Ny} × {image.Grid.Nz}, response {min:G6} … {max:G6})"));
        return 0;
    }

    static double Positive(CliArgs args, string name)
    {
        double value = args.Double(name, double.NaN);
        if (!(value > 0)) throw new UsageException($"--{name} must be a positive number");
        return value;
    }

    static Func<Volume, Volume> MeanOf(int support, BoundaryMode boundary, bool planar) =>
        v => MeanFilter.Apply(v, support, boundary, planar);

    static Func<Volume, Volume> LogOf(double sigma, double truncation, BoundaryMode boundary, bool planar, bool pyradiomics) =>
        pyradiomics ? v => LaplacianOfGaussian.PyRadiomics(v, sigma) : v => LaplacianOfGaussian.Apply(v, sigma, boundary, truncation, planar);

    static Func<Volume, Volume> LawsOf(string kernel, int? energyDistance, BoundaryMode boundary, bool rotationInvariant, Pooling pooling) =>
        v => LawsFilter.Apply(v, new LawsSettings(kernel, boundary, rotationInvariant, pooling, energyDistance));

    static Func<Volume, Volume> WaveletOf(string wavelet, string band, int level, BoundaryMode boundary, bool rotationInvariant,
        Pooling pooling, bool pyradiomics) => pyradiomics
        ? v => Wavelets.PyRadiomics(v, wavelet, level).FirstOrDefault(b => b.Name.EndsWith("-" + band, StringComparison.Ordinal)
                   && b.Name.StartsWith(level == 1 ? "wavelet-" : $"wavelet{level}-", StringComparison.Ordinal)).Image
               ?? throw new ArgumentException($"wavelet band '{band}' must be three letters L/H, x first")
        : v => Wavelets.Ibsi(v, wavelet, band, level, boundary, rotationInvariant, pooling);

    static Func<Volume, Volume> Lbp2DOf(double radius, int samples, int sliceDimension) =>
        v => LocalBinaryPattern.PyRadiomics2D(v, radius, samples, LbpMethod.Uniform, sliceDimension);
}
