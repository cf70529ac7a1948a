using Habitat.Radiomics.PyRadiomics;

namespace Habitat.Radiomics.Tests.PyRadiomics;

/// <summary>Quickselect order statistics equal the sorted order's values at every requested rank.</summary>
public class OrderStatisticsTests
{
    [Theory]
    [InlineData(1, 1000)]     // all values distinct
    [InlineData(2, 7)]        // few distinct values: long runs of equal keys
    [InlineData(3, 1)]        // one value
    public void Selected_values_equal_the_sorted_order(int seed, int distinct)
    {
        var random = new Random(seed);
        foreach (int n in new[] { 1, 2, 31, 33, 100, 4137, 20_000 })
        {
            var values = new double[n];
            for (int i = 0; i < n; i++) values[i] = random.Next(distinct) + (distinct > 100 ? random.NextDouble() : 0);
            var sorted = (double[])values.Clone();
            Array.Sort(sorted);
            var ranks = Enumerable.Range(0, 12).Select(_ => random.Next(n)).Append(0).Append(n - 1).Distinct().Order().ToArray();
            var results = new double[ranks.Length];
            OrderStatistics.Select(values, ranks, results);
            for (int r = 0; r < ranks.Length; r++) Assert.Equal(sorted[ranks[r]], results[r]);
            Array.Sort(values);
            Assert.Equal(sorted, values); // reordered, not changed
        }
    }

    [Fact]
    public void Sorted_and_reversed_inputs_do_not_degrade()
    {
        // Ascending and descending inputs, and an organ-pipe pattern, all give the right values.
        foreach (var values in new[]
                 {
                     Enumerable.Range(0, 5000).Select(i => (double)i).ToArray(),
                     Enumerable.Range(0, 5000).Select(i => (double)(5000 - i)).ToArray(),
                     Enumerable.Range(0, 5000).Select(i => (double)Math.Min(i, 5000 - i)).ToArray(),
                 })
        {
            var sorted = (double[])values.Clone();
            Array.Sort(sorted);
            int[] ranks = [0, 499, 500, 2499, 2500, 4499, 4999];
            var results = new double[ranks.Length];
            OrderStatistics.Select(values, ranks, results);
            Assert.Equal(ranks.Select(r => sorted[r]), results);
        }
    }
}
