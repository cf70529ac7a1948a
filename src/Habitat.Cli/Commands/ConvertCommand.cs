using Habitat.Imaging.IO;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat convert</c>: reads an image in any supported format and writes it in the format of the output name.</summary>
public sealed class ConvertCommand : ICommand
{
    public string Name => "convert";
    public string Summary => "convert an image between NIfTI, NRRD and MetaImage (geometry and data type kept)";
    public string Usage => """
        usage: habitat convert <in> <out> [--volume N]
          <in>          .nii, .nii.gz, .hdr/.img, .nrrd, .nhdr, .mha or .mhd
          <out>         output; its extension picks the format: .nii.gz/.nii/.hdr (NIfTI-1), .nrrd/.nhdr (gzip NRRD),
                        .mha/.mhd (zlib MetaImage)
          --volume N    volume (0-based) of a 4-D NIfTI series
        The stored data type and the geometry are kept; the output is written atomically.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positionals.Count != 2) throw new UsageException("expected an input and an output file");
        var (input, output) = (args.Positionals[0], args.Positionals[1]);
        int? volumeIndex = args.Option("volume") is null ? null : args.Int("volume", 0);
        args.EnsureAllUsed();

        var outputFormat = ImageFile.FormatOfName(output);
        var volume = ImageFile.Read(input, volumeIndex);
        ImageFile.Write(volume, output);
        var g = volume.Grid;
        stdout.WriteLine($"wrote {output} ({InfoCommand.FormatName(outputFormat)}, {g.Nx} × {g.Ny} × {g.Nz}, {volume.StoredType})");
        return 0;
    }
}
