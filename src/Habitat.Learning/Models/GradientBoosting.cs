using Habitat.Learning.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Habitat.Learning.Models;

/// <summary>
/// Gradient-boosted trees trained by ML.NET's FastTree (single-threaded, seeded, hence reproducible). The trained
/// ensemble is copied out into <see cref="DecisionTree"/>s so that it predicts, explains and serialises without
/// ML.NET: score = bias + Σ_t w_t·leaf_t(x), probability = 1/(1 + e^{slope·score + offset}) (ML.NET's Platt calibrator).
/// </summary>
public sealed record GradientBoostingTrainer(int Trees, int Leaves, int MinLeafSize, double LearningRate, int Seed) : IClassifierTrainer
{
    private sealed class Row
    {
        public bool Label { get; set; }
        [VectorType] public float[] Features { get; set; } = [];
    }

    public IClassifier Fit(FeatureMatrix x, ReadOnlySpan<int> labels)
    {
        Logistic.CheckBinary(x, labels);
        var rows = new Row[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            var f = new float[x.Columns];
            for (int j = 0; j < f.Length; j++) f[j] = (float)x[i, j];
            rows[i] = new Row { Label = labels[i] == 1, Features = f };
        }
        var ml = new MLContext(Seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, x.Columns);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var options = new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = Trees,
            NumberOfLeaves = Leaves,
            MinimumExampleCountPerLeaf = MinLeafSize,
            LearningRate = LearningRate,
            NumberOfThreads = 1,
            Seed = Seed,
        };
        var model = ml.BinaryClassification.Trainers.FastTree(options).Fit(data).Model;
        var ensemble = model.SubModel.TrainedTreeEnsemble;
        var trees = new DecisionTree[ensemble.Trees.Count];
        for (int t = 0; t < trees.Length; t++) trees[t] = Convert(ensemble.Trees[t], ensemble.TreeWeights[t], rows);
        return new GradientBoostingClassifier(trees, ensemble.Bias, model.Calibrator.Slope, model.Calibrator.Offset);
    }

    /// <summary>
    /// Flattens an ML.NET tree (inner nodes 0..L−2, child c &lt; 0 meaning leaf ~c) into a <see cref="DecisionTree"/>
    /// whose leaves follow the inner nodes; covers count the training rows reaching each node and inner node values
    /// are the cover-weighted mean leaf output (both needed by TreeSHAP).
    /// </summary>
    private static DecisionTree Convert(RegressionTree tree, double weight, Row[] rows)
    {
        int inner = tree.NumberOfNodes, leaves = tree.NumberOfLeaves, size = inner + leaves;
        var feature = new int[size]; var threshold = new double[size]; var left = new int[size]; var right = new int[size];
        var value = new double[size]; var hits = new double[size];
        Array.Fill(feature, -1); Array.Fill(left, -1); Array.Fill(right, -1);
        int Map(int child) => child < 0 ? inner + ~child : child;
        for (int k = 0; k < inner; k++)
        {
            feature[k] = tree.NumericalSplitFeatureIndexes[k];
            threshold[k] = tree.NumericalSplitThresholds[k];
            left[k] = Map(tree.LeftChild[k]);
            right[k] = Map(tree.RightChild[k]);
        }
        for (int l = 0; l < leaves; l++) value[inner + l] = weight * tree.LeafValues[l];
        if (inner > 0)
        {
            var x = new double[rows[0].Features.Length];
            foreach (var row in rows)
            {
                for (int j = 0; j < x.Length; j++) x[j] = row.Features[j];
                int k = 0;
                while (feature[k] >= 0) k = x[feature[k]] <= threshold[k] ? left[k] : right[k];
                hits[k]++;
            }
            (double Sum, double Count) Fill(int k)
            {
                if (feature[k] < 0) return (value[k] * hits[k], hits[k]);
                var (ls, lc) = Fill(left[k]);
                var (rs, rc) = Fill(right[k]);
                value[k] = lc + rc > 0 ? (ls + rs) / (lc + rc) : 0;
                hits[k] = lc + rc;
                return (ls + rs, lc + rc);
            }
            Fill(0);
        }
        else hits[0] = rows.Length;
        return new DecisionTree(feature, threshold, left, right, value, hits);
    }
}

/// <summary>A boosted ensemble: score = Bias + Σ leaf values; P = 1/(1 + e^{Slope·score + Offset}).</summary>
public sealed record GradientBoostingClassifier(DecisionTree[] Trees, double Bias, double Slope, double Offset) : IExplainableClassifier
{
    public double Score(ReadOnlySpan<double> features)
    {
        var rounded = AsSingle(features);
        double score = Bias;
        foreach (var tree in Trees) score += tree.Value[tree.LeafOf(rounded)];
        return score;
    }

    /// <summary>The ensemble was trained on single-precision features; splits compare the rounded values.</summary>
    private static double[] AsSingle(ReadOnlySpan<double> features)
    {
        var r = new double[features.Length];
        for (int j = 0; j < r.Length; j++) r[j] = (float)features[j];
        return r;
    }

    public double Probability(ReadOnlySpan<double> features) => 1 / (1 + Math.Exp(Slope * Score(features) + Offset));

    public string ContributionScale => "boosting score (TreeSHAP)";

    public double[] Contributions(ReadOnlySpan<double> features, out double baseline)
    {
        var rounded = AsSingle(features);
        var c = new double[features.Length];
        baseline = Bias;
        foreach (var tree in Trees)
        {
            TreeShap.Add(tree, rounded, c);
            baseline += tree.Value[0];
        }
        return c;
    }
}
