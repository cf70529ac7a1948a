using Habitat.Imaging;
using SkiaSharp;

namespace Habitat.Reports;

/// <summary>
/// Axial slices as PNG: grey levels windowed to the 1st–99th percentile of the slice's non-zero voxels, optionally
/// with a habitat label overlay (BraTS colours: necrotic core red, oedema green, enhancing yellow), shown in
/// radiological convention (patient's left on the image's right, anterior at the top), each voxel drawn as a
/// square of its in-plane size.
/// </summary>
public static class SliceRenderer
{
    public static readonly IReadOnlyDictionary<int, SKColor> HabitatColours = new Dictionary<int, SKColor>
    {
        [1] = new SKColor(230, 40, 40),
        [2] = new SKColor(40, 200, 60),
        [3] = new SKColor(250, 220, 30),
        [4] = new SKColor(250, 220, 30),
    };

    /// <param name="pixelsPerMm">Output scale: pixels per millimetre of the slice.</param>
    /// <param name="overlayOpacity">0 for no overlay; otherwise opacity of the label colours.</param>
    public static byte[] AxialPng(Volume image, int k, LabelVolume? overlay = null, double overlayOpacity = 0.45, double pixelsPerMm = 2.5)
    {
        var g = image.Grid;
        if ((uint)k >= (uint)g.Nz) throw new ArgumentOutOfRangeException(nameof(k), $"slice {k} outside 0..{g.Nz - 1}");
        if (overlay is not null) g.EnsureMatches(overlay.Grid, "image", "overlay");
        int plane = g.Nx * g.Ny, offset = k * plane;
        var (low, high) = Window(image.Voxels.AsSpan(offset, plane));
        int width = Math.Max(1, (int)Math.Round(g.Nx * g.Spacing.X * pixelsPerMm));
        int height = Math.Max(1, (int)Math.Round(g.Ny * g.Spacing.Y * pixelsPerMm));

        using var slice = new SKBitmap(g.Nx, g.Ny, SKColorType.Rgba8888, SKAlphaType.Opaque);
        float scale = high > low ? 255f / (high - low) : 0;
        for (int j = 0; j < g.Ny; j++)
            for (int i = 0; i < g.Nx; i++)
            {
                int n = offset + i + g.Nx * j;
                byte grey = (byte)Math.Clamp((image.Voxels[n] - low) * scale, 0, 255);
                var colour = new SKColor(grey, grey, grey);
                if (overlay is not null && overlayOpacity > 0 && HabitatColours.TryGetValue(overlay.Labels[n], out var label))
                    colour = Blend(colour, label, overlayOpacity);
                slice.SetPixel(i, j, colour);
            }
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Black);
        using var bitmapImage = SKImage.FromBitmap(slice);
        canvas.DrawImage(bitmapImage, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Nearest));
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKColor Blend(SKColor under, SKColor over, double alpha) => new(
        (byte)(under.Red + (over.Red - under.Red) * alpha),
        (byte)(under.Green + (over.Green - under.Green) * alpha),
        (byte)(under.Blue + (over.Blue - under.Blue) * alpha));

    /// <summary>1st and 99th percentile of the non-zero values (the display window).</summary>
    private static (float Low, float High) Window(ReadOnlySpan<float> values)
    {
        var nonZero = new List<float>(values.Length);
        foreach (var v in values) if (v != 0 && float.IsFinite(v)) nonZero.Add(v);
        if (nonZero.Count == 0) return (0, 1);
        nonZero.Sort();
        return (nonZero[(int)(0.01 * (nonZero.Count - 1))], nonZero[(int)(0.99 * (nonZero.Count - 1))]);
    }

    /// <summary>The axial slice holding the most voxels of the given labels (the slice "through the lesion").</summary>
    public static int SliceWithMost(LabelVolume labels, IReadOnlyCollection<int> wanted)
    {
        var g = labels.Grid;
        int plane = g.Nx * g.Ny, best = g.Nz / 2, bestCount = 0;
        for (int k = 0; k < g.Nz; k++)
        {
            int count = 0;
            for (int n = k * plane; n < (k + 1) * plane; n++) if (wanted.Contains(labels.Labels[n])) count++;
            if (count > bestCount) { bestCount = count; best = k; }
        }
        return best;
    }
}
