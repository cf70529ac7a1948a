using BenchmarkDotNet.Attributes;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Benchmarks;

/// <summary>
/// PyRadiomics' shape class on brain1 (4137 ROI voxels, the mask cropped to its bounding box + 5 voxels as the extractor
/// does): the whole class, and the marching-cubes pass alone. PyRadiomics 3.1 takes 19 ms for the shape class. The Min
/// column is the figure to read on a busy machine.
/// Run from the repository root: <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*PyRadiomicsShape*'</c>.
/// </summary>
[MemoryDiagnoser, MinColumn]
public class PyRadiomicsShapeBenchmarks
{
    private Grid grid = null!;
    private byte[] mask = null!;

    [GlobalSetup]
    public void Setup()
    {
        var label = ImageFile.Read(BenchmarkData.Reference("pyradiomics", "brain1_label.nrrd"));
        var roi = Array.ConvertAll(label.Voxels, v => v == 1 ? (byte)1 : (byte)0);
        var crop = Box.Bounding(label.Grid, roi).Grow(label.Grid, 5, 5, 5);
        grid = crop.SubGrid(label.Grid);
        mask = crop.Extract(label.Grid, roi);
    }

    [Benchmark(Baseline = true)]
    public double Brain1ShapeClass()
    {
        double sum = 0;
        PyShape.Compute(grid, mask, (_, value) => sum += value);
        return sum;
    }

    [Benchmark]
    public double Brain1Mesh() => PyMesh.Of(grid, mask).Area;
}
