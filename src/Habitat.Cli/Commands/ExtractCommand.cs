using Habitat.Imaging.IO;
using Habitat.Radiomics;
using Habitat.Radiomics.Output;
using Habitat.Radiomics.Settings;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat extract</c>: IBSI features of one image and ROI mask as a long table.</summary>
public sealed class ExtractCommand : ICommand
{
    public string Name => "extract";
    public string Summary => "IBSI radiomic features of an image and ROI mask (long CSV)";
    public string Usage => """
        usage: habitat extract --image I --mask M --settings S [--label N] --names ibsi --out F.csv
          --image I       image volume (NIfTI, or any format habitat reads)
          --mask M        ROI mask on the same grid as the image
          --settings S    settings file (YAML or JSON), e.g. settings/ibsi/config_C.yaml
          --label N       ROI label in the mask (default: every non-zero voxel)
          --names ibsi    feature naming: ibsi (IBSI tags and codes)
          --out F.csv     output table with the header ibsi_tag,ibsi_code,aggregation,value
        PyRadiomics-compatible (parameter file with setting/imageType/featureClass sections):
        """ + PyRadiomicsExtraction.Usage;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Option("params") is not null || args.Option("manifest") is not null) return PyRadiomicsExtraction.Run(args, stdout, stderr);
        var imagePath = args.Required("image");
        var maskPath = args.Required("mask");
        var settingsPath = args.Required("settings");
        int? label = args.Option("label") is null ? null : args.Int("label", 0);
        if (label is < 1) throw new UsageException($"--label must be a positive integer, got {label}");
        var names = args.Required("names");
        if (names != "ibsi") throw new UsageException($"--names must be 'ibsi', got '{names}'");
        var outPath = args.Required("out");
        args.EnsureAllUsed();

        var settings = SettingsLoader.Load(settingsPath);
        var input = ImageLoader.ReadImageAndMask(imagePath, maskPath);
        var features = IbsiExtractor.Extract(input.Image, input.Mask, label, settings, imagePath, maskPath);
        FeatureCsv.Write(outPath, features);
        stdout.WriteLine($"{features.Count} features written to {outPath}");
        return 0;
    }
}
