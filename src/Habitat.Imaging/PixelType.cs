namespace Habitat.Imaging;

/// <summary>The data type a volume was stored with on disk (voxels are always held as float in memory).</summary>
public enum PixelType
{
    UInt8, Int8, UInt16, Int16, UInt32, Int32, UInt64, Int64, Float32, Float64,
}

public static class PixelTypes
{
    public static int Size(this PixelType t) => t switch
    {
        PixelType.UInt8 or PixelType.Int8 => 1,
        PixelType.UInt16 or PixelType.Int16 => 2,
        PixelType.UInt32 or PixelType.Int32 or PixelType.Float32 => 4,
        _ => 8,
    };

    public static bool IsInteger(this PixelType t) => t is not (PixelType.Float32 or PixelType.Float64);

    /// <summary>Smallest and largest value the type holds (floating types: ±double.MaxValue).</summary>
    public static (double Min, double Max) Range(this PixelType t) => t switch
    {
        PixelType.UInt8 => (byte.MinValue, byte.MaxValue),
        PixelType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        PixelType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        PixelType.Int16 => (short.MinValue, short.MaxValue),
        PixelType.UInt32 => (uint.MinValue, uint.MaxValue),
        PixelType.Int32 => (int.MinValue, int.MaxValue),
        PixelType.UInt64 => (ulong.MinValue, ulong.MaxValue),
        PixelType.Int64 => (long.MinValue, long.MaxValue),
        _ => (-double.MaxValue, double.MaxValue),
    };
}
