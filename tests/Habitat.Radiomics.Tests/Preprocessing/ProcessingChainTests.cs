using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.Settings;

namespace Habitat.Radiomics.Tests.Preprocessing;

public class ProcessingChainTests
{
    [Fact]
    public void Aligned_grid_keeps_the_centre_and_rounds_the_size_up()
    {
        // The IBSI CT phantom: 204 x 201 x 60 voxels of 0.977 x 0.977 x 3 mm, to 2 mm.
        var ct = new Grid(204, 201, 60, new Vec3(0.977, 0.977, 3), new Vec3(-174.3945, -79.6255, -100.4), Matrix3.Identity);
        var grid = AlignedGrid.Create(ct, 2, 2, 2);
        Assert.Equal((100, 99, 90), (grid.Nx, grid.Ny, grid.Nz));
        Assert.Equal(new Vec3(2, 2, 2), grid.Spacing);
        var centreOld = ct.IndexToPhysical((ct.Nx - 1) / 2.0, (ct.Ny - 1) / 2.0, (ct.Nz - 1) / 2.0);
        var centreNew = grid.IndexToPhysical((grid.Nx - 1) / 2.0, (grid.Ny - 1) / 2.0, (grid.Nz - 1) / 2.0);
        Assert.True(centreOld.ApproximatelyEquals(centreNew, 1e-9), $"{centreOld} vs {centreNew}");

        var inPlane = AlignedGrid.Create(ct, 2, 2, null);
        Assert.Equal((100, 99, 60), (inPlane.Nx, inPlane.Ny, inPlane.Nz));
        Assert.Equal(ct.Origin.Z, inPlane.Origin.Z);
    }

    [Fact]
    public void Exact_multiples_do_not_gain_a_voxel()
    {
        var grid = AlignedGrid.Create(Grid.Create(10, 10, 10, new Vec3(0.1, 0.1, 0.3)), 0.2, 0.2, 0.1);
        Assert.Equal((5, 5, 30), (grid.Nx, grid.Ny, grid.Nz));
    }

    [Fact]
    public void Mask_is_binarised_at_the_partial_volume_threshold()
    {
        Assert.Equal([0, 1, 1, 0], RoiPreprocessor.Binarise([0.2f, 0.5f, 0.9f, 0.4999f], 0.5));
    }

    [Fact]
    public void Rounding_is_to_nearest_with_halves_to_even()
    {
        float[] v = [1.4f, 1.5f, 2.5f, -0.6f, -2.5f];
        RoiPreprocessor.RoundToIntegers(v);
        Assert.Equal([1f, 2f, 2f, -1f, -2f], v);
    }

    [Fact]
    public void Range_and_outlier_resegmentation_intersect()
    {
        // 20 voxels of 0 and one of 100: mean 4.76, SD 21.3, so mean + 3 SD = 68.7 excludes the 100.
        var x = Enumerable.Repeat(0f, 20).Append(100f).Append(-50f).ToArray();
        var mask = Enumerable.Repeat((byte)1, 21).Append((byte)0).ToArray();
        var outlier = Resegmentation.Apply(x, mask, new ResegmentationSettings(OutlierSigma: 3));
        Assert.Equal(20, outlier.Count(b => b == 1));
        Assert.Equal(0, outlier[20]);
        Assert.Equal(0, outlier[21]);   // outside the morphological mask stays outside
        var range = Resegmentation.Apply(x, mask, new ResegmentationSettings(RangeMin: 1, RangeMax: 200));
        Assert.Equal(1, range.Count(b => b == 1));
        var both = Resegmentation.Apply(x, mask, new ResegmentationSettings(RangeMin: 1, RangeMax: 200, OutlierSigma: 3));
        Assert.Equal(0, both.Count(b => b == 1));
    }

    private static RoiImage Roi(float[] x) =>
        new(Grid.Create(x.Length, 1, 1, Vec3.One), x, Enumerable.Repeat((byte)1, x.Length).ToArray(), Enumerable.Repeat((byte)1, x.Length).ToArray());

    [Fact]
    public void Fixed_bin_number_maps_the_maximum_to_the_last_bin()
    {
        var d = Discretisation.Apply(Roi([-10, 0, 5, 10]), new DiscretisationSettings(DiscretisationMethod.FixedBinNumber, null, 4), new());
        Assert.Equal([1, 3, 4, 4], d.Levels);
        Assert.Equal(4, d.LevelCount);
    }

    [Fact]
    public void Fixed_bin_size_starts_at_the_resegmentation_lower_bound()
    {
        var settings = new DiscretisationSettings(DiscretisationMethod.FixedBinSize, 25, null);
        var fromRange = Discretisation.Apply(Roi([-500, -476, -475, 0, 399]), settings, new ResegmentationSettings(-500, 400));
        Assert.Equal([1, 1, 2, 21, 36], fromRange.Levels);
        Assert.Equal(36, fromRange.LevelCount);
        var fromMinimum = Discretisation.Apply(Roi([-480, -455, 0]), settings, new());
        Assert.Equal([1, 2, 20], fromMinimum.Levels);
    }

    [Fact]
    public void Ivh_fixed_bin_size_uses_bin_centres_and_the_inner_range()
    {
        var ivh = IvhInput.Create(Roi([-1000, -997.4f, 399]), new IvhSettings(IvhMethod.FixedBinSize, 2.5, null), new ResegmentationSettings(-1000, 400));
        Assert.Equal([-998.75, -996.25, 398.75], ivh.Values);
        Assert.Equal((2.5, -998.75, 398.75), (ivh.Width, ivh.RangeMin, ivh.RangeMax));
        var bins = IvhInput.Create(Roi([0, 5, 10]), new IvhSettings(IvhMethod.FixedBinNumber, null, 1000), new ResegmentationSettings(-1000, 400));
        Assert.Equal([1, 501, 1000], bins.Values);
        Assert.Equal((1.0, 1.0, 1000.0), (bins.Width, bins.RangeMin, bins.RangeMax));
    }

    [Fact]
    public void Ivh_features_follow_their_definitions()
    {
        // The digital phantom's ROI: grey level 1 x 50, 3 x 1, 4 x 16, 6 x 7, range [1, 6].
        var values = Enumerable.Repeat(1.0, 50).Concat(Enumerable.Repeat(3.0, 1)).Concat(Enumerable.Repeat(4.0, 16)).Concat(Enumerable.Repeat(6.0, 7)).ToArray();
        var output = new List<Feature>();
        IntensityVolumeHistogram.Compute(new IvhInput(values, 1, 1, 6), output);
        double Get(string tag) => output.Single(f => f.Tag == tag).Value;
        Assert.Equal(24.0 / 74, Get("ivh.V10"), 12);      // first intensity with fraction >= 0.1 is 2
        Assert.Equal(7.0 / 74, Get("ivh.V90"), 12);       // ... >= 0.9 is 6
        Assert.Equal(5, Get("ivh.I10"));                  // nu(5) = 7/74 <= 0.1, nu(4) = 23/74 is not
        Assert.Equal(2, Get("ivh.I90"));
        Assert.Equal(3, Get("ivh.I10minusI90"));
    }

    [Fact]
    public void Ivh_refuses_an_unbounded_number_of_steps()
    {
        var e = Assert.Throws<ArgumentException>(() => IntensityVolumeHistogram.Compute(new IvhInput([0, 1e9], 1e-3, 0, 1e9), []));
        Assert.Contains("fixed-bin IVH discretisation", e.Message);
    }

    [Fact]
    public void Statistics_use_numpy_style_percentiles()
    {
        var output = new List<Feature>();
        IntensityStatistics.Compute(Roi([4, 1, 3, 2]), output);
        double Get(string tag) => output.Single(f => f.Tag == tag).Value;
        Assert.Equal(2.5, Get("stat.median"));
        Assert.Equal(1.3, Get("stat.P10"), 12);   // rank 0.3 between 1 and 2
        Assert.Equal(1.5, Get("stat.iqr"), 12);   // 3.25 - 1.75
        Assert.Equal(30, Get("stat.energy"));
        Assert.Equal(1.25, Get("stat.var"), 12);
        Assert.Equal(18, output.Count);
        Assert.Equal(output.Count, output.Select(f => f.Tag).Distinct().Count());
    }

    [Fact]
    public void Local_intensity_sphere_reaches_outside_the_roi()
    {
        // A 1 mm grid: the 1 cm^3 sphere (radius 6.2 mm) around the centre covers voxels outside the one-voxel ROI.
        var grid = Grid.Create(15, 15, 15, Vec3.One);
        var x = new float[grid.Count];
        x[grid.Index(7, 7, 7)] = 1000;
        for (int n = 0; n < x.Length; n++) if (n != grid.Index(7, 7, 7)) x[n] = 1;
        var mask = new byte[grid.Count];
        mask[grid.Index(7, 7, 7)] = 1;
        var output = new List<Feature>();
        LocalIntensity.Compute(new RoiImage(grid, x, mask, mask), output);
        int inSphere = 0;
        for (int k = -7; k <= 7; k++) for (int j = -7; j <= 7; j++) for (int i = -7; i <= 7; i++)
            if (i * i + j * j + k * k <= LocalIntensity.SphereRadiusMm * LocalIntensity.SphereRadiusMm) inSphere++;
        double expected = (1000 + (inSphere - 1)) / (double)inSphere;
        Assert.Equal(expected, output.Single(f => f.Tag == "loc.peak.local").Value, 9);
        Assert.Equal(expected, output.Single(f => f.Tag == "loc.peak.global").Value, 9);
    }

    [Fact]
    public void Interpolation_works_on_the_roi_crop_only_and_matches_the_whole_image()
    {
        var grid = new Grid(40, 36, 12, new Vec3(0.8, 0.8, 2.5), new Vec3(3, -7, 11), Matrix3.Identity);
        var rng = new Random(5);
        var image = new Volume(grid, Enumerable.Range(0, grid.Count).Select(_ => (float)rng.Next(-100, 100)).ToArray());
        var mask = new byte[grid.Count];
        for (int k = 4; k < 8; k++) for (int j = 14; j < 22; j++) for (int i = 15; i < 25; i++) mask[grid.Index(i, j, k)] = 1;
        foreach (var method in new[] { InterpolationMethod.Linear, InterpolationMethod.CubicSpline })
        {
            var settings = new IbsiSettings
            {
                Interpolation = new InterpolationSettings([1.5, 1.5, 1.5], false, method, true, InterpolationMethod.Linear, 0.5),
            };
            var roi = RoiPreprocessor.Process(image, mask, settings);
            var full = AlignedGrid.Create(grid, 1.5, 1.5, 1.5);
            var whole = Resampler.Resample(image, full, method);
            var start = full.PhysicalToIndex(roi.Grid.Origin);
            int i0 = (int)Math.Round(start.X), j0 = (int)Math.Round(start.Y), k0 = (int)Math.Round(start.Z);
            Assert.True(roi.Grid.Nx < full.Nx && roi.MorphologicalMask.Any(b => b == 1));
            for (int k = 0; k < roi.Grid.Nz; k++) for (int j = 0; j < roi.Grid.Ny; j++) for (int i = 0; i < roi.Grid.Nx; i++)
                Assert.Equal(MathF.Round(whole[i + i0, j + j0, k + k0]), roi.Intensities[roi.Grid.Index(i, j, k)]);
        }
    }

    [Fact]
    public void An_empty_roi_is_a_typed_error()
    {
        var grid = Grid.Create(4, 4, 4, Vec3.One);
        var image = Volume.Zeros(grid);
        Assert.Throws<EmptyRoiException>(() => RoiPreprocessor.Process(image, new byte[grid.Count], new IbsiSettings()));
        var mask = new byte[grid.Count];
        mask[5] = 1;
        var e = Assert.Throws<EmptyRoiException>(() => RoiPreprocessor.Process(image, mask, new IbsiSettings { Resegmentation = new(RangeMin: 10) }));
        Assert.Contains("re-segmentation", e.Message);
    }

    [Fact]
    public void Extractor_refuses_a_mask_on_another_grid_and_a_missing_label()
    {
        var grid = Grid.Create(4, 4, 4, Vec3.One);
        var image = Volume.Zeros(grid);
        var labels = new int[grid.Count];
        labels[3] = 2;
        var shifted = new LabelVolume(grid.WithOrigin(new Vec3(1, 0, 0)), labels);
        Assert.Throws<GeometryMismatchException>(() => IbsiExtractor.Extract(image, shifted, null, new IbsiSettings()));
        var mask = new LabelVolume(grid, labels);
        var e = Assert.Throws<EmptyRoiException>(() => IbsiExtractor.Extract(image, mask, 1, new IbsiSettings()));
        Assert.Contains("label 1", e.Message);
    }
}
