using Habitat.Learning.Data;
using Habitat.Learning.Models;

namespace Habitat.Learning.Tests;

/// <summary>TreeSHAP against the definition: Shapley values of v(S) = E[tree | x_S] by enumeration of all subsets.</summary>
public sealed class TreeShapTests
{
    private static double ConditionalExpectation(DecisionTree tree, int node, double[] x, int subset)
    {
        if (tree.Feature[node] < 0) return tree.Value[node];
        int f = tree.Feature[node];
        if ((subset >> f & 1) == 1)
            return ConditionalExpectation(tree, x[f] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node], x, subset);
        double l = tree.Cover[tree.Left[node]], r = tree.Cover[tree.Right[node]];
        return (l * ConditionalExpectation(tree, tree.Left[node], x, subset) + r * ConditionalExpectation(tree, tree.Right[node], x, subset)) / (l + r);
    }

    private static double[] BruteForce(DecisionTree tree, double[] x)
    {
        int p = x.Length;
        var phi = new double[p];
        double Factorial(int k) => k <= 1 ? 1 : k * Factorial(k - 1);
        for (int i = 0; i < p; i++)
            for (int s = 0; s < 1 << p; s++)
            {
                if ((s >> i & 1) == 1) continue;
                int size = System.Numerics.BitOperations.PopCount((uint)s);
                double weight = Factorial(size) * Factorial(p - size - 1) / Factorial(p);
                phi[i] += weight * (ConditionalExpectation(tree, 0, x, s | 1 << i) - ConditionalExpectation(tree, 0, x, s));
            }
        return phi;
    }

    [Fact]
    public void MatchesExhaustiveShapleyValuesOnForestTrees()
    {
        var (x, y) = ClassifierTests.Blobs(150, separation: 1.0, seed: 13);
        // Unpruned trees on 4 features reuse features along paths, which exercises the unwind step.
        var forest = (RandomForestClassifier)new RandomForestTrainer(5, 1, null, 3).Fit(x, y);
        var rng = new Random(1);
        foreach (var tree in forest.Trees)
            for (int trial = 0; trial < 5; trial++)
            {
                var row = x.Row(rng.Next(x.Rows)).ToArray();
                var expected = BruteForce(tree, row);
                var actual = new double[row.Length];
                TreeShap.Add(tree, row, actual);
                for (int j = 0; j < row.Length; j++) Assert.Equal(expected[j], actual[j], 10);
                Assert.Equal(tree.Value[tree.LeafOf(row)] - tree.Value[0], actual.Sum(), 10);
            }
    }

    [Fact]
    public void HandBuiltTreeWithARepeatedFeature()
    {
        // x0 ≤ 0 ? (x1 ≤ 0 ? 1 : 2) : (x0 ≤ 1 ? 3 : 4); covers 10 = 4 + 6, 4 = 1 + 3, 6 = 2 + 4.
        var tree = new DecisionTree(
            Feature: [0, 1, 0, -1, -1, -1, -1], Threshold: [0, 0, 1, 0, 0, 0, 0], Left: [1, 3, 5, -1, -1, -1, -1], Right: [2, 4, 6, -1, -1, -1, -1],
            Value: [0, 0, 0, 1, 2, 3, 4], Cover: [10, 4, 6, 1, 3, 2, 4]);
        // Inner values: cover-weighted means.
        tree.Value[1] = (1 * 1 + 3 * 2) / 4.0; tree.Value[2] = (2 * 3 + 4 * 4) / 6.0; tree.Value[0] = (4 * tree.Value[1] + 6 * tree.Value[2]) / 10;
        foreach (var row in new[] { new[] { 2.0, -1.0 }, [-1.0, 1.0], [0.5, -3.0] })
        {
            var expected = BruteForce(tree, row);
            var actual = new double[2];
            TreeShap.Add(tree, row, actual);
            Assert.Equal(expected[0], actual[0], 12);
            Assert.Equal(expected[1], actual[1], 12);
        }
    }
}
