using Habitat.Imaging;
using Habitat.Radiomics.PyRadiomics;
using static Habitat.Radiomics.Tests.PyRadiomics.NeighbourhoodDistanceTests;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>PyRadiomics' GLRLM angles: checked against <see cref="PyTextureReference"/>.</summary>
public class GlrlmAngleTests
{
    /// <summary>
    /// GLRLM drops the angles along which no line holds two ROI voxels: all out-of-plane angles of a one-slice ROI
    /// without force2D, and e.g. the y angles of two voxels side by side along x.
    /// </summary>
    [Theory]
    [InlineData(5, 4, 3, true)]
    [InlineData(3, 2, 2, false)]
    public void GlrlmLeavesOutAnglesWithoutTwoVoxelsOnALine(int nx, int ny, int nz, bool oneSlice)
    {
        var levels = new int[nx * ny * nz];
        if (oneSlice)
        {
            var slice = RandomLevels(nx * ny, seed: 5, levels: 2, holeOneIn: 5);
            Array.Copy(slice, 0, levels, nx * ny, slice.Length); // the middle slice only
        }
        else
        {
            levels[0] = 1; levels[2] = 2; // (0,0,0) and (2,0,0): one x line; (1,1,1) alone on its lines
            levels[1 + nx * (1 + ny * 1)] = 1;
        }
        var actual = Extract(nx, ny, nz, new Vec3(1, 1, 1), levels, new PyRadiomicsSettings(), "glrlm");
        AssertMatches(new PyTextureReference(nx, ny, nz, levels, new Vec3(1, 1, 1)).Glrlm(force2D: false, dimension: 0), actual);
    }
}
