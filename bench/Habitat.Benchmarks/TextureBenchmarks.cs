using BenchmarkDotNet.Attributes;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Preprocessing;
using Habitat.Radiomics.Settings;

namespace Habitat.Benchmarks;

/// <summary>
/// The six IBSI texture families, each alone and all together, with every 3-D aggregation ("3D, averaged",
/// "3D, merged", "3D"), on three ROIs:
/// <list type="bullet">
/// <item>CtConfigC: the IBSI CT phantom's GTV after the configuration C chain (2 mm trilinear, range [−1000, 400] HU, FBS 25 HU);</item>
/// <item>Large: a 200×200×150 region of a 1 mm volume (6 M voxels), a smooth random field in 32 grey levels;</item>
/// <item>Brain1: brain1's 4137-voxel lesion (PyRadiomics test data), bin width 25, no resampling — PyRadiomics 3.1 on
/// this machine: GLCM 5.8 ms, GLRLM 3.1 ms, GLSZM 1.3 ms, GLDM (≈ NGLDM) 1.1 ms, NGTDM 1.0 ms.</item>
/// </list>
/// Run: <c>dotnet run -c Release --project bench/Habitat.Benchmarks -- --filter '*TextureBenchmarks*'</c>.
/// Voxels per second = ROI voxels (printed at setup) / mean time.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class TextureBenchmarks
{
    public enum Roi { CtConfigC, Large, Brain1 }

    /// <summary>A family, or null for all six in one call (sharing the cropped volume and the zones).</summary>
    public static IEnumerable<TextureFamily?> FamilyValues => [.. Enum.GetValues<TextureFamily>().Cast<TextureFamily?>(), null];

    [ParamsAllValues]
    public Roi Input { get; set; }

    [ParamsSource(nameof(FamilyValues))]
    public TextureFamily? Family { get; set; }

    private DiscretisedRoi _roi = null!;
    private TextureOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _roi = Input switch
        {
            Roi.CtConfigC => CtConfigC(),
            Roi.Large => LargeSmoothField(200, 200, 150, levels: 32, seed: 1),
            _ => Brain1(),
        };
        _options = new TextureOptions
        {
            Aggregations = TextureAggregation.Volumetric,
            Families = Family is { } family ? [family] : Enum.GetValues<TextureFamily>(),
        };
        Console.WriteLine($"// {Input}: {_roi.Levels.Count(l => l > 0)} ROI voxels, {_roi.Levels.Max()} grey levels");
    }

    [Benchmark]
    public List<Feature> Texture()
    {
        var output = new List<Feature>(512);
        TextureFamilies.ComputeAll(_roi, _options, output);
        return output;
    }

    private static DiscretisedRoi Discretise(string image, string mask, IbsiSettings settings, Func<LabelVolume, byte[]> roiMask)
    {
        var input = ImageLoader.ReadImageAndMask(image, mask);
        var roi = RoiPreprocessor.Process(input.Image, roiMask(input.Mask), settings);
        return Discretisation.Apply(roi, settings.Discretisation, settings.Resegmentation);
    }

    private static DiscretisedRoi CtConfigC() => Discretise(
        BenchmarkData.Reference("ibsi1", "ct_phantom", "image.nii.gz"), BenchmarkData.Reference("ibsi1", "ct_phantom", "mask.nii.gz"),
        SettingsLoader.Load(Path.Combine(BenchmarkData.RepoRoot, "settings", "ibsi", "config_C.yaml")), mask => mask.Foreground());

    private static DiscretisedRoi Brain1() => Discretise(
        BenchmarkData.Reference("pyradiomics", "brain1_image.nrrd"), BenchmarkData.Reference("pyradiomics", "brain1_label.nrrd"),
        new IbsiSettings { Discretisation = new DiscretisationSettings(DiscretisationMethod.FixedBinSize, 25, null) }, mask => mask.MaskOf(1));

    /// <summary>White noise smoothed by three passes of a 9-voxel box filter along each axis, split into equally wide bins.</summary>
    private static DiscretisedRoi LargeSmoothField(int nx, int ny, int nz, int levels, int seed)
    {
        var random = new Random(seed);
        var field = new float[nx * ny * nz];
        for (int n = 0; n < field.Length; n++) field[n] = random.NextSingle();
        int[] strides = [1, nx, nx * ny], sizes = [nx, ny, nz];
        var line = new float[Math.Max(nx, Math.Max(ny, nz))];
        for (int pass = 0; pass < 3; pass++)
            for (int axis = 0; axis < 3; axis++)
            {
                int stride = strides[axis], size = sizes[axis];
                for (int start = 0; start < field.Length; start++)
                {
                    if (start / stride % size != 0) continue; // first voxel of a line along this axis
                    for (int t = 0; t < size; t++) line[t] = field[start + t * stride];
                    for (int t = 0; t < size; t++)
                    {
                        float sum = 0;
                        int from = Math.Max(0, t - 4), to = Math.Min(size - 1, t + 4);
                        for (int u = from; u <= to; u++) sum += line[u];
                        field[start + t * stride] = sum / (to - from + 1);
                    }
                }
            }
        float min = field.Min(), max = field.Max();
        var grey = new int[field.Length];
        for (int n = 0; n < grey.Length; n++) grey[n] = Math.Min(levels, (int)((field[n] - min) / (max - min) * levels) + 1);
        var mask = new byte[field.Length];
        Array.Fill(mask, (byte)1);
        return new DiscretisedRoi(Grid.Create(nx, ny, nz, new Vec3(1, 1, 1)), grey, levels, mask);
    }
}
