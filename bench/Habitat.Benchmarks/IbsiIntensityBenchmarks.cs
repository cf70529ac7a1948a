using BenchmarkDotNet.Attributes;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.Settings;

namespace Habitat.Benchmarks;

/// <summary>
/// The IBSI processing chain and the intensity families (local intensity, statistics, histogram, IVH), and with morphology:
/// on the IBSI CT phantom's GTV under configuration C (trilinear interpolation to 2 mm included) and on brain1's
/// 4137-voxel lesion (PyRadiomics test data) with PyRadiomics' defaults (bin width 25, no resampling).
/// Run: <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*IbsiIntensity*'</c>.
/// </summary>
[MemoryDiagnoser]
public class IbsiIntensityBenchmarks
{
    private static readonly IbsiSettings IntensityFamilies = new()
    {
        Families = [FeatureFamilies.LocalIntensity, FeatureFamilies.IntensityStatistics, FeatureFamilies.IntensityHistogram, FeatureFamilies.IntensityVolumeHistogram],
    };

    private Volume _ct = null!, _brain = null!;
    private byte[] _ctMask = null!, _brainMask = null!;
    private IbsiSettings _configC = null!, _brainSettings = null!;
    private RoiImage _ctRoi = null!, _brainRoi = null!;

    [GlobalSetup]
    public void Setup()
    {
        var ct = ImageLoader.ReadImageAndMask(BenchmarkData.Reference("ibsi1", "ct_phantom", "image.nii.gz"), BenchmarkData.Reference("ibsi1", "ct_phantom", "mask.nii.gz"));
        _ct = ct.Image;
        _ctMask = ct.Mask.Foreground();
        _configC = SettingsLoader.Load(Path.Combine(BenchmarkData.RepoRoot, "settings", "ibsi", "config_C.yaml")) with { Families = IntensityFamilies.Families };
        _ctRoi = RoiPreprocessor.Process(_ct, _ctMask, _configC);

        var brain = ImageLoader.ReadImageAndMask(BenchmarkData.Reference("pyradiomics", "brain1_image.nrrd"), BenchmarkData.Reference("pyradiomics", "brain1_label.nrrd"));
        _brain = brain.Image;
        _brainMask = brain.Mask.MaskOf(1);
        _brainSettings = IntensityFamilies with { Discretisation = new DiscretisationSettings(DiscretisationMethod.FixedBinSize, 25, null) };
        _brainRoi = RoiPreprocessor.Process(_brain, _brainMask, _brainSettings);
    }

    [Benchmark(Description = "CT config C: processing chain (crop, trilinear 2 mm, round, mask, re-segment)")]
    public RoiImage CtConfigCProcessing() => RoiPreprocessor.Process(_ct, _ctMask, _configC);

    [Benchmark(Description = "CT config C: intensity families on the processed ROI")]
    public List<Feature> CtConfigCFamilies() => IbsiExtractor.Compute(_ctRoi, _configC);

    [Benchmark(Description = "CT config C: processing + intensity families")]
    public List<Feature> CtConfigCTotal() => IbsiExtractor.Compute(RoiPreprocessor.Process(_ct, _ctMask, _configC), _configC);

    [Benchmark(Description = "CT config C: processing + morphology + intensity families (all of IBSI issue 3)")]
    public List<Feature> CtConfigCWithMorphology() =>
        IbsiExtractor.Compute(RoiPreprocessor.Process(_ct, _ctMask, _configC), _configC with { Families = [FeatureFamilies.Morphology, .. IntensityFamilies.Families] });

    [Benchmark(Description = "brain1: intensity statistics + histogram (PyRadiomics first-order: 2.4 ms)")]
    public List<Feature> Brain1FirstOrder() =>
        IbsiExtractor.Compute(_brainRoi, _brainSettings with { Families = [FeatureFamilies.IntensityStatistics, FeatureFamilies.IntensityHistogram] });

    [Benchmark(Description = "brain1: crop + all four intensity families")]
    public List<Feature> Brain1Total() => IbsiExtractor.Compute(RoiPreprocessor.Process(_brain, _brainMask, _brainSettings), _brainSettings);
}
