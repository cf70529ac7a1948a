using Habitat.Imaging;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Features.Texture;
using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.Tests.Features;

/// <summary>Texture behaviour on small hand-made ROIs whose matrices can be worked out by hand.</summary>
public class TextureFamiliesTests
{
    /// <summary>A ROI from rows of grey levels per slice (0 = outside); the morphological mask is the intensity mask
    /// unless given.</summary>
    private static DiscretisedRoi Roi(int[][][] slices, int levelCount, byte[]? morphological = null)
    {
        int nz = slices.Length, ny = slices[0].Length, nx = slices[0][0].Length;
        var levels = new int[nx * ny * nz];
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                    levels[i + nx * (j + ny * k)] = slices[k][j][i];
        return new DiscretisedRoi(Grid.Create(nx, ny, nz, new Vec3(1, 1, 1)), levels, levelCount,
            morphological ?? levels.Select(l => l > 0 ? (byte)1 : (byte)0).ToArray());
    }

    private static Dictionary<(string Tag, string Aggregation), double> Compute(DiscretisedRoi roi, TextureOptions options)
    {
        var output = new List<Feature>();
        TextureFamilies.ComputeAll(roi, options, output);
        return output.ToDictionary(f => (f.Tag, f.Aggregation), f => f.Value);
    }

    private static readonly TextureOptions Volumetric = new() { Aggregations = TextureAggregation.Volumetric };

    [Fact]
    public void EveryFeatureOfEveryAggregationIsProducedOnceWithItsIbsiCode()
    {
        var roi = Roi([[[1, 2, 2], [3, 1, 2]], [[2, 2, 1], [1, 3, 3]]], 3);
        var output = new List<Feature>();
        TextureFamilies.ComputeAll(roi, TextureOptions.Default, output);
        // 6 directional aggregations × (25 GLCM + 16 GLRLM) + 3 × (16 GLSZM + 16 GLDZM + 5 NGTDM + 17 NGLDM)
        Assert.Equal(6 * (25 + 16) + 3 * (16 + 16 + 5 + 17), output.Count);
        Assert.Equal(output.Count, output.Select(f => (f.Tag, f.Aggregation)).Distinct().Count());
        Assert.All(output, f => Assert.Matches("^[0-9A-Z]{4}$", f.IbsiCode));
        Assert.All(output.Where(f => f.Tag.StartsWith("cm.") || f.Tag.StartsWith("rlm.")),
            f => Assert.Contains(f.Aggregation, TextureAggregation.Directional));
        Assert.All(output.Where(f => !f.Tag.StartsWith("cm.") && !f.Tag.StartsWith("rlm.")),
            f => Assert.Contains(f.Aggregation, TextureAggregation.NonDirectional));
    }

    [Fact]
    public void OnlyTheSelectedFamiliesAndAggregationsAreComputed()
    {
        var roi = Roi([[[1, 2, 2], [3, 1, 2]], [[2, 2, 1], [1, 3, 3]]], 3);
        var output = new List<Feature>();
        TextureFamilies.ComputeAll(roi, Volumetric with { Families = [TextureFamily.Glszm, TextureFamily.Glcm] }, output);
        Assert.Equal(2 * 25 + 16, output.Count);
        Assert.Equal(["3D", "3D, averaged", "3D, merged"], output.Select(f => f.Aggregation).Distinct().Order());
        Assert.All(output, f => Assert.True(f.Tag.StartsWith("cm.") || f.Tag.StartsWith("szm.")));
    }

    [Fact]
    public void AveragingSkipsDirectionsWithoutAnyVoxelPair()
    {
        // One row: only the x direction has pairs, M(1,2) = M(2,1) = 2, so the joint maximum is 0.5 — not 0.5 / 13.
        var values = Compute(Roi([[[1, 2, 1]]], 2), Volumetric);
        Assert.Equal(0.5, values[("cm.joint.max", TextureAggregation.ThreeDAveraged)], 12);
        Assert.Equal(0.5, values[("cm.joint.max", TextureAggregation.ThreeDMerged)], 12);
        // Runs of length 1 in every direction: short runs emphasis 1; 3 runs over 3 voxels in each of the 13 directions.
        Assert.Equal(1, values[("rlm.sre", TextureAggregation.ThreeDAveraged)], 12);
        Assert.Equal(1, values[("rlm.r.perc", TextureAggregation.ThreeDMerged)], 12);
    }

    [Fact]
    public void FeaturesWithoutAnyCountAreNaN()
    {
        var values = Compute(Roi([[[0, 0], [0, 4]]], 4), TextureOptions.Default);
        Assert.True(double.IsNaN(values[("cm.joint.max", TextureAggregation.ThreeDMerged)]));      // no voxel pair
        Assert.True(double.IsNaN(values[("cm.contrast", TextureAggregation.TwoDAveraged)]));
        Assert.True(double.IsNaN(values[("ngt.coarseness", TextureAggregation.ThreeD)]));          // no valid neighbourhood
        Assert.Equal(1, values[("szm.sze", TextureAggregation.ThreeD)], 12);                       // one zone of one voxel
        Assert.Equal(1, values[("ngl.lde", TextureAggregation.TwoD)], 12);                         // dependence 1
        Assert.Equal(1, values[("dzm.sde", TextureAggregation.TwoPointFiveD)], 12);                // on the edge
    }

    [Fact]
    public void NonSymmetricGlcmCountsOnlyThePositiveDirection()
    {
        var volume = TextureVolume.Create(Roi([[[1, 2]]], 2), padding: 1);
        var matrix = new long[new Glcm(volume, symmetric: true).MatrixLength];
        new Glcm(volume, symmetric: true).Count(volume.RoiVoxels, volume.Offset(1, 0, 0), matrix);
        Assert.Equal(new Dictionary<(int, int), long> { [(1, 2)] = 1, [(2, 1)] = 1 }, new Glcm(volume, symmetric: true).CountsByGreyLevel(matrix));
        Assert.Equal(new Dictionary<(int, int), long> { [(1, 2)] = 1 }, new Glcm(volume, symmetric: false).CountsByGreyLevel(matrix));
    }

    [Fact]
    public void GlcmDistanceScalesTheDirectionVectors()
    {
        var roi = Roi([[[1, 2, 3]]], 3);
        // δ = 1: pairs (1,2) and (2,3), contrast 1. δ = 2: the single pair (1,3), contrast 4 and joint average 2.
        Assert.Equal(1, Compute(roi, Volumetric)[("cm.contrast", TextureAggregation.ThreeDMerged)], 12);
        var far = Compute(roi, Volumetric with { Distance = 2 });
        Assert.Equal(4, far[("cm.contrast", TextureAggregation.ThreeDMerged)], 12);
        Assert.Equal(2, far[("cm.joint.avg", TextureAggregation.ThreeDMerged)], 12);
    }

    [Fact]
    public void NgldmCoarsenessMakesCloseGreyLevelsDependent()
    {
        var roi = Roi([[[1, 2, 4]]], 4);
        // α = 0: no neighbour has the same level, every dependence is 1.
        Assert.Equal(1, Compute(roi, Volumetric)[("ngl.lde", TextureAggregation.ThreeD)], 12);
        // α = 1: 1↔2 depend (j = 2, 2), 4 has none (j = 1): mean of 1/j² = (1/4 + 1/4 + 1) / 3.
        Assert.Equal(0.5, Compute(roi, Volumetric with { NgldmCoarseness = 1 })[("ngl.lde", TextureAggregation.ThreeD)], 12);
    }

    [Fact]
    public void ZonesLinkDiagonallyAcrossSlicesIn3DOnly()
    {
        // Two voxels of level 1 touching only at a corner, in different slices.
        var values = Compute(Roi([[[1, 0], [0, 0]], [[0, 0], [0, 1]]], 1), TextureOptions.Default);
        Assert.Equal(0.25, values[("szm.sze", TextureAggregation.ThreeD)], 12);     // one zone of 2 voxels: 1/2²
        Assert.Equal(1, values[("szm.sze", TextureAggregation.TwoD)], 12);          // one zone of 1 voxel per slice
        Assert.Equal(1, values[("szm.sze", TextureAggregation.TwoPointFiveD)], 12);
        Assert.Equal(1, values[("szm.z.perc", TextureAggregation.TwoPointFiveD)], 12); // 2 zones, 2 voxels
        Assert.Equal(0.5, values[("szm.z.perc", TextureAggregation.ThreeD)], 12);
    }

    [Fact]
    public void DistanceToEdgeCountsManhattanStepsFromOneOnTheEdge()
    {
        int n = 5;
        var cube = Enumerable.Repeat(Enumerable.Repeat(Enumerable.Repeat(1, n).ToArray(), n).ToArray(), n).ToArray();
        var volume = TextureVolume.Create(Roi(cube, 1), padding: 1);
        var volumetric = Gldzm.DistanceToEdge(volume, planar: false);
        var planar = Gldzm.DistanceToEdge(volume, planar: true);
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    int v = volume.Offset(i + 1, j + 1, k + 1);
                    int inPlane = Math.Min(Math.Min(i + 1, n - i), Math.Min(j + 1, n - j));
                    Assert.Equal(inPlane, planar[v]);
                    Assert.Equal(Math.Min(inPlane, Math.Min(k + 1, n - k)), volumetric[v]);
                }
    }

    [Fact]
    public void GldzmMeasuresDistanceOnTheMorphologicalMask()
    {
        // A 3×3×3 morphological cube whose intensity mask (after re-segmentation) is only its centre voxel.
        var slices = new int[3][][];
        for (int k = 0; k < 3; k++) slices[k] = [[0, 0, 0], [0, k == 1 ? 1 : 0, 0], [0, 0, 0]];
        var roi = Roi(slices, 1, morphological: Enumerable.Repeat((byte)1, 27).ToArray());
        var values = Compute(roi, TextureOptions.Default);
        Assert.Equal(0.25, values[("dzm.sde", TextureAggregation.ThreeD)], 12);  // distance 2: 1/2²
        Assert.Equal(4, values[("dzm.lde", TextureAggregation.ThreeD)], 12);
        Assert.Equal(0.25, values[("dzm.sde", TextureAggregation.TwoD)], 12);    // in-plane distance 2 as well
        Assert.Equal(1, Compute(Roi(slices, 1), TextureOptions.Default)[("dzm.sde", TextureAggregation.ThreeD)], 12);
    }

    [Fact]
    public void LargeRoisGiveTheSame3DValuesWhetherOrNotSlicesAreVisited()
    {
        // Above TextureParallel.MinVoxels, so slices and directions run in parallel; the 3-D matrices of in-plane
        // directions are summed from slices in one run and counted directly in the other.
        var random = new Random(7);
        var slices = new int[36][][];
        for (int k = 0; k < slices.Length; k++)
        {
            slices[k] = new int[40][];
            for (int j = 0; j < 40; j++)
                slices[k][j] = Enumerable.Range(0, 40).Select(i => (i - 20) * (i - 20) + (j - 20) * (j - 20) < 400 ? 1 + random.Next(8) : 0).ToArray();
        }
        var roi = Roi(slices, 8);
        Assert.True(roi.Levels.Count(l => l > 0) >= TextureParallel.MinVoxels);
        var all = Compute(roi, TextureOptions.Default);
        var volumetricOnly = Compute(roi, Volumetric);
        Assert.Equal(25 + 25 + 16 + 16 + 16 + 16 + 5 + 17, volumetricOnly.Count);
        foreach (var (key, value) in volumetricOnly) Assert.Equal(value, all[key], 9);
    }

    [Fact]
    public void ParallelLoopsMergeTheirStatesInItemOrder()
    {
        // Each state records its items; merged, they must be 0…count−1 in order, in a number of states that does not
        // depend on the machine, even when the first run of items finishes last.
        foreach (int count in new[] { 2, 15, 16, 17, 100, 1000 })
        {
            var merged = new List<int>();
            int states = 0;
            TextureParallel.For(count, parallel: true, () => { Interlocked.Increment(ref states); return new List<int>(); },
                (i, items) => { if (i == 0) Thread.Sleep(30); items.Add(i); }, merged.AddRange);
            Assert.Equal(Enumerable.Range(0, count), merged);
            Assert.Equal(Math.Min(count, TextureParallel.Blocks), states);
        }
    }

    [Fact]
    public void LargeRoisGiveTheSameBitsOnEveryRun()
    {
        // Above TextureParallel.MinVoxels: slice loops run in parallel and NGTDM s_i and the 2-D means are double sums
        // over per-thread states.
        var random = new Random(11);
        var slices = new int[40][][];
        for (int k = 0; k < slices.Length; k++)
        {
            slices[k] = new int[40][];
            for (int j = 0; j < 40; j++) slices[k][j] = Enumerable.Range(0, 40).Select(_ => 1 + random.Next(16)).ToArray();
        }
        var roi = Roi(slices, 16);
        Assert.True(roi.Levels.Count(l => l > 0) >= TextureParallel.MinVoxels);
        var first = Compute(roi, TextureOptions.Default);
        for (int run = 0; run < 3; run++)
        {
            var again = Compute(roi, TextureOptions.Default);
            foreach (var (key, value) in first) Assert.True(value.Equals(again[key]), $"{key}: {value:R} then {again[key]:R}");
        }
    }

    [Fact]
    public void InvalidRoisAreRejectedWithTheReason()
    {
        var grid = Grid.Create(2, 1, 1, new Vec3(1, 1, 1));
        Assert.Contains("grid has 2 voxels", Assert.Throws<ArgumentException>(() =>
            TextureFamilies.ComputeAll(new DiscretisedRoi(grid, [1], 1, [1, 1]), TextureOptions.Default, [])).Message);
        Assert.Contains("outside 0…2", Assert.Throws<ArgumentException>(() =>
            TextureFamilies.ComputeAll(new DiscretisedRoi(grid, [1, 3], 2, [1, 1]), TextureOptions.Default, [])).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() =>
            TextureFamilies.ComputeAll(new DiscretisedRoi(grid, [0, 0], 2, [1, 1]), TextureOptions.Default, [])).Message);
        Assert.Contains("at most 65535 grey levels, got 70000", Assert.Throws<ArgumentException>(() =>
            TextureFamilies.ComputeAll(new DiscretisedRoi(grid, [1, 70000], 70000, [1, 1]), TextureOptions.Default, [])).Message);
    }

    [Fact]
    public void OptionsAreValidatedWhenSet()
    {
        var unknown = Assert.Throws<ArgumentException>(() => new TextureOptions { Aggregations = ["3D", "2D averaged"] });
        Assert.Contains("'2D averaged'", unknown.Message);
        Assert.Contains("'2D, averaged'", unknown.Message); // lists the valid labels
        Assert.Throws<ArgumentException>(() => new TextureOptions { Aggregations = [] });
        Assert.Throws<ArgumentException>(() => new TextureOptions { Aggregations = ["3D", "3D"] });
        Assert.Throws<ArgumentException>(() => new TextureOptions { Families = [] });
        Assert.Throws<ArgumentException>(() => new TextureOptions { Families = [TextureFamily.Glcm, TextureFamily.Glcm] });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextureOptions { Distance = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextureOptions { NgldmCoarseness = -1 });
        Assert.Equal(TextureAggregation.All, TextureOptions.Default.Aggregations);
        Assert.Equal(1, TextureOptions.Default.Distance);
        Assert.True(TextureOptions.Default.SymmetricGlcm);
    }
}
