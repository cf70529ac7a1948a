using BenchmarkDotNet.Attributes;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Benchmarks;

/// <summary>
/// PyRadiomics-compatible extraction of brain1 (256×256×25, 4137 ROI voxels) with PyRadiomics' default settings and
/// every Original feature class (settings/pyradiomics/default.yaml), in process after warm-up: from volumes already
/// in memory, and including reading the two NRRD files. PyRadiomics 3.1 takes 111 ms per case on this machine.
/// Run from the repository root: <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*PyRadiomics*'</c>.
/// </summary>
[MemoryDiagnoser]
public class PyRadiomicsBenchmarks
{
    private Volume image = null!, mask = null!;
    private string imagePath = null!, maskPath = null!;
    private PyRadiomicsParameters parameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        imagePath = BenchmarkData.Reference("pyradiomics", "brain1_image.nrrd");
        maskPath = BenchmarkData.Reference("pyradiomics", "brain1_label.nrrd");
        image = ImageFile.Read(imagePath);
        mask = ImageFile.Read(maskPath);
        parameters = PyRadiomicsParameters.Load(Path.Combine(BenchmarkData.RepoRoot, "settings", "pyradiomics", "default.yaml"));
    }

    [Benchmark(Baseline = true)]
    public int Brain1DefaultOriginal() => PyRadiomicsExtractor.Extract(image, mask, parameters).Features.Count;

    [Benchmark]
    public int Brain1DefaultOriginalWithFileReading() =>
        PyRadiomicsExtractor.Extract(ImageFile.Read(imagePath), ImageFile.Read(maskPath), parameters).Features.Count;
}
