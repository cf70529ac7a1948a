using System.Text.Json;
using Habitat.Imaging;

namespace Habitat.Radiomics.Habitat;

/// <summary>
/// Nyúl–Udupa piecewise-linear histogram standardisation (Nyúl, Udupa &amp; Zhang, IEEE TMI 2000). Training: each
/// image's landmarks (percentiles <see cref="Percentiles"/> of its reference region) are mapped linearly so that
/// the first and last land on [<see cref="ScaleMin"/>, <see cref="ScaleMax"/>]; the standard landmarks are the
/// mean mapped landmarks. Applying: an image's own landmarks are mapped piecewise-linearly onto the standard ones
/// (the end segments extended beyond the first and last landmark).
/// </summary>
public sealed record NyulStandardisation(string Sequence, IReadOnlyList<double> Percentiles, IReadOnlyList<double> StandardLandmarks)
{
    public const double ScaleMin = 0, ScaleMax = 100;
    /// <summary>1st and 99th percentiles as the ends, deciles in between (the paper's default landmark set).</summary>
    public static readonly IReadOnlyList<double> DefaultPercentiles = [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99];

    public static NyulStandardisation Train(string sequence, IEnumerable<(Volume Image, byte[] Reference)> cohort, IReadOnlyList<double>? percentiles = null)
    {
        percentiles ??= DefaultPercentiles;
        var p = percentiles;
        return FromTrainingLandmarks(sequence, p, cohort.Select((c, i) => TrainingLandmarks(c.Image, c.Reference, p, $"{sequence}: training image {i + 1}")));
    }

    /// <summary>The standard landmarks from each training image's <see cref="TrainingLandmarks"/> (streamed, so a
    /// cohort need not be in memory at once).</summary>
    public static NyulStandardisation FromTrainingLandmarks(string sequence, IReadOnlyList<double> percentiles, IEnumerable<double[]> imageLandmarks)
    {
        var sum = new double[percentiles.Count];
        int images = 0;
        foreach (var landmarks in imageLandmarks)
        {
            double lo = landmarks[0], hi = landmarks[^1];
            for (int l = 0; l < sum.Length; l++) sum[l] += ScaleMin + (landmarks[l] - lo) / (hi - lo) * (ScaleMax - ScaleMin);
            images++;
        }
        if (images == 0) throw new ArgumentException($"{sequence}: Nyúl training needs at least one image");
        return new NyulStandardisation(sequence, percentiles, sum.Select(s => s / images).ToArray());
    }

    /// <summary>One training image's landmarks, refused when the first and last coincide (constant intensities).</summary>
    public static double[] TrainingLandmarks(Volume image, ReadOnlySpan<byte> reference, IReadOnlyList<double> percentiles, string name)
    {
        var landmarks = Landmarks(image, reference, percentiles, name);
        if (!(landmarks[^1] > landmarks[0])) throw new ArgumentException($"{name} has equal first and last landmarks (constant intensities in the reference region)");
        return landmarks;
    }

    /// <summary>The percentiles of the reference region (linear interpolation between order statistics).</summary>
    public static double[] Landmarks(Volume image, ReadOnlySpan<byte> reference, IReadOnlyList<double> percentiles, string name)
    {
        var values = Normalisation.Gather(image, reference, name);
        Array.Sort(values);
        var result = new double[percentiles.Count];
        for (int l = 0; l < result.Length; l++)
        {
            double position = percentiles[l] / 100 * (values.Length - 1);
            int below = (int)Math.Floor(position);
            int above = Math.Min(values.Length - 1, below + 1);
            result[l] = values[below] + (position - below) * (values[above] - values[below]);
        }
        return result;
    }

    public Volume Apply(Volume image, ReadOnlySpan<byte> reference, string name)
    {
        var own = Landmarks(image, reference, Percentiles, name);
        for (int l = 1; l < own.Length; l++)
            if (!(own[l] > own[l - 1]))
                throw new ArgumentException($"{name}: landmarks {Percentiles[l - 1]} and {Percentiles[l]} % coincide ({own[l]}); the histogram is too discrete for Nyúl standardisation");
        var v = image.Voxels;
        var output = new float[v.Length];
        for (int n = 0; n < v.Length; n++)
        {
            double x = v[n];
            int segment = 0; // segment s maps [own[s], own[s+1]]; the first and last extend outward
            while (segment < own.Length - 2 && x > own[segment + 1]) segment++;
            double t = (x - own[segment]) / (own[segment + 1] - own[segment]);
            output[n] = (float)(StandardLandmarks[segment] + t * (StandardLandmarks[segment + 1] - StandardLandmarks[segment]));
        }
        return image.WithVoxels(output, PixelType.Float32);
    }

    private sealed record FileForm(string Format, List<NyulStandardisation> Sequences);
    private const string FormatName = "habitat-nyul/1";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes the landmarks of several sequences to one JSON file (atomically).</summary>
    public static void Save(string path, IEnumerable<NyulStandardisation> sequences) =>
        Output.FeatureCsv.WriteTextAtomically(path, JsonSerializer.Serialize(new FileForm(FormatName, sequences.ToList()), Json));

    public static IReadOnlyDictionary<string, NyulStandardisation> Load(string path)
    {
        if (!File.Exists(path))
            throw new ImageFormatException(path, "no Nyúl landmarks file here; learn one from a training cohort with 'habitat nyul-train --manifest studies.csv --settings S --out " + Path.GetFileName(path) + "'");
        FileForm? file;
        try { file = JsonSerializer.Deserialize<FileForm>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new ImageFormatException(path, $"not a Nyúl landmarks file: {e.Message}", e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ImageFormatException(path, $"cannot read: {e.Message}", e); }
        if (file is null || file.Format != FormatName || file.Sequences is null)
            throw new ImageFormatException(path, $"not a Nyúl landmarks file (format must be '{FormatName}')");
        foreach (var s in file.Sequences)
            if (s.Percentiles is null || s.StandardLandmarks is null || s.Percentiles.Count < 2 || s.Percentiles.Count != s.StandardLandmarks.Count)
                throw new ImageFormatException(path, $"sequence '{s.Sequence}': percentiles and standard landmarks must be two lists of equal length ≥ 2");
        return file.Sequences.ToDictionary(s => s.Sequence, StringComparer.OrdinalIgnoreCase);
    }
}
