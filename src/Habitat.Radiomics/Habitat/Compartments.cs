using System.Globalization;
using Habitat.Imaging;
using Habitat.Imaging.Processing;

namespace Habitat.Radiomics.Habitat;

/// <summary>One named region of a study's habitat, as a 0/1 mask on the habitat grid.</summary>
public sealed record Compartment(string Name, byte[] Mask)
{
    public long VoxelCount => Mask.Length - Mask.AsSpan().Count((byte)0);
}

/// <summary>
/// The habitat's compartments: enhancing lesion, necrotic core, whole lesion (enhancing ∪ core), oedema (the
/// FLAIR-hyperintense perilesional label) and the peritumoral shells. Shell <c>shell_a_bmm</c> holds the brain voxels
/// whose distance from the lesion surface is in (a, b] mm. That distance is the exact Euclidean distance (anisotropic
/// spacing) to the nearest whole-lesion voxel centre minus a quarter of the mean voxel spacing: the outermost lesion
/// centres lie below the true surface, and the nearest of them to an outside point lies about a quarter voxel deep
/// (half a voxel along one line, less when neighbouring columns compete). Without it a 0–5 mm shell around a
/// voxelised 15 mm sphere is 6 % short of the analytic shell. Shells never include lesion voxels nor leave the brain
/// mask (they may include oedema).
/// </summary>
public static class Compartments
{
    public const string Enhancing = "enhancing", NecroticCore = "necrotic_core", WholeLesion = "whole_lesion", Oedema = "oedema";

    /// <summary>Compartment names in output order for the given shell widths.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<double> shellWidthsMm) =>
        [Enhancing, NecroticCore, WholeLesion, Oedema, .. ShellBounds(shellWidthsMm).Select(b => ShellName(b.Inner, b.Outer))];

    public static string ShellName(double innerMm, double outerMm) =>
        string.Create(CultureInfo.InvariantCulture, $"shell_{innerMm:0.###}_{outerMm:0.###}mm").Replace('.', 'p');

    public static IEnumerable<(double Inner, double Outer)> ShellBounds(IReadOnlyList<double> widthsMm)
    {
        double inner = 0;
        foreach (var w in widthsMm) { yield return (inner, inner + w); inner += w; }
    }

    /// <summary>Every compartment of the habitat; <paramref name="brain"/> clips the shells.</summary>
    public static IReadOnlyList<Compartment> Build(LabelVolume habitat, ReadOnlySpan<byte> brain, LabelMapping labels, IReadOnlyList<double> shellWidthsMm)
    {
        var enhancing = MaskOf(habitat, labels.Enhancing);
        var core = MaskOf(habitat, labels.NecroticCore);
        var lesion = new byte[enhancing.Length];
        for (int n = 0; n < lesion.Length; n++) lesion[n] = (byte)(enhancing[n] | core[n]);
        var list = new List<Compartment>
        {
            new(Enhancing, enhancing), new(NecroticCore, core), new(WholeLesion, lesion), new(Oedema, MaskOf(habitat, labels.Oedema)),
        };
        var distance = DistanceTransform.Euclidean(habitat.Grid, lesion);
        var s = habitat.Grid.Spacing;
        double surfaceDepth = (s.X + s.Y + s.Z) / 12;
        foreach (var (inner, outer) in ShellBounds(shellWidthsMm))
            list.Add(new(ShellName(inner, outer), Shell(distance, brain, inner + surfaceDepth, outer + surfaceDepth)));
        return list;
    }

    /// <summary>Brain voxels whose centre-to-centre distance to the lesion is in (inner, outer] mm (0 = lesion, never in a shell).</summary>
    public static byte[] Shell(ReadOnlySpan<float> distanceMm, ReadOnlySpan<byte> brain, double innerMm, double outerMm)
    {
        var shell = new byte[distanceMm.Length];
        for (int n = 0; n < shell.Length; n++)
        {
            float d = distanceMm[n];
            if (d > 0 && d > innerMm && d <= outerMm && brain[n] != 0) shell[n] = 1;
        }
        return shell;
    }

    public static byte[] MaskOf(LabelVolume habitat, IReadOnlyList<int> labels)
    {
        var mask = new byte[habitat.Labels.Length];
        var source = habitat.Labels;
        for (int n = 0; n < mask.Length; n++)
            for (int l = 0; l < labels.Count; l++)
                if (source[n] == labels[l]) { mask[n] = 1; break; }
        return mask;
    }
}
