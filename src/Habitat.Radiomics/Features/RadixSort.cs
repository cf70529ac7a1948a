namespace Habitat.Radiomics.Features;

/// <summary>
/// Ascending sort of floats by their bit patterns (LSD radix sort, 3 passes of 11 bits): linear time, which beats a
/// comparison sort on the ROI sizes of radiomics. Keys are mapped so that unsigned order equals float order
/// (negative values have all bits flipped, positive ones only the sign bit).
/// </summary>
internal static class RadixSort
{
    private const int Bits = 11, Buckets = 1 << Bits, Mask = Buckets - 1;

    public static void Sort(Span<float> values)
    {
        if (values.Length < 64) { values.Sort(); return; }
        var keys = new uint[values.Length];
        var scratch = new uint[values.Length];
        for (int n = 0; n < values.Length; n++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(values[n]);
            keys[n] = (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
        }
        Span<int> counts = stackalloc int[Buckets];
        for (int shift = 0; shift < 32; shift += Bits)
        {
            counts.Clear();
            foreach (var key in keys) counts[(int)(key >> shift) & Mask]++;
            int total = 0;
            for (int b = 0; b < Buckets; b++) { int c = counts[b]; counts[b] = total; total += c; }
            foreach (var key in keys) scratch[counts[(int)(key >> shift) & Mask]++] = key;
            (keys, scratch) = (scratch, keys);
        }
        for (int n = 0; n < values.Length; n++)
        {
            uint key = keys[n];
            values[n] = BitConverter.UInt32BitsToSingle((key & 0x80000000u) != 0 ? key & 0x7FFFFFFFu : ~key);
        }
    }
}
