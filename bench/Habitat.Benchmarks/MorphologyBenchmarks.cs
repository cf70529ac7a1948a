using BenchmarkDotNet.Attributes;
using Habitat.Imaging.IO;
using Habitat.Radiomics;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.Settings;

namespace Habitat.Benchmarks;

/// <summary>
/// IBSI morphology on the CT phantom ROI after configuration C's processing (2 mm trilinear interpolation, range
/// re-segmentation; ~45 000 voxels) and on PyRadiomics' brain1 lesion (4137 voxels, no processing). "Geometric" is
/// every morphology feature except Moran's I and Geary's C, which are timed on their own (O(n²) in the voxels;
/// PyRadiomics has no equivalent). Run from the repository root:
/// <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*Morphology*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MorphologyBenchmarks
{
    private RoiImage ctConfigC = null!;
    private RoiImage brain1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        string reference = FindUp(Path.Combine("shared", "reference"));
        string settings = FindUp(Path.Combine("settings", "ibsi"));
        var ct = ImageFile.Read(Path.Combine(reference, "ibsi1", "ct_phantom", "image.nii.gz"));
        var ctMask = ImageFile.ReadLabels(Path.Combine(reference, "ibsi1", "ct_phantom", "mask.nii.gz")).Foreground();
        ctConfigC = RoiPreprocessor.Process(ct, ctMask, SettingsLoader.Load(Path.Combine(settings, "config_C.yaml")));
        var image = ImageFile.Read(Path.Combine(reference, "pyradiomics", "brain1_image.nrrd"));
        var lesion = ImageFile.ReadLabels(Path.Combine(reference, "pyradiomics", "brain1_label.nrrd")).MaskOf(1);
        brain1 = new RoiImage(image.Grid, image.Voxels, lesion, lesion);
    }

    /// <summary>The nearest ancestor of the working directory holding <paramref name="relative"/>.</summary>
    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"no '{relative}' above {Environment.CurrentDirectory}");
    }

    [Benchmark] public List<Feature> CtConfigCGeometric() => Run(ctConfigC, Morphology.ComputeGeometric);
    [Benchmark] public List<Feature> CtConfigCMoranGeary() => Run(ctConfigC, Morphology.ComputeAutocorrelation);
    [Benchmark] public List<Feature> Brain1Geometric() => Run(brain1, Morphology.ComputeGeometric);
    [Benchmark] public List<Feature> Brain1MoranGeary() => Run(brain1, Morphology.ComputeAutocorrelation);

    private static List<Feature> Run(RoiImage roi, Action<RoiImage, List<Feature>> family)
    {
        var output = new List<Feature>(32);
        family(roi, output);
        return output;
    }
}
