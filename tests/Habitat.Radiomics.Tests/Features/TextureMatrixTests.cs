using System.Globalization;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Features.Texture;

namespace Habitat.Radiomics.Tests.Features;

/// <summary>
/// The digital phantom's texture matrices equal the ones printed in the IBSI manual's chapter
/// "Digital phantom texture matrices" (Data/ibsi1_digital_phantom_matrices.txt).
/// </summary>
public class TextureMatrixTests
{
    private static readonly TextureVolume Volume = TextureVolume.Create(DigitalPhantom.Load(), padding: 1);

    private static readonly string[] InPlane = ["(0,1,0)", "(1,-1,0)", "(1,0,0)", "(1,1,0)"];

    private static readonly string[] AllDirections =
        ["(0,0,1)", "(0,1,-1)", "(0,1,0)", "(0,1,1)", "(1,-1,-1)", "(1,-1,0)", "(1,-1,1)", "(1,0,-1)", "(1,0,0)", "(1,0,1)", "(1,1,-1)", "(1,1,0)", "(1,1,1)"];

    /// <summary>Padded slice index of the phantom's slices 1…4.</summary>
    private static int[] Slices()
    {
        var slices = Enumerable.Range(0, Volume.Nz).Where(k => Volume.SliceVoxelCount(k) > 0).ToArray();
        Assert.Equal(4, slices.Length);
        return slices;
    }

    private static int Offset(string direction)
    {
        var d = direction.Trim('(', ')').Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return Volume.Offset(d[0], d[1], d[2]);
    }

    private static Dictionary<(int, int), double> AsDouble(Dictionary<(int I, int J), long> counts) =>
        counts.ToDictionary(e => e.Key, e => (double)e.Value);

    [Fact]
    public void GlcmOfEverySliceAndInPlaneDirection()
    {
        var glcm = new Glcm(Volume, symmetric: true);
        var slices = Slices();
        for (int s = 0; s < slices.Length; s++)
        {
            var merged = new long[glcm.MatrixLength];
            foreach (var direction in InPlane)
            {
                var matrix = new long[glcm.MatrixLength];
                glcm.Count(Volume.SliceVoxels(slices[s]), Offset(direction), matrix);
                var label = $"glcm {direction}/{s + 1}";
                ManualMatrices.AssertEqual(label, ManualMatrices.Get(label), AsDouble(glcm.CountsByGreyLevel(matrix)));
                for (int n = 0; n < matrix.Length; n++) merged[n] += matrix[n];
            }
            var mergedLabel = $"glcm slice-merged/{s + 1}";
            ManualMatrices.AssertEqual(mergedLabel, ManualMatrices.Get(mergedLabel), AsDouble(glcm.CountsByGreyLevel(merged)));
        }
    }

    [Fact]
    public void GlcmOfEvery3DDirectionAndMerged()
    {
        var glcm = new Glcm(Volume, symmetric: true);
        var merged = new long[glcm.MatrixLength];
        foreach (var direction in AllDirections)
        {
            var matrix = new long[glcm.MatrixLength];
            glcm.Count(Volume.RoiVoxels, Offset(direction), matrix);
            ManualMatrices.AssertEqual($"glcm {direction}", ManualMatrices.Get($"glcm {direction}"), AsDouble(glcm.CountsByGreyLevel(matrix)));
            for (int n = 0; n < matrix.Length; n++) merged[n] += matrix[n];
        }
        ManualMatrices.AssertEqual("glcm 3d-merged", ManualMatrices.Get("glcm 3d-merged"), AsDouble(glcm.CountsByGreyLevel(merged)));
    }

    [Fact]
    public void GlrlmOfEverySliceAndInPlaneDirection()
    {
        var glrlm = new Glrlm(Volume);
        var slices = Slices();
        for (int s = 0; s < slices.Length; s++)
        {
            var merged = new long[glrlm.MatrixLength];
            foreach (var direction in InPlane)
            {
                var matrix = new long[glrlm.MatrixLength];
                glrlm.Count(Volume.SliceVoxels(slices[s]), Offset(direction), matrix);
                var label = $"glrlm {direction}/{s + 1}";
                ManualMatrices.AssertEqual(label, ManualMatrices.Get(label), AsDouble(glrlm.CountsByGreyLevel(matrix)));
                for (int n = 0; n < matrix.Length; n++) merged[n] += matrix[n];
            }
            var mergedLabel = $"glrlm slice-merged/{s + 1}";
            ManualMatrices.AssertEqual(mergedLabel, ManualMatrices.Get(mergedLabel), AsDouble(glrlm.CountsByGreyLevel(merged)));
        }
    }

    [Fact]
    public void GlrlmOfEvery3DDirectionAndMerged()
    {
        var glrlm = new Glrlm(Volume);
        var merged = new long[glrlm.MatrixLength];
        foreach (var direction in AllDirections)
        {
            var matrix = new long[glrlm.MatrixLength];
            glrlm.Count(Volume.RoiVoxels, Offset(direction), matrix);
            ManualMatrices.AssertEqual($"glrlm {direction}", ManualMatrices.Get($"glrlm {direction}"), AsDouble(glrlm.CountsByGreyLevel(matrix)));
            for (int n = 0; n < matrix.Length; n++) merged[n] += matrix[n];
        }
        ManualMatrices.AssertEqual("glrlm 3d-merged", ManualMatrices.Get("glrlm 3d-merged"), AsDouble(glrlm.CountsByGreyLevel(merged)));
    }

    /// <summary>(grey level, zone size or distance) → number of zones, over zones first…end−1.</summary>
    private static Dictionary<(int, int), double> ZoneCounts(Zones zones, int first, int end, Func<int, int> column)
    {
        var counts = new Dictionary<(int, int), double>();
        for (int z = first; z < end; z++)
        {
            var key = (Volume.GreyLevel[zones.Level[z]], column(z));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    [Fact]
    public void GlszmPerSliceAndVolumetric()
    {
        var planar = Zones.Label(Volume, planar: true);
        var slices = Slices();
        for (int s = 0; s < slices.Length; s++)
            ManualMatrices.AssertEqual($"glszm 2d/{s + 1}", ManualMatrices.Get($"glszm 2d/{s + 1}"),
                ZoneCounts(planar, planar.SliceStart[slices[s]], planar.SliceStart[slices[s] + 1], z => planar.Size[z]));
        var volumetric = Zones.Label(Volume, planar: false);
        ManualMatrices.AssertEqual("glszm 3d", ManualMatrices.Get("glszm 3d"), ZoneCounts(volumetric, 0, volumetric.Count, z => volumetric.Size[z]));
    }

    [Fact]
    public void GldzmPerSliceAndVolumetric()
    {
        var planar = Zones.Label(Volume, planar: true);
        var planarDistance = Gldzm.ZoneDistances(Volume, planar, Gldzm.DistanceToEdge(Volume, planar: true));
        var slices = Slices();
        for (int s = 0; s < slices.Length; s++)
            ManualMatrices.AssertEqual($"gldzm 2d/{s + 1}", ManualMatrices.Get($"gldzm 2d/{s + 1}"),
                ZoneCounts(planar, planar.SliceStart[slices[s]], planar.SliceStart[slices[s] + 1], z => planarDistance[z]));
        var volumetric = Zones.Label(Volume, planar: false);
        var distance = Gldzm.ZoneDistances(Volume, volumetric, Gldzm.DistanceToEdge(Volume, planar: false));
        ManualMatrices.AssertEqual("gldzm 3d", ManualMatrices.Get("gldzm 3d"), ZoneCounts(volumetric, 0, volumetric.Count, z => distance[z]));
    }

    private static void AssertNgtdm(string label, Ngtdm.Matrix ours)
    {
        var manual = ManualMatrices.Ngtdm(label);
        var present = Enumerable.Range(1, Volume.PresentLevels).Where(i => ours.N[i] > 0).ToDictionary(i => Volume.GreyLevel[i]);
        Assert.Equal(manual.Keys.Order(), present.Keys.Order());
        foreach (var (grey, (s, n)) in manual)
        {
            Assert.Equal(n, ours.N[present[grey]]);
            // The manual prints s_i to 6 decimals (3 where they end in zeros).
            Assert.True(Math.Abs(ours.S[present[grey]] - s) <= 5e-7, $"{label}: s_{grey} is {ours.S[present[grey]]}, the manual prints {s}");
        }
    }

    [Fact]
    public void NgtdmPerSliceAndVolumetric()
    {
        var slices = Slices();
        var volumetric = new Ngtdm.Matrix(Volume.GreyLevel);
        for (int s = 0; s < slices.Length; s++)
        {
            var slice = new Ngtdm.Matrix(Volume.GreyLevel);
            Ngtdm.Count(Volume, Volume.SliceVoxels(slices[s]), Volume.NeighbourhoodOf([1]), countIsolated: false, slice, volumetric);
            AssertNgtdm($"ngtdm 2d/{s + 1}", slice);
        }
        AssertNgtdm("ngtdm 3d", volumetric);
    }

    private static Dictionary<(int, int), double> Entries(LevelMatrix matrix)
    {
        var entries = new Dictionary<(int, int), double>();
        for (int r = 1; r < matrix.Rows; r++)
            for (int c = 1; c < matrix.Columns; c++)
                if (matrix[r, c] != 0) entries[(Volume.GreyLevel[r], matrix.ColumnValue[c])] = matrix[r, c];
        return entries;
    }

    [Fact]
    public void NgldmPerSliceAndVolumetric()
    {
        var slices = Slices();
        var volumetric = LevelMatrix.WithIndexColumns(Volume.GreyLevel.Length, 27);
        for (int s = 0; s < slices.Length; s++)
        {
            var slice = LevelMatrix.WithIndexColumns(Volume.GreyLevel.Length, 9);
            Ngldm.Count(Volume, Volume.SliceVoxels(slices[s]), Volume.NeighbourhoodOf([1]), alpha: 0, slice, volumetric);
            ManualMatrices.AssertEqual($"ngldm 2d/{s + 1}", ManualMatrices.Get($"ngldm 2d/{s + 1}"), Entries(slice));
        }
        ManualMatrices.AssertEqual("ngldm 3d", ManualMatrices.Get("ngldm 3d"), Entries(volumetric));
    }
}
