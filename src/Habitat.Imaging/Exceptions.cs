namespace Habitat.Imaging;

/// <summary>A file could not be read or written: names the file, the problem and, where known, where in the file.</summary>
public class ImageFormatException : Exception
{
    public string FilePath { get; }
    public string Problem { get; }

    public ImageFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }
}

/// <summary>Two volumes that must overlay (image and mask, two sequences of a study) do not share a grid.</summary>
public class GeometryMismatchException : Exception
{
    public string First { get; }
    public string Second { get; }

    public GeometryMismatchException(string first, string second, string difference)
        : base($"geometry of {second} does not match {first}: {difference}")
    {
        First = first;
        Second = second;
    }
}
