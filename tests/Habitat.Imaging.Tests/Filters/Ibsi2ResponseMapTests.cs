using Habitat.Imaging.Filters;
using Habitat.Imaging.IO;
using Habitat.Testing;
using Xunit.Abstractions;

namespace Habitat.Imaging.Tests.Filters;

/// <summary>
/// IBSI 2 phase 1: each response map must match the reference map voxel by voxel within 1 % of the
/// reference's intensity range. Test configurations as the IBSI 2 reference manual (arXiv:2006.05470) lists them.
/// </summary>
public class Ibsi2ResponseMapTests(ITestOutputHelper output)
{
    static readonly Dictionary<string, (string Phantom, Func<Volume, Volume> Filter)> Configurations = new()
    {
        ["1_a_1"] = ("checkerboard", v => MeanFilter.Apply(v, 15, BoundaryMode.Constant)),
        ["1_a_2"] = ("checkerboard", v => MeanFilter.Apply(v, 15, BoundaryMode.Nearest)),
        ["1_a_3"] = ("checkerboard", v => MeanFilter.Apply(v, 15, BoundaryMode.Periodic)),
        ["1_a_4"] = ("checkerboard", v => MeanFilter.Apply(v, 15, BoundaryMode.Mirror)),
        ["1_b_1"] = ("impulse", v => MeanFilter.Apply(v, 15, BoundaryMode.Constant, planar: true)),
        ["2_a"] = ("impulse", v => LaplacianOfGaussian.Apply(v, 3, BoundaryMode.Constant)),
        ["2_b"] = ("checkerboard", v => LaplacianOfGaussian.Apply(v, 5, BoundaryMode.Mirror)),
        ["2_c"] = ("checkerboard", v => LaplacianOfGaussian.Apply(v, 5, BoundaryMode.Mirror, planar: true)),
        ["3_a_1"] = ("impulse", v => LawsFilter.Apply(v, new("E5L5S5", BoundaryMode.Constant))),
        ["3_a_2"] = ("impulse", v => LawsFilter.Apply(v, new("E5L5S5", BoundaryMode.Constant, RotationInvariant: true))),
        ["3_a_3"] = ("impulse", v => LawsFilter.Apply(v, new("E5L5S5", BoundaryMode.Constant, RotationInvariant: true, EnergyDistance: 7))),
        ["3_b_1"] = ("checkerboard", v => LawsFilter.Apply(v, new("E3W5R5", BoundaryMode.Mirror))),
        ["3_b_2"] = ("checkerboard", v => LawsFilter.Apply(v, new("E3W5R5", BoundaryMode.Mirror, RotationInvariant: true))),
        ["3_b_3"] = ("checkerboard", v => LawsFilter.Apply(v, new("E3W5R5", BoundaryMode.Mirror, RotationInvariant: true, EnergyDistance: 7))),
        ["3_c_1"] = ("checkerboard", v => LawsFilter.Apply(v, new("L5S5", BoundaryMode.Mirror))),
        ["3_c_2"] = ("checkerboard", v => LawsFilter.Apply(v, new("L5S5", BoundaryMode.Mirror, RotationInvariant: true))),
        ["3_c_3"] = ("checkerboard", v => LawsFilter.Apply(v, new("L5S5", BoundaryMode.Mirror, RotationInvariant: true, EnergyDistance: 7))),
        ["4_a_1"] = ("impulse", v => GaborFilter.Apply(v, new(10, 4, 0.5, Math.PI / 3, BoundaryMode.Constant))),
        ["4_a_2"] = ("impulse", v => GaborFilter.Apply(v, new(10, 4, 0.5, 0, BoundaryMode.Constant, RotationInvariant: true, DeltaTheta: Math.PI / 4, OrthogonalPlanes: true))),
        ["4_b_1"] = ("sphere", v => GaborFilter.Apply(v, new(20, 8, 2.5, 5 * Math.PI / 4, BoundaryMode.Mirror))),
        ["5_a_1"] = ("impulse", v => Wavelets.Ibsi(v, "db2", "LHL", 1, BoundaryMode.Constant)),
        ["5_a_2"] = ("impulse", v => Wavelets.Ibsi(v, "db2", "LHL", 1, BoundaryMode.Constant, rotationInvariant: true)),
        ["6_a_1"] = ("sphere", v => Wavelets.Ibsi(v, "coif1", "HHL", 1, BoundaryMode.Periodic)),
        ["6_a_2"] = ("sphere", v => Wavelets.Ibsi(v, "coif1", "HHL", 1, BoundaryMode.Periodic, rotationInvariant: true)),
        ["7_a_1"] = ("checkerboard", v => Wavelets.Ibsi(v, "haar", "LLL", 2, BoundaryMode.Mirror, rotationInvariant: true)),
        ["7_a_2"] = ("checkerboard", v => Wavelets.Ibsi(v, "haar", "HHH", 2, BoundaryMode.Mirror, rotationInvariant: true)),
    };

    public static TheoryData<string> TestIds => new(Configurations.Keys);

    [Theory]
    [MemberData(nameof(TestIds))]
    public void ResponseMapMatchesReference(string testId)
    {
        var (phantom, filter) = Configurations[testId];
        var image = ImageFile.Read(ReferenceData.Path("ibsi2", "digital_phantoms", phantom, "image.nii.gz"));
        var reference = ImageFile.Read(ReferenceData.Path("ibsi2", "reference_response_maps", $"{testId}-ValidCRM.nii"));
        var response = filter(image);
        Assert.True(response.Grid.Matches(image.Grid), "the response map keeps the input's geometry");
        var (min, max) = reference.Range();
        double tolerance = 0.01 * (max - min);
        double worst = 0;
        for (int n = 0; n < reference.Voxels.Length; n++)
            worst = Math.Max(worst, Math.Abs(response.Voxels[n] - reference.Voxels[n]));
        output.WriteLine($"{testId}: max deviation {worst:G4} = {100 * worst / (max - min):F4} % of the reference range");
        Assert.True(worst <= tolerance, $"{testId}: max deviation {worst} exceeds 1 % of the range ({tolerance})");
    }
}
