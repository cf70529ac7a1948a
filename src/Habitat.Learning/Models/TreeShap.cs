namespace Habitat.Learning.Models;

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion &amp; Lee 2018, "Consistent individualized feature attribution for
/// tree ensembles", Algorithm 2): Shapley values of one tree's output where the value of a feature subset S is the
/// tree's expectation given x_S, missing features following the training cover down both branches. The values
/// plus the tree's cover-weighted mean output add up to the tree's prediction exactly.
/// </summary>
public static class TreeShap
{
    private struct PathElement
    {
        public int Feature;
        public double ZeroFraction, OneFraction, Weight;
    }

    /// <summary>Adds the tree's SHAP values for <paramref name="x"/> to <paramref name="phi"/>.</summary>
    public static void Add(DecisionTree tree, ReadOnlySpan<double> x, Span<double> phi)
    {
        int depth = Depth(tree, 0);
        var path = new PathElement[(depth + 2) * (depth + 3) / 2];
        Recurse(tree, x, phi, 0, 0, path, 0, 1, 1, -1);
    }

    private static int Depth(DecisionTree tree, int node) =>
        tree.Feature[node] < 0 ? 0 : 1 + Math.Max(Depth(tree, tree.Left[node]), Depth(tree, tree.Right[node]));

    /// <summary>
    /// One node: the path of unique features seen so far lives in <paramref name="path"/> starting at
    /// <paramref name="parentStart"/> (length <paramref name="depth"/> + 1); this node's copy follows it.
    /// </summary>
    private static void Recurse(DecisionTree tree, ReadOnlySpan<double> x, Span<double> phi, int node, int depth,
                                PathElement[] path, int parentStart, double zeroFraction, double oneFraction, int feature)
    {
        int start = parentStart + depth + 1; // layout of the reference implementation: each level copies its parent's path
        Array.Copy(path, parentStart, path, start, depth + 1);
        var unique = path.AsSpan(start);
        Extend(unique, depth, zeroFraction, oneFraction, feature);

        if (tree.Feature[node] < 0)
        {
            for (int i = 1; i <= depth; i++)
            {
                double w = UnwoundSum(unique, depth, i);
                phi[unique[i].Feature] += w * (unique[i].OneFraction - unique[i].ZeroFraction) * tree.Value[node];
            }
            return;
        }
        int split = tree.Feature[node];
        bool goesLeft = x[split] <= tree.Threshold[node];
        int hot = goesLeft ? tree.Left[node] : tree.Right[node];
        int cold = goesLeft ? tree.Right[node] : tree.Left[node];
        double cover = tree.Cover[node];
        double hotZero = cover > 0 ? tree.Cover[hot] / cover : 0.5, coldZero = cover > 0 ? tree.Cover[cold] / cover : 0.5;
        double incomingZero = 1, incomingOne = 1;
        int k = 0;
        while (k <= depth && unique[k].Feature != split) k++;
        if (k <= depth)
        {
            // The feature was split on before: undo that split so it counts once on the path.
            incomingZero = unique[k].ZeroFraction;
            incomingOne = unique[k].OneFraction;
            Unwind(unique, depth, k);
            depth--;
        }
        Recurse(tree, x, phi, hot, depth + 1, path, start, hotZero * incomingZero, incomingOne, split);
        Recurse(tree, x, phi, cold, depth + 1, path, start, coldZero * incomingZero, 0, split);
    }

    private static void Extend(Span<PathElement> path, int depth, double zeroFraction, double oneFraction, int feature)
    {
        path[depth] = new PathElement { Feature = feature, ZeroFraction = zeroFraction, OneFraction = oneFraction, Weight = depth == 0 ? 1 : 0 };
        for (int i = depth - 1; i >= 0; i--)
        {
            path[i + 1].Weight += oneFraction * path[i].Weight * (i + 1) / (depth + 1.0);
            path[i].Weight = zeroFraction * path[i].Weight * (depth - i) / (depth + 1.0);
        }
    }

    private static void Unwind(Span<PathElement> path, int depth, int index)
    {
        double one = path[index].OneFraction, zero = path[index].ZeroFraction;
        double next = path[depth].Weight;
        for (int i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                double tmp = path[i].Weight;
                path[i].Weight = next * (depth + 1) / ((i + 1) * one);
                next = tmp - path[i].Weight * zero * (depth - i) / (depth + 1.0);
            }
            else path[i].Weight = path[i].Weight * (depth + 1) / (zero * (depth - i));
        }
        for (int i = index; i < depth; i++)
        {
            path[i].Feature = path[i + 1].Feature;
            path[i].ZeroFraction = path[i + 1].ZeroFraction;
            path[i].OneFraction = path[i + 1].OneFraction;
        }
    }

    /// <summary>Total weight of the path with element <paramref name="index"/> removed (without modifying it).</summary>
    private static double UnwoundSum(Span<PathElement> path, int depth, int index)
    {
        double one = path[index].OneFraction, zero = path[index].ZeroFraction;
        double next = path[depth].Weight, total = 0;
        for (int i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                double tmp = next * (depth + 1) / ((i + 1) * one);
                total += tmp;
                next = path[i].Weight - tmp * zero * (depth - i) / (depth + 1.0);
            }
            else if (zero != 0) total += path[i].Weight / zero / ((depth - i) / (depth + 1.0));
        }
        return total;
    }
}
