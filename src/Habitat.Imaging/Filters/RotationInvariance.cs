namespace Habitat.Imaging.Filters;

/// <summary>How the responses of the rotated kernels are combined (IBSI 2 pooling).</summary>
public enum Pooling { Max, Average, Min }

/// <summary>
/// Rotation invariance for separable kernels (IBSI 2): the filter is applied at every right-angle rotation —
/// 24 in 3-D, 4 in-plane in 2-D — and the responses are pooled voxel-wise. A right-angle rotation of
/// k_x(x)·k_y(y)·k_z(z) is again separable: each output axis takes one of the kernels, possibly mirrored.
/// </summary>
public static class RotationInvariance
{
    /// <summary>Every proper signed permutation: axis a of the rotated kernel takes kernel Source[a],
    /// mirrored when Mirror[a].</summary>
    public static IReadOnlyList<(int[] Source, bool[] Mirror)> Rotations(bool planar)
    {
        var result = new List<(int[], bool[])>();
        int dims = planar ? 2 : 3;
        foreach (var permutation in Permutations(dims))
            for (int signs = 0; signs < 1 << dims; signs++)
            {
                var mirror = new bool[dims];
                int determinant = PermutationParity(permutation);
                for (int a = 0; a < dims; a++)
                {
                    mirror[a] = (signs >> a & 1) == 1;
                    if (mirror[a]) determinant = -determinant;
                }
                if (determinant == 1) result.Add((permutation, mirror));
            }
        return result;
    }

    /// <summary>Applies <paramref name="respond"/> once per rotation and pools the responses. The callback
    /// receives the rotation as a function that turns a kernel set (one per axis) into its rotated set, so
    /// cascades (multi-level wavelets) rotate every stage alike.</summary>
    public static float[] Pool(bool planar, Func<Func<IReadOnlyList<Kernel1D>, Kernel1D[]>, float[]> respond, Pooling pooling)
    {
        var rotations = Rotations(planar);
        float[]? pooled = null;
        foreach (var (source, mirror) in rotations)
        {
            Kernel1D[] Rotate(IReadOnlyList<Kernel1D> kernels)
            {
                var rotated = new Kernel1D[kernels.Count];
                for (int a = 0; a < rotated.Length; a++)
                    rotated[a] = mirror[a] ? kernels[source[a]].Reversed() : kernels[source[a]];
                return rotated;
            }
            var response = respond(Rotate);
            if (pooled is null) { pooled = response; continue; }
            Combine(pooled, response, pooling);
        }
        if (pooling == Pooling.Average)
            System.Numerics.Tensors.TensorPrimitives.Divide(pooled!, rotations.Count, pooled);
        return pooled!;
    }

    static void Combine(float[] pooled, float[] response, Pooling pooling)
    {
        switch (pooling)
        {
            case Pooling.Max: System.Numerics.Tensors.TensorPrimitives.Max(pooled, response, pooled); break;
            case Pooling.Min: System.Numerics.Tensors.TensorPrimitives.Min(pooled, response, pooled); break;
            default: System.Numerics.Tensors.TensorPrimitives.Add(pooled, response, pooled); break;
        }
    }

    static IEnumerable<int[]> Permutations(int n) => n == 2
        ? [[0, 1], [1, 0]]
        : [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

    static int PermutationParity(int[] p)
    {
        int inversions = 0;
        for (int i = 0; i < p.Length; i++)
            for (int j = i + 1; j < p.Length; j++)
                if (p[i] > p[j]) inversions++;
        return inversions % 2 == 0 ? 1 : -1;
    }
}
