namespace Habitat.Radiomics.Preprocessing;

/// <summary>
/// Gathers the values under a mask. ROI crops keep a margin of background (for the local-intensity sphere), so the
/// runs of zeros and ones are located with vectorised searches instead of testing voxel by voxel.
/// </summary>
internal static class MaskedValues
{
    public static int Count(ReadOnlySpan<byte> mask) => mask.Length - mask.Count((byte)0);

    /// <summary>The values where the mask is non-zero, in index order.</summary>
    public static float[] Gather(ReadOnlySpan<float> values, ReadOnlySpan<byte> mask)
    {
        var result = new float[Count(mask)];
        int written = 0, n = 0;
        while (n < mask.Length)
        {
            int start = mask[n..].IndexOfAnyExcept((byte)0);
            if (start < 0) break;
            n += start;
            int length = mask[n..].IndexOf((byte)0);
            if (length < 0) length = mask.Length - n;
            values.Slice(n, length).CopyTo(result.AsSpan(written));
            written += length;
            n += length;
        }
        return result;
    }
}
