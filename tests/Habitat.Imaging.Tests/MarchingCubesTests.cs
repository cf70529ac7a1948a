using Habitat.Imaging.Processing;

namespace Habitat.Imaging.Tests;

public class MarchingCubesTests
{
    private const double Radius = 20;

    private static readonly Grid Axial = Grid.Create(48, 48, 48, new Vec3(1, 1, 1), new Vec3(-23.5, -23.5, -23.5));

    // Oblique, anisotropic and mirrored (det = −1): axis i along +y, j along +x, k along +z.
    private static readonly Grid ObliqueMirrored = new(64, 56, 40, new Vec3(0.75, 0.9, 1.2), new Vec3(-21, -25, -24),
        Matrix3.FromColumns(new Vec3(0, 1, 0), new Vec3(1, 0, 0), new Vec3(0, 0, 1)));

    // Rotated by 30° about z (det = +1), anisotropic.
    private static readonly Grid Rotated = new(60, 60, 40, new Vec3(0.8, 0.8, 1.25), new Vec3(-12, -36, -24),
        Matrix3.FromColumns(new Vec3(Math.Cos(Math.PI / 6), Math.Sin(Math.PI / 6), 0),
                            new Vec3(-Math.Sin(Math.PI / 6), Math.Cos(Math.PI / 6), 0), new Vec3(0, 0, 1)));

    /// <summary>Voxels whose centre lies within <see cref="Radius"/> of the physical origin.</summary>
    private static byte[] Ball(Grid grid, Vec3 centre)
    {
        var mask = new byte[grid.Count];
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                    if ((grid.IndexToPhysical(i, j, k) - centre).Length <= Radius)
                        mask[grid.Index(i, j, k)] = 1;
        return mask;
    }

    public static TheoryData<string> Grids => new() { nameof(Axial), nameof(ObliqueMirrored), nameof(Rotated) };

    private static Grid GridNamed(string name) => name switch
    {
        nameof(Axial) => Axial,
        nameof(ObliqueMirrored) => ObliqueMirrored,
        _ => Rotated,
    };

    [Theory]
    [MemberData(nameof(Grids))]
    public void SphereVolumeAndAreaApproachTheAnalyticValues(string gridName)
    {
        var grid = GridNamed(gridName);
        var mesh = MarchingCubes.Mesh(grid, Ball(grid, Vec3.Zero));
        double volume = 4.0 / 3 * Math.PI * Math.Pow(Radius, 3), area = 4 * Math.PI * Radius * Radius;
        Assert.InRange(mesh.Volume() / volume, 0.98, 1.02);
        // Binary marching cubes corrugates surfaces that are not aligned with the lattice's planes of
        // symmetry: its area of a digitised sphere exceeds 4πr² by about 9–10 % at any resolution
        // (measured here: 1.093 axial, 1.10 oblique), so the bound is one-sided and loose by nature.
        Assert.InRange(mesh.Area() / area, 1.0, 1.12);
    }

    [Theory]
    [MemberData(nameof(Grids))]
    public void MeshIsClosedAndOutwardOriented(string gridName)
    {
        var grid = GridNamed(gridName);
        var mesh = MarchingCubes.Mesh(grid, Ball(grid, Vec3.Zero));
        // Consistently oriented and closed: every directed edge occurs once and its reverse occurs once.
        var directed = new HashSet<(int, int)>();
        var t = mesh.Triangles;
        for (int f = 0; f < t.Length; f += 3)
            for (int s = 0; s < 3; s++)
                Assert.True(directed.Add((t[f + s], t[f + (s + 1) % 3])), "a directed edge occurs twice");
        foreach (var (a, b) in directed)
            Assert.Contains((b, a), directed);
        Assert.True(mesh.Volume() > 0);
        // Vertex normals point away from the centre.
        var normals = mesh.VertexNormals();
        for (int v = 0; v < mesh.VertexCount; v++)
            Assert.True(normals[v].Dot(mesh.Vertex(v).Normalized()) > 0.5, $"vertex {v} normal points inward");
    }

    [Fact]
    public void VerticesAreSharedAndLieOnHalfVoxelPositions()
    {
        var mesh = MarchingCubes.Mesh(Rotated, Ball(Rotated, Vec3.Zero));
        var seen = new HashSet<(int, int, int)>();
        var l = mesh.LatticeCoordinates;
        for (int v = 0; v < mesh.VertexCount; v++)
        {
            Assert.True(seen.Add((l[3 * v], l[3 * v + 1], l[3 * v + 2])), "duplicate vertex");
            Assert.Equal(1, (l[3 * v] & 1) + (l[3 * v + 1] & 1) + (l[3 * v + 2] & 1)); // an edge midpoint
            var p = Rotated.IndexToPhysical(l[3 * v] / 2.0, l[3 * v + 1] / 2.0, l[3 * v + 2] / 2.0);
            Assert.True(p.ApproximatelyEquals(mesh.Vertex(v), 1e-9));
        }
    }

    [Fact]
    public void SingleVoxelIsAnOctahedronAndMaskAtTheBorderIsClosed()
    {
        var grid = Grid.Create(1, 1, 1, new Vec3(2, 2, 2));
        var mesh = MarchingCubes.Mesh(grid, [1]);
        Assert.Equal(6, mesh.VertexCount);
        Assert.Equal(8, mesh.TriangleCount);
        // Octahedron with half-diagonals of 1 mm: volume 4/3, area 8 · (√3/4) · (√2)².
        Assert.Equal(4.0 / 3, mesh.Volume(), 12);
        Assert.Equal(8 * Math.Sqrt(3) / 4 * 2, mesh.Area(), 12);
    }

    [Fact]
    public void ClassicTableGivesAConfigurationAndItsComplementTheSameTrianglesTurnedRound()
    {
        for (int config = 1; config < 255; config++)
        {
            var triangles = Triangles(CubeTable.Classic, config);
            var complement = Triangles(CubeTable.Classic, 255 - config);
            Assert.NotEmpty(triangles);
            Assert.Equal(triangles.Order(), complement.Select(t => (t.A, t.C, t.B)).Select(Canonical).Order());
        }
        // The watertight table resolves ambiguous faces towards the mask, so it lacks that symmetry (two diagonal corners).
        Assert.NotEqual(Triangles(CubeTable.Watertight, 0b1001).Count, Triangles(CubeTable.Watertight, 255 - 0b1001).Count);
    }

    /// <summary>Triangles of a configuration, each rotated to start at its smallest edge (winding kept).</summary>
    private static List<(int A, int B, int C)> Triangles(CubeTable table, int config)
    {
        var edges = MarchingCubes.TriangleEdges(table, config);
        var list = new List<(int, int, int)>();
        for (int t = 0; t < edges.Length; t += 3) list.Add(Canonical((edges[t], edges[t + 1], edges[t + 2])));
        return list;
    }

    private static (int A, int B, int C) Canonical((int A, int B, int C) t) =>
        t.A < t.B && t.A < t.C ? t : t.B < t.C ? (t.B, t.C, t.A) : (t.C, t.A, t.B);

    [Fact]
    public void EmptyMaskGivesEmptyMesh()
    {
        var mesh = MarchingCubes.Mesh(Axial, new byte[Axial.Count]);
        Assert.Equal(0, mesh.TriangleCount);
        Assert.Equal(0, mesh.Volume());
    }
}
