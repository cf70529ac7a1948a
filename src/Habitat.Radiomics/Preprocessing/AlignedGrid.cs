using Habitat.Imaging;

namespace Habitat.Radiomics.Preprocessing;

/// <summary>The interpolation grid IBSI specifies: "align grid centers" (IBSI 3WE3).</summary>
public static class AlignedGrid
{
    /// <summary>
    /// The grid with the new spacing whose centre coincides with the centre of <paramref name="original"/>:
    /// per interpolated axis n_new = ceil(n_old · s_old / s_new) and the first voxel sits at index
    /// ((n_old - 1) - (s_new / s_old)(n_new - 1)) / 2 of the original grid. A null spacing leaves that axis as it is.
    /// </summary>
    public static Grid Create(Grid original, double? spacingX, double? spacingY, double? spacingZ)
    {
        int[] sizeOld = [original.Nx, original.Ny, original.Nz];
        double?[] requested = [spacingX, spacingY, spacingZ];
        var size = new int[3];
        var spacing = new double[3];
        var firstIndex = new double[3];
        for (int axis = 0; axis < 3; axis++)
        {
            double old = original.Spacing[axis];
            if (requested[axis] is not { } s)
            {
                (size[axis], spacing[axis], firstIndex[axis]) = (sizeOld[axis], old, 0);
                continue;
            }
            // The product is rounded to 1e-9 first so that representation error (e.g. 100.00000000000001) does not add a voxel.
            size[axis] = Math.Max(1, (int)Math.Ceiling(Math.Round(sizeOld[axis] * old / s, 9)));
            spacing[axis] = s;
            firstIndex[axis] = ((sizeOld[axis] - 1) - s / old * (size[axis] - 1)) / 2;
        }
        var origin = original.IndexToPhysical(firstIndex[0], firstIndex[1], firstIndex[2]);
        return new Grid(size[0], size[1], size[2], new Vec3(spacing[0], spacing[1], spacing[2]), origin, original.Direction);
    }
}
