using BenchmarkDotNet.Attributes;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.Maps;
using Habitat.Radiomics.Settings;

namespace Habitat.Benchmarks;

/// <summary>
/// Per-voxel maps: CoLlAGe 3-D (k = 2, w = 2, 64 bins: all 26 θ/φ statistic maps) and a voxel-wise GLCM joint-entropy
/// map (3×3×3 masked kernel, 13 directions averaged, bin width 25 as PyRadiomics' default), on (a) brain1's lesion
/// (4137 voxels, PyRadiomics test data) and (b) a 60 000-voxel block (60×50×20) in the middle of the same image.
/// Voxels per second = ROI voxels / mean time.
/// Run: <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*MapBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MapBenchmarks
{
    private static readonly CollageSettings Collage3D = new() { OrientationRadius = 2, CooccurrenceRadius = 2, Bins = 64 };
    private static readonly DiscretisationSettings BinWidth25 = new(DiscretisationMethod.FixedBinSize, 25, null);

    private Volume _image = null!;
    private byte[] _lesion = null!, _block = null!;
    private KernelImage _lesionKernels = null!, _blockKernels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var brain = ImageLoader.ReadImageAndMask(BenchmarkData.Reference("pyradiomics", "brain1_image.nrrd"), BenchmarkData.Reference("pyradiomics", "brain1_label.nrrd"));
        _image = brain.Image;
        _lesion = brain.Mask.MaskOf(1);
        var grid = _image.Grid;
        _block = new byte[grid.Count];
        for (int z = 2; z < 22; z++)
            for (int y = 103; y < 153; y++)
                for (int x = 98; x < 158; x++)
                    _block[grid.Index(x, y, z)] = 1;
        _lesionKernels = KernelImage.Discretise(_image, _lesion, BinWidth25, new(), maskedKernel: true);
        _blockKernels = KernelImage.Discretise(_image, _block, BinWidth25, new(), maskedKernel: true);
    }

    [Benchmark(Description = "CoLlAGe 3-D k=2 w=2, brain1 lesion (4137 voxels)")]
    public CollageResult CollageLesion() => Collage.Compute(_image, _lesion, Collage3D);

    [Benchmark(Description = "CoLlAGe 3-D k=2 w=2, 60 000-voxel block")]
    public CollageResult CollageBlock() => Collage.Compute(_image, _block, Collage3D);

    [Benchmark(Description = "voxel-wise GLCM joint entropy r=1, brain1 lesion (4137 voxels)")]
    public IReadOnlyList<FeatureMap> GlcmEntropyLesion() => VoxelwiseMaps.Compute(_lesionKernels, _lesion, ["cm.joint.entr"], radius: 1);

    [Benchmark(Description = "voxel-wise GLCM joint entropy r=1, 60 000-voxel block")]
    public IReadOnlyList<FeatureMap> GlcmEntropyBlock() => VoxelwiseMaps.Compute(_blockKernels, _block, ["cm.joint.entr"], radius: 1);
}
