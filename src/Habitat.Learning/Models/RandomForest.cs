using Habitat.Learning.Data;

namespace Habitat.Learning.Models;

/// <summary>
/// Random forest (Breiman, Machine Learning 2001): CART trees grown on bootstrap samples with Gini splits over
/// √p randomly drawn candidate features per node; the probability is the mean over trees of the leaf's class-1
/// fraction. Each tree draws from its own seeded generator, so a forest is reproducible and trees grow in parallel.
/// ML.NET's FastForest is not used because its binary output is an uncalibrated score, not a probability.
/// </summary>
public sealed record RandomForestTrainer(int Trees, int MinLeafSize, int? MaxDepth, int Seed) : IClassifierTrainer
{
    public IClassifier Fit(FeatureMatrix x, ReadOnlySpan<int> labels)
    {
        Logistic.CheckBinary(x, labels);
        if (Trees < 1) throw new ArgumentException($"a forest needs at least one tree, got {Trees}");
        var y = labels.ToArray();
        var trees = new DecisionTree[Trees];
        int tryFeatures = Math.Max(1, (int)Math.Round(Math.Sqrt(x.Columns)));
        Numerics.Parallelism.For(Trees, t =>
        {
            var rng = new Random(unchecked(Seed * 7919 + t * 104729 + 17)); // fixed mix: HashCode is randomised per process
            var sample = new int[x.Rows];
            for (int i = 0; i < sample.Length; i++) sample[i] = rng.Next(x.Rows);
            trees[t] = DecisionTree.Grow(x, y, sample, tryFeatures, MinLeafSize, MaxDepth ?? int.MaxValue, rng);
        });
        return new RandomForestClassifier(trees);
    }
}

/// <summary>
/// One CART tree in flat arrays. Node k is a leaf when <see cref="Feature"/>[k] &lt; 0; otherwise rows with
/// x[Feature[k]] ≤ Threshold[k] go to Left[k], others to Right[k]. Value[k] is the class-1 fraction of the node's
/// training rows (the leaf's prediction; an inner node's value is the cover-weighted mean of its leaves), and
/// Cover[k] the number of training rows reaching it (used by TreeSHAP).
/// </summary>
public sealed record DecisionTree(int[] Feature, double[] Threshold, int[] Left, int[] Right, double[] Value, double[] Cover)
{
    public int LeafOf(ReadOnlySpan<double> x)
    {
        int k = 0;
        while (Feature[k] >= 0) k = x[Feature[k]] <= Threshold[k] ? Left[k] : Right[k];
        return k;
    }

    internal static DecisionTree Grow(FeatureMatrix x, int[] y, int[] rows, int tryFeatures, int minLeaf, int maxDepth, Random rng)
    {
        var feature = new List<int>(); var threshold = new List<double>(); var left = new List<int>(); var right = new List<int>();
        var value = new List<double>(); var cover = new List<double>();
        var candidates = Enumerable.Range(0, x.Columns).ToArray();
        var keys = new double[rows.Length];
        var sortedLabels = new int[rows.Length];
        int NewNode(int[] members)
        {
            feature.Add(-1); threshold.Add(0); left.Add(-1); right.Add(-1);
            double positives = 0;
            foreach (var r in members) positives += y[r];
            value.Add(positives / members.Length);
            cover.Add(members.Length);
            return value.Count - 1;
        }
        var stack = new Stack<(int Node, int[] Members, int Depth)>();
        stack.Push((NewNode(rows), rows, 0));
        while (stack.Count > 0)
        {
            var (node, members, depth) = stack.Pop();
            int n = members.Length;
            double total1 = value[node] * n;
            if (depth >= maxDepth || n < 2 * minLeaf || total1 == 0 || total1 == n) continue;
            // Partial Fisher–Yates: the first tryFeatures entries become this node's random candidates.
            for (int c = 0; c < tryFeatures; c++) { int swap = rng.Next(c, candidates.Length); (candidates[c], candidates[swap]) = (candidates[swap], candidates[c]); }
            double bestScore = double.NegativeInfinity, bestThreshold = 0;
            int bestFeature = -1;
            for (int c = 0; c < tryFeatures; c++)
            {
                int f = candidates[c];
                for (int m = 0; m < n; m++) { keys[m] = x[members[m], f]; sortedLabels[m] = y[members[m]]; }
                Array.Sort(keys, sortedLabels, 0, n);
                double left1 = 0;
                for (int m = 0; m < n - 1; m++)
                {
                    left1 += sortedLabels[m];
                    if (keys[m] == keys[m + 1] || m + 1 < minLeaf || n - m - 1 < minLeaf) continue;
                    double nl = m + 1, nr = n - nl, right1 = total1 - left1;
                    // Maximising Σ_child (n1² + n0²)/n_child is minimising the weighted Gini impurity.
                    double score = (left1 * left1 + (nl - left1) * (nl - left1)) / nl + (right1 * right1 + (nr - right1) * (nr - right1)) / nr;
                    if (score > bestScore) { bestScore = score; bestFeature = f; bestThreshold = 0.5 * (keys[m] + keys[m + 1]); }
                }
            }
            if (bestFeature < 0) continue;
            var leftRows = members.Where(r => x[r, bestFeature] <= bestThreshold).ToArray();
            var rightRows = members.Where(r => x[r, bestFeature] > bestThreshold).ToArray();
            feature[node] = bestFeature; threshold[node] = bestThreshold;
            left[node] = NewNode(leftRows); right[node] = NewNode(rightRows);
            stack.Push((right[node], rightRows, depth + 1));
            stack.Push((left[node], leftRows, depth + 1));
        }
        return new DecisionTree(feature.ToArray(), threshold.ToArray(), left.ToArray(), right.ToArray(), value.ToArray(), cover.ToArray());
    }
}

/// <summary>A trained forest: probability = mean leaf value; contributions are TreeSHAP values averaged over trees.</summary>
public sealed record RandomForestClassifier(DecisionTree[] Trees) : IExplainableClassifier
{
    public double Probability(ReadOnlySpan<double> features)
    {
        double sum = 0;
        foreach (var tree in Trees) sum += tree.Value[tree.LeafOf(features)];
        return sum / Trees.Length;
    }

    public string ContributionScale => "probability (TreeSHAP)";

    public double[] Contributions(ReadOnlySpan<double> features, out double baseline)
    {
        var c = new double[features.Length];
        baseline = 0;
        foreach (var tree in Trees)
        {
            TreeShap.Add(tree, features, c);
            baseline += tree.Value[0];
        }
        baseline /= Trees.Length;
        for (int j = 0; j < c.Length; j++) c[j] /= Trees.Length;
        return c;
    }
}
