using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Features;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' 3-D shape features of the ROI mask. Mesh volume and area come from the marching-cubes mesh shared with
/// IBSI morphology (vertices on voxel-edge midpoints, as PyRadiomics places them). Differences from IBSI: the maximum
/// 2-D diameters per plane (Slice: vertices sharing a z index, Column: sharing a y index, Row: sharing an x index),
/// and principal axes from the population covariance (1/N) of the voxel centres.
/// </summary>
internal static class PyShape
{
    public static void Compute(Grid grid, byte[] mask, Action<string, double> add)
    {
        var mesh = MarchingCubes.Mesh(grid, mask);
        double volume = mesh.Volume(), area = mesh.Area();
        var centres = Morphology.VoxelCentres(grid, mask);
        var hull = ConvexHull.Of(mesh.LatticeCoordinates);
        var hullPoints = new Vec3[hull.Vertices.Length];
        for (int i = 0; i < hullPoints.Length; i++) hullPoints[i] = mesh.Vertex(hull.Vertices[i]);
        var (major, minor, least, _) = Morphology.PrincipalComponents(centres, sample: false);

        add("MeshVolume", volume);
        add("VoxelVolume", centres.Count * grid.VoxelVolume);
        add("SurfaceArea", area);
        add("SurfaceVolumeRatio", area / volume);
        add("Sphericity", Math.Cbrt(36 * Math.PI * volume * volume) / area);     // (36π V²)^⅓ / A
        add("Maximum3DDiameter", Morphology.MaximumDiameter(hullPoints));
        add("Maximum2DDiameterSlice", MaximumPlanarDiameter(mesh, axis: 2));
        add("Maximum2DDiameterColumn", MaximumPlanarDiameter(mesh, axis: 1));
        add("Maximum2DDiameterRow", MaximumPlanarDiameter(mesh, axis: 0));
        add("MajorAxisLength", 4 * Math.Sqrt(major));                             // 4 √λ_major
        add("MinorAxisLength", 4 * Math.Sqrt(minor));
        add("LeastAxisLength", 4 * Math.Sqrt(least));
        add("Elongation", Math.Sqrt(minor / major));
        add("Flatness", Math.Sqrt(least / major));
    }

    /// <summary>Largest distance between two mesh vertices that share their lattice coordinate along <paramref name="axis"/>.</summary>
    private static double MaximumPlanarDiameter(TriangleMesh mesh, int axis)
    {
        var planes = new Dictionary<int, List<Vec3>>();
        var lattice = mesh.LatticeCoordinates;
        for (int v = 0; v < mesh.VertexCount; v++)
        {
            int key = lattice[3 * v + axis];
            if (!planes.TryGetValue(key, out var list)) planes[key] = list = [];
            list.Add(mesh.Vertex(v));
        }
        double best = 0;
        foreach (var points in planes.Values)
            for (int i = 0; i < points.Count; i++)
                for (int j = i + 1; j < points.Count; j++)
                {
                    var d = points[i] - points[j];
                    best = Math.Max(best, d.Dot(d));
                }
        return Math.Sqrt(best);
    }
}
