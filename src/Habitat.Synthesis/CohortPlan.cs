using System.Globalization;

namespace Habitat.Synthesis;

/// <summary>One study to generate: who, where, which class, and the seeds of its patient and of the study itself.</summary>
public sealed record CasePlan(int Index, string CaseId, string PatientId, int Site, bool Recurrence, ulong PatientSeed, ulong StudySeed)
{
    public string Label => Recurrence ? CohortPlan.RecurrenceLabel : CohortPlan.NecrosisLabel;
}

/// <summary>
/// The cohort before any image exists: sites, patients, labels and seeds, all drawn from the cohort seed.
/// Most patients contribute one study; about one in seven contributes a second (another lesion, same head, same
/// site, same diagnosis), so patient-level grouping in validation matters.
/// </summary>
public sealed record CohortPlan(SynthesisSettings Settings, IReadOnlyList<SiteProfile> Sites, IReadOnlyList<CasePlan> Cases)
{
    public const string RecurrenceLabel = "recurrence";
    public const string NecrosisLabel = "necrosis";
    private const double SecondStudyProbability = 0.15;

    public static CohortPlan Create(SynthesisSettings settings)
    {
        var root = new SynthRandom(settings.Seed);
        var sites = SiteProfile.DrawAll(settings.Sites, settings.Profile, root.Fork(1));
        var rng = root.Fork(2);
        var cases = new List<CasePlan>(settings.Cases);
        int patient = 0;
        while (cases.Count < settings.Cases)
        {
            patient++;
            int site = rng.NextInt(settings.Sites);
            double prevalence = settings.Confounded && settings.Sites > 1
                ? 0.2 + 0.6 * site / (settings.Sites - 1)
                : settings.RecurrencePrevalence;
            bool recurrence = rng.Chance(prevalence);
            ulong patientSeed = rng.NextUInt64();
            int studies = rng.Chance(SecondStudyProbability) ? 2 : 1;
            for (int s = 0; s < studies && cases.Count < settings.Cases; s++)
            {
                int index = cases.Count;
                cases.Add(new CasePlan(index, CaseName(index), "patient-" + patient.ToString("D4", CultureInfo.InvariantCulture),
                    site, recurrence, patientSeed, rng.NextUInt64()));
            }
        }
        return new CohortPlan(settings, sites, cases);
    }

    public static string CaseName(int index) => "case-" + (index + 1).ToString("D4", CultureInfo.InvariantCulture);
}
