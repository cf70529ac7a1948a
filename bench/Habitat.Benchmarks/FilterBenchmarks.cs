using BenchmarkDotNet.Attributes;
using Habitat.Imaging;
using Habitat.Imaging.Filters;
using Habitat.Imaging.IO;
using Habitat.Imaging.Processing;

namespace Habitat.Benchmarks;

/// <summary>
/// PyRadiomics' filtered image types on brain1, cropped to the label's bounding box plus PyRadiomics' default
/// padDistance of 5 voxels (the image PyRadiomics filters when it pre-crops): the recursive LoG at σ = 1, 2, 3 mm and the
/// 8-band coif1 wavelet (PyRadiomics' default). For comparison, the IBSI 2 sampled-kernel LoG (σ = 3 mm, 4σ truncation).
/// LBP3D (PyRadiomics' defaults: 2 levels, radius 1, subdivision 1) runs on the whole brain1 image, for the same region.
/// Run from the repository root: <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*FilterBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private Volume brain1 = null!;
    private Volume wholeBrain1 = null!;
    private Box region;

    [GlobalSetup]
    public void Setup()
    {
        var image = ImageFile.Read(BenchmarkData.Reference("pyradiomics", "brain1_image.nrrd"));
        var lesion = ImageFile.ReadLabels(BenchmarkData.Reference("pyradiomics", "brain1_label.nrrd")).MaskOf(1);
        var box = Box.Bounding(image.Grid, lesion).Grow(image.Grid, 5, 5, 5);
        brain1 = new Volume(box.SubGrid(image.Grid), box.Extract(image.Grid, image.Voxels));
        wholeBrain1 = image;
        region = box;
    }

    [Benchmark]
    public int Lbp3DDefaults() => LocalBinaryPattern3D.PyRadiomics(wholeBrain1, region).Energies.Count;

    [Benchmark]
    public Volume LoGSigma1() => LaplacianOfGaussian.PyRadiomics(brain1, 1);

    [Benchmark]
    public Volume LoGSigma2() => LaplacianOfGaussian.PyRadiomics(brain1, 2);

    [Benchmark]
    public Volume LoGSigma3() => LaplacianOfGaussian.PyRadiomics(brain1, 3);

    [Benchmark]
    public int WaveletCoif1EightBands() => Wavelets.PyRadiomics(brain1, "coif1").Count;

    [Benchmark]
    public Volume IbsiSampledLoGSigma3() => LaplacianOfGaussian.Apply(brain1, 3, BoundaryMode.Mirror);
}
