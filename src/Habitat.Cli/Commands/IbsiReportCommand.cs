using Habitat.Radiomics;
using Habitat.Radiomics.Conformance;
using Habitat.Radiomics.Output;

namespace Habitat.Cli.Commands;

/// <summary><c>habitat ibsi-report</c>: runs every IBSI 1 data set and writes the conformance report.</summary>
public sealed class IbsiReportCommand : ICommand
{
    public string Name => "ibsi-report";
    public string Summary => "run the IBSI 1 reference data sets and write the conformance report (Markdown)";
    public string Usage => """
        usage: habitat ibsi-report --reference DIR --out docs/ibsi-conformance.md [--settings DIR] [--data-set NAME ...]
          --reference DIR   the IBSI 1 reference folder (phantoms and reference_values.csv)
          --settings DIR    folder of the IBSI settings files (default settings/ibsi)
          --data-set NAME   only this data set (repeatable): digital_phantom, config_A ... config_E (default: all)
          --out F.md        report to write
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var referenceDir = args.Required("reference");
        var settingsDir = args.Option("settings") ?? Path.Combine("settings", "ibsi");
        var outPath = args.Required("out");
        var dataSets = args.Options("data-set").Count > 0 ? args.Options("data-set") : IbsiConformance.DataSetNames;
        foreach (var name in dataSets)
            if (!IbsiConformance.DataSetNames.Contains(name))
                throw new UsageException($"unknown data set '{name}'; known: {string.Join(", ", IbsiConformance.DataSetNames)}");
        args.EnsureAllUsed();

        var rows = ReferenceTable.Load(Path.Combine(referenceDir, "reference_values.csv"));
        var checks = new List<ConformanceCheck>();
        var unreferenced = new Dictionary<string, List<Feature>>();
        var referencedTags = rows.Select(r => (r.Tag, r.Aggregation)).ToHashSet();
        foreach (var name in dataSets)
        {
            var features = IbsiConformance.ComputeFeatures(IbsiConformance.DataSet(referenceDir, settingsDir, name));
            checks.AddRange(IbsiConformance.Compare(rows.Where(r => r.DataSet == name), features));
            unreferenced[name] = features.Where(f => !referencedTags.Contains((f.Tag, f.Aggregation))).ToList();
        }
        FeatureCsv.WriteTextAtomically(outPath, ConformanceReport.Render(checks, unreferenced));
        var withValue = checks.Where(c => c.Status != CheckStatus.NoReference).ToList();
        stdout.WriteLine($"{withValue.Count(c => c.Status == CheckStatus.Pass)} of {withValue.Count} reference rows matched " +
                         $"({withValue.Count(c => c.Status == CheckStatus.NotComputed)} not computed); report: {outPath}");
        return 0;
    }
}
