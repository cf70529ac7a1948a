using Habitat.Imaging;
using Habitat.Radiomics.Habitat;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests.Habitat;

public class NormalisationTests
{
    /// <summary>A "brain" of three tissues (CSF-, grey- and white-matter-like) with noise; intensities mapped by <paramref name="site"/>.</summary>
    private static (Volume Image, byte[] Brain) SyntheticBrain(int seed, Func<double, double> site)
    {
        var grid = Grid.Create(30, 30, 30, Vec3.One);
        var random = new Random(seed);
        var voxels = new float[grid.Count];
        var brain = new byte[grid.Count];
        for (int n = 0; n < voxels.Length; n++)
        {
            double u = random.NextDouble();
            double tissue = u < 0.15 ? 30 : u < 0.55 ? 70 : 100; // fractions 15 / 40 / 45 %
            double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            voxels[n] = (float)site(tissue + 5 * normal);
            brain[n] = n % 5 == 0 ? (byte)0 : (byte)1;
        }
        return (new Volume(grid, voxels), brain);
    }

    [Fact]
    public void ZScore_gives_mean_zero_and_unit_sd_inside_the_reference()
    {
        var (image, brain) = SyntheticBrain(1, x => 3 * x + 200);
        var z = Normalisation.ZScore(image, brain, "T1c");
        var inside = z.Voxels.Where((_, n) => brain[n] != 0).Select(v => (double)v).ToArray();
        double mean = inside.Average();
        Assert.Equal(0, mean, 4);
        Assert.Equal(1, Math.Sqrt(inside.Sum(v => (v - mean) * (v - mean)) / inside.Length), 4);
    }

    [Fact]
    public void Nyul_landmarks_of_two_sites_coincide_after_standardisation()
    {
        // Site A linear, site B a different scale, offset and a gamma-like non-linearity.
        var siteA = Enumerable.Range(0, 3).Select(s => SyntheticBrain(10 + s, x => 2 * x + 50)).ToArray();
        var siteB = Enumerable.Range(0, 3).Select(s => SyntheticBrain(20 + s, x => 0.02 * Math.Pow(Math.Max(x, 1), 1.5) + 7)).ToArray();
        var model = NyulStandardisation.Train("T1c", siteA.Concat(siteB).Select(s => (s.Image, s.Brain)));
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "nyul.json");
        NyulStandardisation.Save(file, [model]);
        var loaded = NyulStandardisation.Load(file)["t1c"];
        Assert.Equal(model.StandardLandmarks, loaded.StandardLandmarks);

        var testA = SyntheticBrain(99, x => 2 * x + 50);
        var testB = SyntheticBrain(98, x => 0.02 * Math.Pow(Math.Max(x, 1), 1.5) + 7);
        var before = (A: NyulStandardisation.Landmarks(testA.Image, testA.Brain, model.Percentiles, "A"), B: NyulStandardisation.Landmarks(testB.Image, testB.Brain, model.Percentiles, "B"));
        Assert.True(Math.Abs(before.A[5] - before.B[5]) > 50, "the sites differ before standardisation");
        var a = NyulStandardisation.Landmarks(loaded.Apply(testA.Image, testA.Brain, "A"), testA.Brain, model.Percentiles, "A");
        var b = NyulStandardisation.Landmarks(loaded.Apply(testB.Image, testB.Brain, "B"), testB.Brain, model.Percentiles, "B");
        for (int l = 0; l < a.Length; l++)
        {
            Assert.Equal(model.StandardLandmarks[l], a[l], 2);
            Assert.Equal(model.StandardLandmarks[l], b[l], 2);
        }
    }

    [Fact]
    public void WhiteStripe_puts_the_white_matter_peak_at_zero_whatever_the_scale()
    {
        var peaks = new List<double>();
        foreach (var site in new Func<double, double>[] { x => x, x => 4 * x + 300 })
        {
            var (image, brain) = SyntheticBrain(5, site);
            var z = Normalisation.WhiteStripe(image, brain, "T1", t1Weighted: true);
            // The map is affine: recover it from two voxels and evaluate it at the white-matter intensity (100 before the site map).
            int p = 0, q = 1;
            while (image.Voxels[q] == image.Voxels[p]) q++;
            double slope = (z.Voxels[q] - z.Voxels[p]) / (double)(image.Voxels[q] - image.Voxels[p]);
            double atWhiteMatter = z.Voxels[p] + slope * (site(100) - image.Voxels[p]);
            Assert.InRange(atWhiteMatter, -1.5, 1.5); // in stripe-SD units (≈ 1.5 intensity units here): the peak is found within ~2 units
            peaks.Add(atWhiteMatter);
        }
        Assert.Equal(peaks[0], peaks[1], 2); // scale and offset do not move it
    }
}
