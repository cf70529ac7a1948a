using Habitat.Cli.Batch;
using Habitat.Imaging.IO;
using Habitat.Radiomics;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Output;
using Habitat.Radiomics.Settings;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat extract</c>: IBSI features of one image and ROI mask as a long table, or habitat radiomics of
/// studies (<c>--study DIR</c> / <c>--manifest CSV</c>) as a wide table with one row per study.</summary>
public sealed class ExtractCommand : ICommand
{
    public string Name => "extract";
    public string Summary => "IBSI features of an image + mask (long CSV), or habitat radiomics of studies (wide CSV)";
    public string Usage => """
        usage: habitat extract --image I --mask M --settings S [--label N] --names ibsi --out F.csv
          --image I       image volume (NIfTI, or any format habitat reads)
          --mask M        ROI mask on the same grid as the image
          --settings S    settings file (YAML or JSON), e.g. settings/ibsi/config_C.yaml
          --label N       ROI label in the mask (default: every non-zero voxel)
          --names ibsi    feature naming: ibsi (IBSI tags and codes)
          --out F.csv     output table with the header ibsi_tag,ibsi_code,aggregation,value
        Habitat radiomics of studies (wide table, one row per study):
          habitat extract (--study DIR | --manifest studies.csv) --settings S --out F.csv [--jobs N] [--format csv|parquet]
          --study DIR     a study folder: <Sequence>.nii.gz per sequence (e.g. T1c, FLAIR), habitat.nii.gz
                          (BraTS labels by default), optional brain_mask.nii.gz
          --manifest M    CSV with columns id, habitat, [brain_mask,] one per sequence (paths relative to M)
          --settings S    e.g. settings/habitat-default.yaml (key 'habitat': sequences, labels, shells, normalisation)
          --out F.csv     id, settings_hash, <sequence>.<compartment>.<feature>, shape.*, habitat.*; missing values
                          are empty, with the reason in F.errors.csv; the settings text is copied to F.settings.yaml.
                          An existing F.csv is resumed: its studies are skipped (it must have the same settings)
          --resume        accepted for older scripts; resuming is what happens anyway
        """ + BatchCommandLine.OptionsUsage + """
        PyRadiomics-compatible (parameter file with setting/imageType/featureClass sections):
        """ + PyRadiomicsExtraction.Usage;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "resume" };

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Option("params") is not null) return PyRadiomicsExtraction.Run(args, stdout, stderr);
        if (args.Option("study") is not null || args.Option("manifest") is not null) return RunStudies(args, stdout, stderr);
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

    private static int RunStudies(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var study = args.Option("study");
        var manifest = args.Option("manifest");
        if (study is not null && manifest is not null) throw new UsageException("give --study or --manifest, not both");
        var settingsPath = args.Required("settings");
        var outPath = args.Required("out");
        var (jobs, format) = BatchCommandLine.Options(args, outPath);
        args.Flag("resume");
        args.EnsureAllUsed();

        var settingsText = File.ReadAllText(settingsPath);
        var settings = SettingsLoader.Parse(settingsText, settingsPath);
        var extractor = new StudyExtractor(settings, Path.GetDirectoryName(Path.GetFullPath(settingsPath)) ?? ".");
        var studies = study is not null ? [(1, StudyFiles.FromFolder(study, extractor.Habitat))] : StudyBatch.ReadManifest(manifest!, extractor.Habitat);
        return BatchCommandLine.Run(StudyBatch.Plan(studies, extractor, settingsText, outPath, format), jobs, "studies", stdout, stderr);
    }
}
