using Habitat.Learning.Data;

namespace Habitat.Learning.Validation;

/// <summary>One train/test partition of cohort rows.</summary>
public sealed record Split(int[] Train, int[] Test, string Name);

/// <summary>Ways to divide a cohort for validation; every one keeps all cases of a patient on one side.</summary>
public static class Splits
{
    /// <summary>
    /// Stratified k-fold with patient grouping: patients are shuffled (seeded) within strata of their majority label
    /// and dealt, largest first, to the fold that has the fewest cases of that stratum so far.
    /// </summary>
    public static IReadOnlyList<Split> StratifiedGroupKFold(IReadOnlyList<int> labels, IReadOnlyList<string> patients, int folds, int seed, string prefix = "fold")
    {
        if (folds < 2) throw new ArgumentException($"k-fold needs at least 2 folds, got {folds}");
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        for (int i = 0; i < patients.Count; i++)
        {
            if (!groups.TryGetValue(patients[i], out var list)) { groups[patients[i]] = list = []; firstSeen.Add(patients[i]); }
            list.Add(i);
        }
        if (groups.Count < folds) throw new ArgumentException($"{groups.Count} patients cannot fill {folds} folds");
        var rng = new Random(seed);
        var fold = new int[labels.Count];
        foreach (var stratum in new[] { 0, 1 })
        {
            var members = firstSeen.Where(p => Majority(groups[p], labels) == stratum).ToArray();
            rng.Shuffle(members);
            var ordered = members.OrderByDescending(p => groups[p].Count).ToArray(); // stable: ties keep the shuffled order
            var load = new int[folds];
            foreach (var patient in ordered)
            {
                int target = 0;
                for (int k = 1; k < folds; k++) if (load[k] < load[target]) target = k;
                foreach (var i in groups[patient]) fold[i] = target;
                load[target] += groups[patient].Count;
            }
        }
        return Enumerable.Range(0, folds).Select(k => new Split(
            Enumerable.Range(0, labels.Count).Where(i => fold[i] != k).ToArray(),
            Enumerable.Range(0, labels.Count).Where(i => fold[i] == k).ToArray(), $"{prefix} {k + 1}")).ToArray();
    }

    private static int Majority(List<int> rows, IReadOnlyList<int> labels) => rows.Count(r => labels[r] == 1) * 2 >= rows.Count ? 1 : 0;

    /// <summary>Each site in turn is the test set.</summary>
    public static IReadOnlyList<Split> LeaveOneSiteOut(CohortTable cohort)
    {
        var sites = cohort.Sites ?? throw new ArgumentException("leave-one-site-out needs a site column");
        var names = sites.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names.Length < 2) throw new ArgumentException("leave-one-site-out needs at least two sites");
        CheckPatientsWithinSites(cohort);
        return names.Select(s => new Split(
            Enumerable.Range(0, cohort.Count).Where(i => sites[i] != s).ToArray(),
            Enumerable.Range(0, cohort.Count).Where(i => sites[i] == s).ToArray(), $"site {s}")).ToArray();
    }

    /// <summary>The split column's <c>train</c> rows against its <c>test</c> rows (case-insensitive).</summary>
    public static Split External(CohortTable cohort)
    {
        var split = cohort.Splits ?? throw new ArgumentException("an external test needs a split column (train/test)");
        var unknown = split.Where(s => !s.Equals("train", StringComparison.OrdinalIgnoreCase) && !s.Equals("test", StringComparison.OrdinalIgnoreCase)).Distinct().ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"split column values must be train or test, found {CohortTable.Preview(unknown)}");
        var train = Enumerable.Range(0, cohort.Count).Where(i => split[i].Equals("train", StringComparison.OrdinalIgnoreCase)).ToArray();
        var test = Enumerable.Range(0, cohort.Count).Where(i => split[i].Equals("test", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (train.Length == 0 || test.Length == 0) throw new ArgumentException("an external test needs both train and test cases");
        var trainPatients = train.Select(i => cohort.PatientIds[i]).ToHashSet(StringComparer.Ordinal);
        var shared = test.Select(i => cohort.PatientIds[i]).Where(trainPatients.Contains).Distinct().ToArray();
        if (shared.Length > 0) throw new ArgumentException($"patients on both sides of the external split: {CohortTable.Preview(shared)}");
        return new Split(train, test, "external test");
    }

    private static void CheckPatientsWithinSites(CohortTable cohort)
    {
        var siteOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < cohort.Count; i++)
            if (siteOf.TryGetValue(cohort.PatientIds[i], out var s) && s != cohort.Sites![i])
                throw new ArgumentException($"patient '{cohort.PatientIds[i]}' has cases at two sites ({s}, {cohort.Sites[i]})");
            else siteOf[cohort.PatientIds[i]] = cohort.Sites![i];
    }
}
