using BenchmarkDotNet.Attributes;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Benchmarks;

/// <summary>
/// PyRadiomics-compatible extraction of brain1 (256×256×25, 4137 ROI voxels) with PyRadiomics' default settings, in
/// process after warm-up: every Original feature class (settings/pyradiomics/default.yaml) from volumes already in
/// memory and including reading the two NRRD files; Original + LoG σ 1, 2, 3 mm (log.yaml); and Original + LoG + the
/// 8 wavelet bands (log-wavelet.yaml). PyRadiomics 3.1 takes 111 ms per case (Original) and 805 ms (+ LoG + Wavelet).
/// Run from the repository root: <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*PyRadiomics*'</c>.
/// Min and median are shown because the shared machine is rarely idle: the minimum is the nearest to an idle run.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class PyRadiomicsBenchmarks
{
    private Volume image = null!, mask = null!;
    private string imagePath = null!, maskPath = null!;
    private PyRadiomicsParameters parameters = null!, withLoG = null!, withLoGAndWavelet = null!, distances = null!, weighted = null!,
        shell = null!, far = null!, coronal = null!;

    [GlobalSetup]
    public void Setup()
    {
        imagePath = BenchmarkData.Reference("pyradiomics", "brain1_image.nrrd");
        maskPath = BenchmarkData.Reference("pyradiomics", "brain1_label.nrrd");
        image = ImageFile.Read(imagePath);
        mask = ImageFile.Read(maskPath);
        parameters = Load("default");
        withLoG = Load("log");
        withLoGAndWavelet = Load("log-wavelet");
        // distances [1, 2]: 62 GLCM angles (averaged, or distance-weighted and summed) and GLDM/NGTDM radius 2.
        distances = PyRadiomicsParameters.Parse("setting:\n  distances: [1, 2]\n", "distances");
        weighted = PyRadiomicsParameters.Parse("setting:\n  distances: [1, 2]\n  weightingNorm: manhattan\n", "weighted");
        // distances [2]: a shell (49 GLCM angles, 98-voxel GLDM/NGTDM neighbourhood); [1, 20]: beyond the former limit of
        // 16, clipped to the ROI's box; force2D in the coronal plane (force2Ddimension 1: the region is permuted).
        shell = PyRadiomicsParameters.Parse("setting:\n  distances: [2]\n", "shell");
        far = PyRadiomicsParameters.Parse("setting:\n  distances: [1, 20]\n", "far");
        coronal = PyRadiomicsParameters.Parse("setting:\n  force2D: true\n  force2Ddimension: 1\n", "coronal");
    }

    [Benchmark(Baseline = true)]
    public int Brain1DefaultOriginal() => PyRadiomicsExtractor.Extract(image, mask, parameters).Features.Count;

    [Benchmark]
    public int Brain1DefaultOriginalWithFileReading() => // as habitat extract reads them
        PyRadiomicsExtractor.ExtractFiles(imagePath, maskPath, parameters).Features.Count;

    [Benchmark]
    public int Brain1OriginalAndLoG() => PyRadiomicsExtractor.Extract(image, mask, withLoG).Features.Count;

    [Benchmark]
    public int Brain1OriginalLoGAndWavelet() => PyRadiomicsExtractor.Extract(image, mask, withLoGAndWavelet).Features.Count;

    [Benchmark]
    public int Brain1Distances12() => PyRadiomicsExtractor.Extract(image, mask, distances).Features.Count;

    [Benchmark]
    public int Brain1Distances12Manhattan() => PyRadiomicsExtractor.Extract(image, mask, weighted).Features.Count;

    [Benchmark]
    public int Brain1DistanceShell2() => PyRadiomicsExtractor.Extract(image, mask, shell).Features.Count;

    [Benchmark]
    public int Brain1Distances1And20() => PyRadiomicsExtractor.Extract(image, mask, far).Features.Count;

    [Benchmark]
    public int Brain1Force2DCoronal() => PyRadiomicsExtractor.Extract(image, mask, coronal).Features.Count;

    private static PyRadiomicsParameters Load(string name) =>
        PyRadiomicsParameters.Load(Path.Combine(BenchmarkData.RepoRoot, "settings", "pyradiomics", name + ".yaml"));
}
