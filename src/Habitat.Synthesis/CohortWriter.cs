using System.Globalization;
using System.Text;
using Habitat.Imaging;
using Habitat.Imaging.IO;

namespace Habitat.Synthesis;

/// <summary>
/// Writes a generated cohort: per case <c>&lt;case_id&gt;/{T1c,FLAIR[,T2,T1]}.nii.gz</c>, <c>habitat.nii.gz</c> and
/// <c>brain_mask.nii.gz</c>; <c>cohort.csv</c> (case_id, patient_id, site, label) for analysis; and
/// <c>truth.csv</c> with the hidden generative parameters and true compartment volumes, kept apart so that nothing
/// downstream reads them by accident. Cases are generated in parallel; each depends only on its own seeds, so the
/// files are byte-identical whatever the thread count.
/// </summary>
public static class CohortWriter
{
    public const string CohortFile = "cohort.csv", TruthFile = "truth.csv", HabitatFile = "habitat.nii.gz", BrainMaskFile = "brain_mask.nii.gz";

    public static string ImageFileName(string sequence) => sequence + ".nii.gz";

    /// <summary>Generates and writes every case of <paramref name="plan"/> into <paramref name="outDir"/>.</summary>
    /// <param name="caseDone">Called (from worker threads) after each case is written.</param>
    public static void Write(CohortPlan plan, string outDir, Action<CasePlan>? caseDone = null, int maxDegreeOfParallelism = -1)
    {
        Directory.CreateDirectory(outDir);
        var truths = new IReadOnlyList<KeyValuePair<string, double>>[plan.Cases.Count];
        Parallel.For(0, plan.Cases.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, n =>
        {
            var c = plan.Cases[n];
            var study = StudyGenerator.Generate(plan.Settings, plan.Sites[c.Site], c);
            WriteStudy(study, Path.Combine(outDir, c.CaseId));
            truths[n] = study.Truth;
            caseDone?.Invoke(c);
        });
        WriteTables(plan, truths, outDir);
    }

    /// <summary>Writes one study's images, habitat map and brain mask into <paramref name="caseDir"/>.</summary>
    public static void WriteStudy(SyntheticStudy study, string caseDir)
    {
        Directory.CreateDirectory(caseDir);
        foreach (var (sequence, image) in study.Images)
            ImageFile.Write(image, Path.Combine(caseDir, ImageFileName(sequence)));
        ImageFile.Write(study.Habitat, Path.Combine(caseDir, HabitatFile));
        ImageFile.Write(study.BrainMask, Path.Combine(caseDir, BrainMaskFile));
    }

    /// <summary>Writes cohort.csv and truth.csv.</summary>
    public static void WriteTables(CohortPlan plan, IReadOnlyList<IReadOnlyList<KeyValuePair<string, double>>> truths, string outDir)
    {
        var cohort = new StringBuilder("case_id,patient_id,site,label\n");
        foreach (var c in plan.Cases)
            cohort.Append(CultureInfo.InvariantCulture, $"{c.CaseId},{c.PatientId},{plan.Sites[c.Site].Name},{c.Label}\n");
        WriteTextAtomically(Path.Combine(outDir, CohortFile), cohort.ToString());

        var truth = new StringBuilder("case_id,patient_id,site,label");
        foreach (var (name, _) in truths[0]) truth.Append(',').Append(name);
        truth.Append('\n');
        for (int n = 0; n < plan.Cases.Count; n++)
        {
            var c = plan.Cases[n];
            truth.Append(CultureInfo.InvariantCulture, $"{c.CaseId},{c.PatientId},{plan.Sites[c.Site].Name},{c.Label}");
            foreach (var (_, value) in truths[n]) truth.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            truth.Append('\n');
        }
        WriteTextAtomically(Path.Combine(outDir, TruthFile), truth.ToString());
    }

    private static void WriteTextAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
