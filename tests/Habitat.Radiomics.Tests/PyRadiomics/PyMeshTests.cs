using Habitat.Imaging;
using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

public class PyMeshTests
{
    [Fact]
    public void SingleVoxelIsAnOctahedronThroughItsFaceCentres()
    {
        var grid = Grid.Create(3, 3, 3, new Vec3(2, 3, 5), Vec3.Zero);
        var mask = new byte[grid.Count];
        mask[grid.Index(1, 1, 1)] = 1;
        var mesh = PyMesh.Of(grid, mask);
        double a = 1, b = 1.5, c = 2.5; // half the spacing: the octahedron's semi-axes
        Assert.Equal(4.0 / 3 * a * b * c, mesh.Volume, 12);
        Assert.Equal(8 * 0.5 * Math.Sqrt(a * a * b * b + b * b * c * c + a * a * c * c), mesh.Area, 12);
        Assert.Equal(6 * 3, mesh.Vertices.Length);
    }

    [Fact]
    public void AreaAndVolumeDoNotDependOnWhereTheMaskSitsInItsGrid()
    {
        // Voxels touching along an edge or a corner only: the classic table leaves such meshes open, so the volume
        // depends on the origin; PyRadiomics takes it at the mask's bounding box, which moves with the mask.
        (int I, int J, int K)[] voxels = [(0, 0, 0), (1, 1, 0), (2, 1, 1), (2, 2, 2), (0, 1, 2), (1, 0, 2)];
        var spacing = new Vec3(0.8, 1.1, 2.5);
        PyMesh? first = null;
        foreach (var (size, offset) in new[] { (3, 0), (9, 2), (12, 7) })
        {
            var grid = Grid.Create(size + 1, size + 2, size, spacing, Vec3.Zero);
            var mask = new byte[grid.Count];
            int shift = Math.Min(offset, size - 3);
            foreach (var (i, j, k) in voxels) mask[grid.Index(i + shift, j + shift + 1, k + shift)] = 1;
            var mesh = PyMesh.Of(grid, mask);
            Assert.True(mesh.Volume > 0 && mesh.Area > 0);
            first ??= mesh;
            Assert.Equal(first.Volume, mesh.Volume, 9);
            Assert.Equal(first.Area, mesh.Area, 9);
            Assert.Equal(first.Vertices, mesh.Vertices);
        }
    }

    [Fact]
    public void EmptyMaskGivesNoSurface()
    {
        var grid = Grid.Create(4, 4, 4, new Vec3(1, 1, 1), Vec3.Zero);
        var mesh = PyMesh.Of(grid, new byte[grid.Count]);
        Assert.Equal(0, mesh.Area);
        Assert.Equal(0, mesh.Volume);
        Assert.Empty(mesh.Vertices);
    }
}
