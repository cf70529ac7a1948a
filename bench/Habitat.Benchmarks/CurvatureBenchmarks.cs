using BenchmarkDotNet.Attributes;
using Habitat.Imaging;
using Habitat.Radiomics.Habitat;

namespace Habitat.Benchmarks;

/// <summary>
/// Habitat curvature estimation (<see cref="Curvature.Estimate"/>: smoothing, iso-surface, per-vertex shape-operator
/// fit over a 6 mm neighbourhood) on a voxelised sphere of radius 20 mm at 1 mm (≈ 7 500 vertices) and 0.5 mm
/// (≈ 30 000 vertices) voxels. Run from the repository root:
/// <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*Curvature*'</c>.
/// </summary>
[MemoryDiagnoser]
public class CurvatureBenchmarks
{
    private (Grid Grid, byte[] Mask) coarse, fine;

    [GlobalSetup]
    public void Setup()
    {
        coarse = Sphere(20, 1.0);
        fine = Sphere(20, 0.5);
    }

    private static (Grid, byte[]) Sphere(double radius, double voxel)
    {
        int n = (int)Math.Ceiling((2 * radius + 12) / voxel);
        var grid = Grid.Create(n, n, n, new Vec3(voxel, voxel, voxel));
        var centre = grid.IndexToPhysical((n - 1) / 2.0, (n - 1) / 2.0, (n - 1) / 2.0) + new Vec3(0.31, 0.17, 0.23);
        var mask = new byte[grid.Count];
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                    if ((grid.IndexToPhysical(i, j, k) - centre).Length <= radius) mask[grid.Index(i, j, k)] = 1;
        return (grid, mask);
    }

    [Benchmark] public SurfaceCurvature Sphere20At1mm() => Curvature.Estimate(coarse.Grid, coarse.Mask, CurvatureSettings.Default);
    [Benchmark] public SurfaceCurvature Sphere20At05mm() => Curvature.Estimate(fine.Grid, fine.Mask, CurvatureSettings.Default);
}
