using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// The surface PyRadiomics' shape class measures (radiomics/src/cshape.c, <c>calculate_coefficients</c>): marching
/// cubes with the classic table (<see cref="CubeTable.Classic"/>) over the mask padded by one background voxel, vertices
/// at cube-edge midpoints, coordinates in voxel index units times the spacing (the direction matrix plays no part).
/// </summary>
/// <param name="Area">Sum of the triangle areas (mm²).</param>
/// <param name="Volume">Sum of the signed volumes of the tetrahedra the triangles span with the origin (mm³). The
/// classic mesh need not be closed, so the origin matters: PyRadiomics measures shape on the mask cropped to the ROI's
/// bounding box (no padDistance) and padded by one voxel, so the origin is the voxel before the box's first corner.</param>
/// <param name="Vertices">The mesh vertices (every edge midpoint between a mask and a background voxel) as twice
/// their index relative to that origin, x, y, z per vertex.</param>
internal sealed record PyMesh(double Area, double Volume, int[] Vertices)
{
    public static PyMesh Of(Grid grid, byte[] mask)
    {
        var box = Box.Bounding(grid, mask);
        if (box.IsEmpty) return new PyMesh(0, 0, []);

        // The box with one background voxel on every side, as 0/1: padded (a, b, c) is voxel (I0 − 1 + a, J0 − 1 + b, K0 − 1 + c).
        int px = box.Nx + 2, py = box.Ny + 2, pz = box.Nz + 2, plane = px * py;
        var padded = new byte[plane * pz];
        for (int k = 0; k < box.Nz; k++)
            for (int j = 0; j < box.Ny; j++)
            {
                var row = mask.AsSpan(grid.Index(box.I0, box.J0 + j, box.K0 + k), box.Nx);
                var target = padded.AsSpan(1 + px * (j + 1 + py * (k + 1)), box.Nx);
                for (int i = 0; i < row.Length; i++) target[i] = row[i] != 0 ? (byte)1 : (byte)0;
            }

        // One pass over the cubes (corner 0 at padded a = 0 … px − 2, likewise b, c): count each corner configuration
        // and sum the positions of its cubes, collecting the vertex on each cube's three edges from corner 0.
        var count = new long[256];
        var positionSum = new long[3 * 256];
        var vertices = new List<int>();
        Span<int> cornerOffset = stackalloc int[8];
        for (int corner = 0; corner < 8; corner++) cornerOffset[corner] = (corner & 1) + px * ((corner >> 1 & 1) + py * (corner >> 2 & 1));
        // Cube (a, b, c) has its corner 0 at voxel (I0 − 1 + a, J0 − 1 + b, K0 − 1 + c): (a, b, c) from the origin.
        for (int c = 0; c < pz - 1; c++)
            for (int b = 0; b < py - 1; b++)
            {
                int rowStart = px * (b + py * c);
                // The x = 1 corners of one cube are the x = 0 corners of the next: four new reads per cube.
                int config = padded[rowStart + cornerOffset[0]] << 1 | padded[rowStart + cornerOffset[2]] << 3
                           | padded[rowStart + cornerOffset[4]] << 5 | padded[rowStart + cornerOffset[6]] << 7;
                for (int a = 0; a < px - 1; a++)
                {
                    int first = rowStart + a;
                    config = (config >> 1 & 0x55)
                           | padded[first + cornerOffset[1]] << 1 | padded[first + cornerOffset[3]] << 3
                           | padded[first + cornerOffset[5]] << 5 | padded[first + cornerOffset[7]] << 7;
                    if (config is 0 or 255) continue;
                    count[config]++;
                    positionSum[3 * config] += a; positionSum[3 * config + 1] += b; positionSum[3 * config + 2] += c;
                    int x = 2 * a, y = 2 * b, z = 2 * c;
                    int here = config & 1;
                    if ((config >> 1 & 1) != here) { vertices.Add(x + 1); vertices.Add(y); vertices.Add(z); }
                    if ((config >> 2 & 1) != here) { vertices.Add(x); vertices.Add(y + 1); vertices.Add(z); }
                    if ((config >> 4 & 1) != here) { vertices.Add(x); vertices.Add(y); vertices.Add(z + 1); }
                }
            }

        // Per configuration: its triangles' area, and their signed volume about the origin when the cube sits at P,
        // Σ det(P + a, P + b, P + c) = Σ det(a, b, c) + P · Σ (a × b + b × c + c × a), summed over its cubes at once.
        var s = grid.Spacing;
        double area = 0, volume = 0;
        for (int config = 1; config < 255; config++)
        {
            if (count[config] == 0) continue;
            var edges = MarchingCubes.TriangleEdges(CubeTable.Classic, config);
            double configArea = 0, determinants = 0;
            var normals = Vec3.Zero;
            for (int t = 0; t < edges.Length; t += 3)
            {
                Vec3 p = Midpoint(edges[t], s), q = Midpoint(edges[t + 1], s), r = Midpoint(edges[t + 2], s);
                configArea += (q - p).Cross(r - p).Length / 2;
                determinants += p.Dot(q.Cross(r));
                normals += p.Cross(q) + q.Cross(r) + r.Cross(p);
            }
            var cubes = new Vec3(positionSum[3 * config] * s.X, positionSum[3 * config + 1] * s.Y, positionSum[3 * config + 2] * s.Z);
            area += count[config] * configArea;
            volume += count[config] * determinants + cubes.Dot(normals);
        }
        return new PyMesh(area, volume / 6, [.. vertices]);
    }

    /// <summary>Midpoint of cube edge <paramref name="edge"/> relative to corner 0, in mm.</summary>
    private static Vec3 Midpoint(int edge, Vec3 spacing)
    {
        var (a, b) = MarchingCubes.EdgeEnds(edge);
        return new Vec3(((a & 1) + (b & 1)) * 0.5 * spacing.X, ((a >> 1 & 1) + (b >> 1 & 1)) * 0.5 * spacing.Y,
            ((a >> 2 & 1) + (b >> 2 & 1)) * 0.5 * spacing.Z);
    }
}
