namespace Habitat.Imaging.IO;

/// <summary>An image and its mask, read from two files and checked to share one grid.</summary>
public sealed record ImageWithMask(Volume Image, LabelVolume Mask, string ImagePath, string MaskPath);

/// <summary>Reads image + mask pairs for feature extraction.</summary>
public static class ImageLoader
{
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
