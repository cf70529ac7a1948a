using System.Globalization;
using Habitat.Learning.Data;

namespace Habitat.Learning.Validation;

/// <summary>A fold number for each case of a cohort (test fold k = the cases whose fold is k).</summary>
public sealed class FoldAssignment
{
    /// <summary>Fold of each cohort row.</summary>
    public int[] FoldOfRow { get; }
    /// <summary>Distinct fold numbers, ascending.</summary>
    public int[] Folds { get; }

    public FoldAssignment(int[] foldOfRow)
    {
        FoldOfRow = foldOfRow;
        Folds = foldOfRow.Distinct().Order().ToArray();
        if (Folds.Length < 2) throw new ArgumentException("cross-validation needs at least two folds");
    }

    public (int[] Train, int[] Test) Split(int fold)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (int i = 0; i < FoldOfRow.Length; i++) (FoldOfRow[i] == fold ? test : train).Add(i);
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>Reads <c>case_id,fold</c> rows and orders them as the cohort's cases; every case needs exactly one fold.</summary>
    public static FoldAssignment Read(string path, IReadOnlyList<string> caseIds, string idColumn = "case_id", string foldColumn = "fold")
    {
        var table = CsvTable.Read(path);
        int id = table.Column(idColumn), fold = table.Column(foldColumn);
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var key = table.Rows[r][id].Trim();
            var text = table.Rows[r][fold].Trim();
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var f))
                throw new InvalidDataException($"{path}: row {r + 1}: fold '{text}' is not an integer");
            if (!foldOf.TryAdd(key, f)) throw new InvalidDataException($"{path}: case '{key}' is listed more than once");
        }
        var missing = caseIds.Where(c => !foldOf.ContainsKey(c)).ToArray();
        if (missing.Length > 0) throw new InvalidDataException($"{path}: no fold for {missing.Length} case(s): {CohortTable.Preview(missing)}");
        return new FoldAssignment(caseIds.Select(c => foldOf[c]).ToArray());
    }
}
