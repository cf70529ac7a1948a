namespace Habitat.Synthesis.Tests;

/// <summary>
/// A 120-case, 2-site cohort on a 2 mm grid, generated in memory once for the statistical tests. Volumes, mean
/// intensities and site effects do not depend on the grid spacing; the coarse grid keeps the tests fast.
/// </summary>
public sealed class CoarseCohortFixture
{
    public const int Cases = 120;
    public SynthesisSettings Settings { get; } = new(Cases, 2, seed: 2024, spacing: new Imaging.Vec3(2, 2, 2));
    public CohortPlan Plan { get; }
    public IReadOnlyList<SyntheticStudy> Studies { get; }

    public CoarseCohortFixture()
    {
        Plan = CohortPlan.Create(Settings);
        var studies = new SyntheticStudy[Cases];
        Parallel.For(0, Cases, n => studies[n] = StudyGenerator.Generate(Settings, Plan.Sites[Plan.Cases[n].Site], Plan.Cases[n]));
        Studies = studies;
    }
}
