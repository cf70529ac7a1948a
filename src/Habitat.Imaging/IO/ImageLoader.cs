namespace Habitat.Imaging.IO;

/// <summary>An image and its mask, read from two files and checked to share one grid.</summary>
public sealed record ImageWithMask(Volume Image, LabelVolume Mask, string ImagePath, string MaskPath);

/// <summary>Reads image + mask pairs for feature extraction.</summary>
public static class ImageLoader
{
    /// <summary>
    /// Reads two volumes at the same time, the second on a pool thread: decompressing and decoding one file is serial,
    /// so two cores read a gzip-compressed image and mask in the time of the larger. Errors surface as the reader throws
    /// them, the first file's before the second's.
    /// </summary>
    public static (Volume First, Volume Second) ReadBoth(string firstPath, string secondPath)
    {
        var second = Task.Run(() => ImageFile.Read(secondPath));
        Volume first;
        try
        {
            first = ImageFile.Read(firstPath);
        }
        catch
        {
            second.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed, not reported twice
            throw;
        }
        return (first, second.GetAwaiter().GetResult());
    }

    /// <summary>
    /// Reads an image and its label mask; throws <see cref="GeometryMismatchException"/> naming both files when their
    /// grids differ by more than <paramref name="tolerance"/> (mm for spacing and origin, absolute for direction cosines).
    /// </summary>
    public static ImageWithMask ReadImageAndMask(string imagePath, string maskPath, double tolerance = 1e-4)
    {
        var image = ImageFile.Read(imagePath);
        var mask = ImageFile.ReadLabels(maskPath);
        image.Grid.EnsureMatches(mask.Grid, imagePath, maskPath, tolerance);
        return new ImageWithMask(image, mask, imagePath, maskPath);
    }
}
