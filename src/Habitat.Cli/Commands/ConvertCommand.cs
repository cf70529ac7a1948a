using Habitat.Imaging.IO;
using Habitat.Imaging.IO.Dicom;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat convert</c>: reads an image in any supported format and writes it in the format of the output name.</summary>
public sealed class ConvertCommand : ICommand
{
    public string Name => "convert";
    public string Summary => "convert an image between NIfTI, NRRD and MetaImage, or from DICOM (series, SEG, RTSTRUCT ROI)";
    public string Usage => """
        usage: habitat convert <in> <out> [--volume N] [--series UID] [--rtstruct FILE --roi NAME]
          <in>          .nii, .nii.gz, .hdr/.img, .nrrd, .nhdr, .mha, .mhd, a DICOM file (a SEG becomes its label image)
                        or a DICOM folder (the only or largest series, or --series UID)
          <out>         output; its extension picks the format: .nii.gz/.nii/.hdr (NIfTI-1), .nrrd/.nhdr (gzip NRRD),
                        .mha/.mhd (zlib MetaImage)
          --volume N    volume (0-based) of a 4-D NIfTI series
          --series UID  Series Instance UID of the DICOM series to read from a folder
          --rtstruct FILE --roi NAME
                        instead of the image, write ROI NAME of the RT Structure Set FILE rasterised onto the
                        image's grid (0/1 mask; a voxel is inside when its centre is, holes respected)
        The stored data type and the geometry are kept; the output is written atomically.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positionals.Count != 2) throw new UsageException("expected an input and an output file");
        var (input, output) = (args.Positionals[0], args.Positionals[1]);
        int? volumeIndex = args.Option("volume") is null ? null : args.Int("volume", 0);
        var (series, rtstruct, roi) = (args.Option("series"), args.Option("rtstruct"), args.Option("roi"));
        args.EnsureAllUsed();
        if ((rtstruct is null) != (roi is null)) throw new UsageException("--rtstruct and --roi go together");

        var outputFormat = ImageFile.FormatOfName(output);
        bool dicomSeries = ImageFile.Detect(input) == ImageFormat.Dicom && (Directory.Exists(input) || series is not null || rtstruct is not null);
        var dicom = dicomSeries ? DicomSeriesReader.Read(input, new DicomReadOptions(series)) : null;
        foreach (var warning in dicom?.Warnings ?? []) stderr.WriteLine($"warning: {warning}");
        var volume = dicom?.Volume ?? ImageFile.Read(input, volumeIndex);
        if (rtstruct is not null)
        {
            var structures = RtStruct.Read(rtstruct);
            var mask = dicom is not null ? structures.Rasterise(roi!, dicom) : structures.Rasterise(roi!, volume.Grid, imageName: input);
            foreach (var warning in mask.Warnings) stderr.WriteLine($"warning: {warning}");
            ImageFile.Write(mask.Mask, output);
            var m = mask.Mask.Grid;
            stdout.WriteLine($"wrote {output} ({InfoCommand.FormatName(outputFormat)}, ROI '{mask.Roi.Name}': {mask.Mask.Labels.Count(l => l != 0)} voxels on {m.Nx} × {m.Ny} × {m.Nz})");
            return 0;
        }
        ImageFile.Write(volume, output);
        var g = volume.Grid;
        stdout.WriteLine($"wrote {output} ({InfoCommand.FormatName(outputFormat)}, {g.Nx} × {g.Ny} × {g.Nz}, {volume.StoredType})");
        return 0;
    }
}
