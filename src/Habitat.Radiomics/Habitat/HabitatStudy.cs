using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.Habitat;

/// <summary>One post-treatment study on one grid: named sequences, the habitat label map and the brain mask (all voxels
/// where the first required sequence is non-zero when no mask is given).</summary>
public sealed record HabitatStudy(string Id, IReadOnlyDictionary<string, Volume> Sequences, LabelVolume Habitat, byte[] Brain);

/// <summary>Where a study's files are: one path per sequence name, the habitat map and an optional brain mask.</summary>
public sealed record StudyFiles(string Id, IReadOnlyDictionary<string, string> Sequences, string Habitat, string? BrainMask)
{
    /// <summary>File stems recognised in a study folder besides the sequence names (case-insensitive).</summary>
    public static readonly IReadOnlyList<string> HabitatStems = ["habitat", "seg", "labels"];
    public static readonly IReadOnlyList<string> BrainMaskStems = ["brain_mask", "brainmask"];
    private static readonly string[] ImageExtensions = [".nii.gz", ".nii", ".nrrd", ".nhdr", ".mha", ".mhd", ".hdr"];

    /// <summary>
    /// A study folder: <c>&lt;Sequence&gt;.nii.gz</c> (or .nii, .nrrd, .mha, …) for each sequence, <c>habitat.*</c> (or
    /// <c>seg.*</c>, <c>labels.*</c>) and optionally <c>brain_mask.*</c>; the id is the folder name.
    /// </summary>
    public static StudyFiles FromFolder(string folder, HabitatSettings settings)
    {
        if (!Directory.Exists(folder)) throw new ImageFormatException(folder, "study folder not found");
        var byStem = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(folder))
            if (StemOf(file) is { } stem) byStem.TryAdd(stem, file);
        var sequences = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in settings.AllSequences)
            if (byStem.TryGetValue(name, out var path)) sequences[name] = path;
        var habitat = HabitatStems.Select(s => byStem.GetValueOrDefault(s)).FirstOrDefault(p => p is not null)
            ?? throw new ImageFormatException(folder, $"no habitat label map: expected a file named {string.Join(" or ", HabitatStems)} with an image extension ({string.Join(", ", ImageExtensions)})");
        var brain = BrainMaskStems.Select(s => byStem.GetValueOrDefault(s)).FirstOrDefault(p => p is not null);
        var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return Checked(new StudyFiles(id, sequences, habitat, brain), settings, folder);
    }

    /// <summary>Every required sequence is present, or an error names the missing ones and where they were looked for.</summary>
    public static StudyFiles Checked(StudyFiles files, HabitatSettings settings, string where)
    {
        var missing = settings.Sequences.Where(s => !files.Sequences.ContainsKey(s)).ToArray();
        if (missing.Length > 0)
            throw new ImageFormatException(where, $"study '{files.Id}' lacks the required sequence{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)} " +
                                                  $"(found: {(files.Sequences.Count == 0 ? "none" : string.Join(", ", files.Sequences.Keys))})");
        return files;
    }

    private static string? StemOf(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var ext in ImageExtensions)
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) return name[..^ext.Length];
        return null;
    }

    /// <summary>
    /// Reads the study. Every sequence and the brain mask must share the habitat map's grid (else a
    /// <see cref="GeometryMismatchException"/> naming both files and the difference), unless
    /// <see cref="HabitatSettings.ResampleToT1c"/>: then all are resampled onto the T1c grid (images linear, labels nearest).
    /// </summary>
    public HabitatStudy Load(HabitatSettings settings)
    {
        Checked(this, settings, Habitat);
        var sequences = new Dictionary<string, Volume>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, path) in Sequences) sequences[name] = ImageFile.Read(path);
        var habitat = ImageFile.ReadLabels(Habitat);
        var brain = BrainMask is null ? null : ImageFile.ReadLabels(BrainMask);
        if (settings.ResampleToT1c)
        {
            var t1c = sequences.Keys.FirstOrDefault(k => k.Equals("T1c", StringComparison.OrdinalIgnoreCase))
                ?? throw new ImageFormatException(Habitat, $"study '{Id}': resample_to_t1c needs a T1c sequence");
            var target = sequences[t1c].Grid;
            foreach (var name in sequences.Keys.ToArray())
                if (!sequences[name].Grid.Matches(target)) sequences[name] = Resampler.Resample(sequences[name], target, InterpolationMethod.Linear);
            habitat = OnGrid(habitat, target, Habitat);
            if (brain is not null) brain = OnGrid(brain, target, BrainMask!);
        }
        foreach (var (name, volume) in sequences)
            habitat.Grid.EnsureMatches(volume.Grid, $"habitat map {Habitat}", $"sequence {name} ({Sequences[name]})");
        if (brain is not null) habitat.Grid.EnsureMatches(brain.Grid, $"habitat map {Habitat}", $"brain mask {BrainMask}");
        var brainMask = brain?.Foreground() ?? NonZero(sequences[settings.Sequences[0]]);
        return new HabitatStudy(Id, sequences, habitat, brainMask);
    }

    private static LabelVolume OnGrid(LabelVolume labels, Grid target, string source) =>
        labels.Grid.Matches(target) ? labels : LabelVolume.FromVolume(Resampler.Resample(labels.ToVolume(PixelType.Float32), target, InterpolationMethod.Nearest), source);

    private static byte[] NonZero(Volume image)
    {
        var mask = new byte[image.Voxels.Length];
        for (int n = 0; n < mask.Length; n++) mask[n] = image.Voxels[n] != 0 ? (byte)1 : (byte)0;
        return mask;
    }
}
