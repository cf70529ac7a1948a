using System.Globalization;

namespace Habitat.Learning.Data;

/// <summary>
/// A labelled cohort: one row per case (lesion) with its patient, binary label, site and optional split, and a
/// numeric feature matrix. Built from one table (features and label together) or from a feature table joined with
/// a clinical table by case id. Labels are mapped to 0/1: numeric labels by value (the larger is 1), text labels
/// in ordinal order unless the positive class is named.
/// </summary>
public sealed class CohortTable
{
    public IReadOnlyList<string> CaseIds { get; }
    public IReadOnlyList<string> PatientIds { get; }
    public int[] Labels { get; }
    /// <summary>Label text of class 0 and class 1.</summary>
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<string>? Sites { get; }
    public IReadOnlyList<string>? Splits { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public FeatureMatrix Features { get; }
    /// <summary>Hash of the feature-extraction settings, when the feature table recorded it.</summary>
    public string? SettingsHash { get; }
    /// <summary>Constant features removed on loading (only with <see cref="CohortColumns.DropConstantFeatures"/>).</summary>
    public IReadOnlyList<string> DroppedConstantFeatures { get; init; } = [];
    /// <summary>Features with a missing value removed on loading (only with <see cref="CohortColumns.DropIncompleteFeatures"/>).</summary>
    public IReadOnlyList<string> DroppedIncompleteFeatures { get; init; } = [];

    public int Count => CaseIds.Count;

    public CohortTable(IReadOnlyList<string> caseIds, IReadOnlyList<string> patientIds, int[] labels, IReadOnlyList<string> classNames,
                       IReadOnlyList<string>? sites, IReadOnlyList<string>? splits, IReadOnlyList<string> featureNames, FeatureMatrix features,
                       string? settingsHash = null)
    {
        int n = caseIds.Count;
        if (patientIds.Count != n || labels.Length != n || features.Rows != n || (sites?.Count ?? n) != n || (splits?.Count ?? n) != n)
            throw new ArgumentException("cohort columns have different lengths");
        if (featureNames.Count != features.Columns) throw new ArgumentException("feature names do not match the feature matrix");
        if (classNames.Count != 2) throw new ArgumentException("a cohort has exactly two classes");
        CaseIds = caseIds; PatientIds = patientIds; Labels = labels; ClassNames = classNames;
        Sites = sites; Splits = splits; FeatureNames = featureNames; Features = features; SettingsHash = settingsHash;
    }

    /// <summary>A sub-cohort holding the given rows.</summary>
    public CohortTable Subset(IReadOnlyList<int> rows) => new(
        Pick(CaseIds, rows), Pick(PatientIds, rows), rows.Select(r => Labels[r]).ToArray(), ClassNames,
        Sites is null ? null : Pick(Sites, rows), Splits is null ? null : Pick(Splits, rows), FeatureNames, Features.SelectRows(rows), SettingsHash);

    private static string[] Pick(IReadOnlyList<string> values, IReadOnlyList<int> rows) => rows.Select(r => values[r]).ToArray();

    /// <summary>
    /// One table holding id, label and features: every column other than the id, label and the named optional
    /// columns is a feature and must be numeric.
    /// </summary>
    public static CohortTable FromSingleTable(CsvTable table, CohortColumns columns)
    {
        int idColumn = table.Column(columns.CaseId);
        var caseIds = table.Rows.Select(r => r[idColumn].Trim()).ToArray();
        CheckIds(table.Source, caseIds);
        var metaColumns = columns.Named().Append(FeatureTable.SettingsHashColumn).Where(table.HasColumn).ToHashSet();
        var featureColumns = Enumerable.Range(0, table.Header.Count).Where(c => !metaColumns.Contains(table.Header[c])).ToArray();
        var names = featureColumns.Select(c => table.Header[c]).ToArray();
        var matrix = ReadNumeric(table, featureColumns, Enumerable.Range(0, table.Rows.Count).ToArray());
        var clinical = ClinicalRows(table, columns, caseIds, Enumerable.Range(0, table.Rows.Count).ToArray());
        string? hash = null;
        if (table.HasColumn(FeatureTable.SettingsHashColumn))
        {
            int h = table.Column(FeatureTable.SettingsHashColumn);
            hash = FeatureTable.SingleHash(table.Source, table.Rows.Select(r => r[h].Trim()).ToHashSet(StringComparer.Ordinal));
        }
        return Build(table.Source, caseIds, clinical, columns, names, matrix, hash);
    }

    /// <summary>Joins a feature table (id column + numeric features) with a clinical table by case id.</summary>
    public static CohortTable Join(FeatureTable features, CsvTable clinical, CohortColumns columns)
    {
        int idColumn = clinical.Column(columns.CaseId);
        var clinicalIds = clinical.Rows.Select(r => r[idColumn].Trim()).ToArray();
        CheckIds(clinical.Source, clinicalIds);
        var clinicalRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < clinicalIds.Length; i++) clinicalRowOf[clinicalIds[i]] = i;
        var missing = features.CaseIds.Where(id => !clinicalRowOf.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"{clinical.Source}: no clinical row for {missing.Length} case(s) of {features.Source}: {Preview(missing)}");
        var unmatched = clinicalIds.Where(id => !features.RowOf.ContainsKey(id)).ToArray();
        if (unmatched.Length > 0)
            throw new InvalidDataException($"{features.Source}: no feature row for {unmatched.Length} case(s) of {clinical.Source}: {Preview(unmatched)}");
        var caseIds = features.CaseIds.ToArray();
        var clinicalRows = caseIds.Select(id => clinicalRowOf[id]).ToArray();
        var meta = ClinicalRows(clinical, columns, caseIds, clinicalRows);
        return Build(features.Source, caseIds, meta, columns, features.FeatureNames, features.Values, features.SettingsHash);
    }

    private static CohortTable Build(string source, string[] caseIds, (string[] Patients, string[] Labels, string[]? Sites, string[]? Splits) meta,
                                     CohortColumns columns, IReadOnlyList<string> names, FeatureMatrix matrix, string? settingsHash)
    {
        if (names.Count == 0) throw new InvalidDataException($"{source}: no feature columns");
        var incomplete = IncompleteColumns(matrix);
        if (incomplete.Length > 0 && !columns.DropIncompleteFeatures)
            throw new InvalidDataException($"{source}: feature(s) with missing values, remove them or drop them with --drop-incomplete: {Preview(incomplete.Select(j => names[j]).ToArray())}");
        var constant = ConstantColumns(matrix).Except(incomplete).ToArray();
        if (constant.Length > 0 && !columns.DropConstantFeatures)
            throw new InvalidDataException($"{source}: constant feature(s) carry no information, remove them: {Preview(constant.Select(j => names[j]).ToArray())}");
        var kept = Enumerable.Range(0, names.Count).Except(constant).Except(incomplete).ToArray();
        if (kept.Length == 0) throw new InvalidDataException($"{source}: every feature is constant or incomplete");
        var (labels, classNames) = MapLabels(source, columns, meta.Labels);
        return new CohortTable(caseIds, meta.Patients, labels, classNames, meta.Sites, meta.Splits, kept.Select(j => names[j]).ToArray(),
            kept.Length == names.Count ? matrix : matrix.SelectColumns(kept), settingsHash)
        {
            DroppedConstantFeatures = constant.Select(j => names[j]).ToArray(),
            DroppedIncompleteFeatures = incomplete.Select(j => names[j]).ToArray(),
        };
    }

    private static (string[] Patients, string[] Labels, string[]? Sites, string[]? Splits) ClinicalRows(
        CsvTable table, CohortColumns columns, string[] caseIds, int[] rows)
    {
        int label = table.Column(columns.Label);
        string[] Column(string? name, bool required)
        {
            if (name is null) return [];
            if (!table.HasColumn(name))
            {
                if (required) table.Column(name); // throws with the list of columns
                return [];
            }
            int c = table.Column(name);
            return rows.Select(r => table.Rows[r][c].Trim()).ToArray();
        }
        var patients = Column(columns.PatientId, columns.PatientIdRequired);
        if (patients.Length == 0) patients = caseIds;
        for (int i = 0; i < patients.Length; i++)
            if (patients[i].Length == 0) throw new InvalidDataException($"{table.Source}: case '{caseIds[i]}' has an empty patient id");
        var labels = rows.Select(r => table.Rows[r][label].Trim()).ToArray();
        for (int i = 0; i < labels.Length; i++)
            if (labels[i].Length == 0) throw new InvalidDataException($"{table.Source}: case '{caseIds[i]}' has no label");
        var sites = Column(columns.Site, columns.SiteRequired);
        var splits = Column(columns.Split, false);
        return (patients, labels, sites.Length == 0 ? null : sites, splits.Length == 0 ? null : splits);
    }

    private static (int[] Labels, string[] ClassNames) MapLabels(string source, CohortColumns columns, string[] text)
    {
        var distinct = text.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length != 2)
            throw new InvalidDataException($"{source}: label column '{columns.Label}' must hold exactly two classes, found {distinct.Length}: {Preview(distinct)}");
        string positive;
        if (columns.PositiveClass is not null)
        {
            if (!distinct.Contains(columns.PositiveClass))
                throw new InvalidDataException($"{source}: positive class '{columns.PositiveClass}' is not among the labels {Preview(distinct)}");
            positive = columns.PositiveClass;
        }
        else if (distinct.All(d => double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            positive = distinct.MaxBy(d => double.Parse(d, CultureInfo.InvariantCulture))!;
        else
            positive = distinct.Order(StringComparer.Ordinal).Last();
        var negative = distinct.First(d => d != positive);
        return (text.Select(t => t == positive ? 1 : 0).ToArray(), [negative, positive]);
    }

    internal static void CheckIds(string source, IReadOnlyList<string> ids)
    {
        for (int i = 0; i < ids.Count; i++)
            if (ids[i].Length == 0) throw new InvalidDataException($"{source}: data row {i + 1} has an empty case id");
        var duplicates = ids.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0) throw new InvalidDataException($"{source}: duplicated case id(s): {Preview(duplicates)}");
    }

    internal static FeatureMatrix ReadNumeric(CsvTable table, int[] columns, int[] rows)
    {
        var m = new FeatureMatrix(rows.Length, columns.Length);
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < columns.Length; j++)
            {
                var text = table.Rows[rows[i]][columns[j]].Trim();
                // An empty cell or NaN is a missing value (habitat extract writes the reason to its errors file);
                // anything else must be a finite number.
                if (text.Length == 0 || text.Equals("NaN", StringComparison.OrdinalIgnoreCase)) { m[i, j] = double.NaN; continue; }
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    throw new InvalidDataException($"{table.Source}: feature '{table.Header[columns[j]]}' is not numeric (row {rows[i] + 1}: '{text}')");
                m[i, j] = v;
            }
        return m;
    }

    private static int[] IncompleteColumns(FeatureMatrix m)
    {
        var incomplete = new List<int>();
        for (int j = 0; j < m.Columns; j++)
            for (int i = 0; i < m.Rows; i++)
                if (double.IsNaN(m[i, j])) { incomplete.Add(j); break; }
        return incomplete.ToArray();
    }

    private static int[] ConstantColumns(FeatureMatrix m)
    {
        var constant = new List<int>();
        for (int j = 0; j < m.Columns; j++)
        {
            double first = m[0, j];
            bool same = true;
            for (int i = 1; i < m.Rows && same; i++) same = m[i, j] == first;
            if (same) constant.Add(j);
        }
        return constant.ToArray();
    }

    internal static string Preview(IReadOnlyCollection<string> items) =>
        string.Join(", ", items.Take(10).Select(s => $"'{s}'")) + (items.Count > 10 ? $" … ({items.Count} in all)" : "");
}

/// <summary>Names of the cohort's non-feature columns.</summary>
public sealed record CohortColumns
{
    public string CaseId { get; init; } = "case_id";
    public string Label { get; init; } = "label";
    /// <summary>Patient column; when absent each case is its own patient.</summary>
    public string? PatientId { get; init; } = "patient_id";
    public bool PatientIdRequired { get; init; }
    public string? Site { get; init; } = "site";
    public bool SiteRequired { get; init; }
    public string? Split { get; init; } = "split";
    /// <summary>Label value of class 1; null: the larger numeric label, or the last text label in ordinal order.</summary>
    public string? PositiveClass { get; init; }
    /// <summary>Remove features that are constant over the whole cohort instead of failing.</summary>
    public bool DropConstantFeatures { get; init; }
    /// <summary>Remove features with a missing value in any case instead of failing.</summary>
    public bool DropIncompleteFeatures { get; init; }

    internal IEnumerable<string> Named() =>
        new[] { CaseId, Label, PatientId, Site, Split }.Where(n => n is not null).Select(n => n!);
}
